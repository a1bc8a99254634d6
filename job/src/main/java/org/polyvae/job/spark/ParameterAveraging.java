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
     * @param batchSize          rows of a minibatch (DL4J's workers cut and merge the files' rows into these)
     * @param averagingFrequency minibatches each worker fits between two averagings
     * @param fileRows           rows each batch file holds (the last file of a split may hold fewer)
     * @param rngSeed            seed of DL4J's split of the paths among the workers
     * @param shuffleSeed        seed of the per-epoch order of the paths ({@link #epochOrder})
     */
    public record Settings(int workers, int batchSize, int averagingFrequency, int fileRows, int prefetch,
            Repartition repartition, StorageLevel storageLevel, long rngSeed, long shuffleSeed) {
        public Settings {
            if (workers < 1 || batchSize < 1 || averagingFrequency < 1 || fileRows < 1) {
                throw new IllegalArgumentException("workers, batch size, averaging frequency and rows per file must "
                        + "be at least 1, got " + workers + ", " + batchSize + ", " + averagingFrequency + ", "
                        + fileRows);
            }
            if (fileRows > (long) batchSize * averagingFrequency) {
                throw new IllegalArgumentException("a batch file of " + fileRows + " rows holds more than a worker "
                        + "fits between two averagings (averaging frequency " + averagingFrequency + " × batch size "
                        + batchSize + "): DL4J's workers would fit the first " + (long) batchSize * averagingFrequency
                        + " rows of it and skip the rest");
            }
        }

        /**
         * The shared {@code polyvae.train.*} settings (workers, batch size, prefetch, repartition, storage
         * level; {@code workers = 0} means the context's default parallelism) with a network's own averaging
         * frequency and seeds, for files of one minibatch each (stage train's export).
         */
        public static Settings of(JavaSparkContext sc, TrainSettings train, int averagingFrequency, long rngSeed,
                long shuffleSeed) {
            int workers = train.workers() > 0 ? train.workers() : sc.defaultParallelism();
            return new Settings(workers, train.batchSize(), averagingFrequency, train.batchSize(), train.prefetch(),
                    repartitionOf(train.repartition()), StorageLevel.fromString(train.storageLevel().configValue()), rngSeed,
                    shuffleSeed);
        }

        /**
         * These settings for files of {@code fileRows} rows each, fitted in minibatches of {@code batchRows}
         * (DL4J's workers cut what each file holds into minibatches of this many rows, and merge smaller ones).
         */
        public Settings withRows(int batchRows, int fileRows) {
            return new Settings(workers, batchRows, averagingFrequency, fileRows, prefetch, repartition, storageLevel,
                    rngSeed, shuffleSeed);
        }

        /**
         * Files a worker fits between two averagings, as DL4J's master counts them
         * ({@code ParameterAveragingTrainingMaster.numObjectsEachWorker}, integer division; at least one).
         */
        int filesPerWorker() {
            return Math.max(1, batchSize * averagingFrequency / fileRows);
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
                settings.fileRows())
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
                for (List<String> part : wholeRounds(order, settings)) {
                    spark.fitPaths(sc.parallelize(part, Math.min(part.size(), settings.workers())), loader);
                }
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

    /**
     * The epoch's files as the {@code fitPaths} calls that fit every one of them. DL4J 1.0.0-M2's master cuts
     * the paths of a call into {@code n / (workers × files per worker)} averaging rounds, rounded down
     * ({@code SparkUtils.balancedRandomSplit}), and each worker of a round fits at most averaging-frequency
     * minibatches and skips the rest of its share ({@code ExecuteWorkerPathMDSFlatMap}): handed a whole epoch,
     * it would skip the files beyond the whole rounds and each worker's files beyond its share of a round. So the
     * whole rounds go first, in one call whose partitions hold exactly their rounds' share each (Spark slices a
     * list evenly, and DL4J's split takes one file of every run of as many files as rounds), then the rest
     * as one smaller round.
     */
    static List<List<String>> wholeRounds(List<String> order, Settings settings) {
        int round = settings.workers() * settings.filesPerWorker();
        int whole = order.size() / round * round;
        List<List<String>> calls = new ArrayList<>(2);
        if (whole > 0) {
            calls.add(order.subList(0, whole));
        }
        if (whole < order.size()) {
            calls.add(order.subList(whole, order.size()));
        }
        return calls;
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
