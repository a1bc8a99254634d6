package org.polyvae.job.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.core.loader.MultiDataSetLoader;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.ISchedule;
import org.polyvae.config.TrainSettings;

/**
 * The epoch loop of every network trained on Spark (the VAE, the judge): DL4J parameter averaging over
 * exported batch files, reshuffled each epoch, the network's score checked after each epoch. What a
 * caller does between epochs (metrics, checkpoints, progress) it does in its {@link EpochListener}.
 */
public final class ParameterAveraging {
    /**
     * @param workers            Spark tasks per averaging round (resolved: at least 1)
     * @param averagingFrequency minibatches each worker fits between two averagings
     * @param rngSeed            seed of DL4J's split of the paths among the workers
     * @param shuffleSeed        seed of the per-epoch order of the paths ({@link #epochOrder})
     */
    public record Settings(int workers, int batchSize, int averagingFrequency, int prefetch, Repartition repartition,
            StorageLevel storageLevel, long rngSeed, long shuffleSeed) {
        /**
         * The shared {@code polyvae.train.*} settings (workers, batch size, prefetch, repartition, storage
         * level; {@code workers = 0} means the context's default parallelism) with a network's own averaging
         * frequency and seeds.
         */
        public static Settings of(JavaSparkContext sc, TrainSettings train, int averagingFrequency, long rngSeed,
                long shuffleSeed) {
            int workers = train.workers() > 0 ? train.workers() : sc.defaultParallelism();
            return new Settings(workers, train.batchSize(), averagingFrequency, train.prefetch(),
                    repartitionOf(train.repartition()), StorageLevel.fromString(train.storageLevel().configValue()), rngSeed,
                    shuffleSeed);
        }

        /**
         * These settings with another minibatch size: DL4J's workers cut what each batch file holds into
         * minibatches of this many rows (and merge smaller ones), whatever the files hold.
         */
        public Settings withBatchSize(int rows) {
            return new Settings(workers, rows, averagingFrequency, prefetch, repartition, storageLevel, rngSeed,
                    shuffleSeed);
        }
    }

    /**
     * One fitted epoch: the order its batch files were handed out in, DL4J's score, its wall time, and the
     * learning rate of the network's schedule for it, which is the rate the workers trained at.
     */
    public record Epoch(int number, List<String> order, double score, double seconds, double learningRate) {
    }

    /** What a training loop does after each epoch; may stop the run by throwing. */
    @FunctionalInterface
    public interface EpochListener {
        void fitted(Epoch epoch, ComputationGraph net) throws IOException;
    }

    private final JavaSparkContext sc;
    private final Settings settings;
    private final SparkComputationGraph spark;

    public ParameterAveraging(JavaSparkContext sc, ComputationGraph net, Settings settings) {
        this.sc = sc;
        this.settings = settings;
        ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(settings.workers(),
                settings.batchSize())
                .batchSizePerWorker(settings.batchSize())
                .averagingFrequency(settings.averagingFrequency())
                .workerPrefetchNumBatches(settings.prefetch())
                .repartionData(settings.repartition())
                .storageLevel(settings.storageLevel())
                .saveUpdater(true)
                .rngSeed(settings.rngSeed())
                .trainingHooks(new WorkerStepCount(net), new WorkerThreads())
                .build();
        this.spark = new SparkComputationGraph(sc, net, master);
    }

    /**
     * Fits epochs {@code first..last} (1-based) over {@code batchPaths} with {@code loader}, calling
     * {@code listener} after each. Throws {@link TrainingDivergedException} (message: {@code lossName} and the
     * epoch, then {@code advice} for that epoch) when DL4J's score is not finite.
     *
     * @return the network after the last epoch
     */
    public ComputationGraph fitEpochs(int first, int last, List<String> batchPaths, MultiDataSetLoader loader,
            String lossName, IntFunction<String> advice, EpochListener listener) throws IOException {
        return fitEpochsWithLoaders(first, last, batchPaths, epoch -> loader, lossName, advice, listener);
    }

    /** {@link #fitEpochs} with a loader per epoch (one that draws augmentations by epoch, say). */
    public ComputationGraph fitEpochsWithLoaders(int first, int last, List<String> batchPaths,
            IntFunction<? extends MultiDataSetLoader> loaders, String lossName, IntFunction<String> advice,
            EpochListener listener) throws IOException {
        for (int epoch = first; epoch <= last; epoch++) {
            MultiDataSetLoader loader = loaders.apply(epoch);
            List<String> order = epochOrder(batchPaths, settings.shuffleSeed(), epoch);
            // The updaters' schedules are per epoch: a resumed run continues where the checkpoint stopped.
            spark.getNetwork().getConfiguration().setEpochCount(epoch - 1);
            double lr = learningRate(spark.getNetwork(), epoch);
            long t0 = System.nanoTime();
            Map<String, ISchedule> schedules = fixRate(spark.getNetwork(), lr);
            try {
                spark.fitPaths(sc.parallelize(order, Math.min(order.size(), settings.workers())), loader);
            } finally {
                restoreSchedules(spark.getNetwork(), schedules);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double score = spark.getScore();
            TrainingDivergedException.check(lossName, score, epoch, advice.apply(epoch));
            listener.fitted(new Epoch(epoch, order, score, seconds, lr), spark.getNetwork());
        }
        return spark.getNetwork();
    }

    /**
     * Replaces every layer's learning-rate schedule by the fixed rate {@code lr} and returns the schedules
     * replaced (by layer name). DL4J 1.0.0-M2's workers build their network from
     * {@code ComputationGraphConfiguration.clone()}, which drops the epoch count, so a per-epoch schedule
     * would give them the epoch-1 rate; a fixed rate in the broadcast configuration reaches them as is.
     */
    static Map<String, ISchedule> fixRate(ComputationGraph net, double lr) {
        Map<String, ISchedule> schedules = new LinkedHashMap<>();
        for (Layer layer : net.getLayers()) {
            if (layer.conf().getLayer() instanceof BaseLayer b && b.getIUpdater() != null
                    && b.getIUpdater().hasLearningRate()) {
                ISchedule schedule = scheduleOf(b.getIUpdater());
                if (schedule != null) {
                    schedules.put(b.getLayerName(), schedule);
                }
            }
        }
        for (String name : schedules.keySet()) {
            net.setLearningRate(name, lr);
        }
        return schedules;
    }

    /** Puts back the schedules {@link #fixRate} replaced; the updater state is kept. */
    static void restoreSchedules(ComputationGraph net, Map<String, ISchedule> schedules) {
        schedules.forEach(net::setLearningRate);
    }

    /** The learning-rate schedule of a DL4J updater, or null when its rate is fixed. */
    private static ISchedule scheduleOf(IUpdater u) {
        if (u instanceof Adam a) {
            return a.getLearningRateSchedule();
        } else if (u instanceof RmsProp r) {
            return r.getLearningRateSchedule();
        } else if (u instanceof Sgd s) {
            return s.getLearningRateSchedule();
        } else if (u instanceof Nesterovs n) {
            return n.getLearningRateSchedule();
        }
        return null;
    }

    /** The order of the batch files in an epoch: a shuffle seeded by the seed and the epoch, reproducible on resume. */
    public static List<String> epochOrder(List<String> paths, long seed, int epoch) {
        List<String> order = new ArrayList<>(paths);
        Collections.shuffle(order, new Random(seed * 31 + epoch));
        return order;
    }

    /**
     * The learning rate the network's own updater schedule gives in {@code epoch} (1-based), read from its
     * first layer with an updater that has one (NaN when none does).
     */
    public static double learningRate(ComputationGraph net, int epoch) {
        for (Layer layer : net.getLayers()) {
            if (layer.conf().getLayer() instanceof BaseLayer b) {
                IUpdater u = b.getIUpdater();
                if (u != null && u.hasLearningRate()) {
                    return u.getLearningRate(net.getConfiguration().getIterationCount(), epoch - 1);
                }
            }
        }
        return Double.NaN;
    }

    /** {@code polyvae.train.repartition} as DL4J's setting. */
    static Repartition repartitionOf(TrainSettings.Repartitioning value) {
        return switch (value) {
            case ALWAYS -> Repartition.Always;
            case NEVER -> Repartition.Never;
            case NUM_PARTITIONS_WORKERS_DIFFERS -> Repartition.NumPartitionsWorkersDiffers;
        };
    }
}
