package org.polyvae.job.train;

import org.polyvae.job.batches.VaeBatchLoader;
import org.polyvae.job.batches.BatchExport;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Random;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.util.ModelSerializer;
import org.polyvae.config.ModelSettings;
import org.polyvae.config.PolyvaeConfig;
import org.polyvae.config.TrainSettings;
import org.polyvae.io.AtomicOutput;
import org.polyvae.io.HadoopFiles;
import org.polyvae.job.output.Fingerprints;
import org.polyvae.job.output.OutputLayout;
import org.polyvae.model.Decoders;
import org.polyvae.model.VaeArchitecture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage {@code train}: the VAE trained on Spark with DL4J parameter averaging, from minibatch files
 * exported once ({@link BatchExport}). Per epoch: the batch paths reshuffled, one
 * {@code SparkComputationGraph.fitPaths} pass, the loss split into reconstruction and KL on a sample of
 * training batches and on the whole validation split (on the executors), a row in
 * {@code metrics/train.csv}, a progress line and a checkpoint. At the end {@code model/} holds
 * {@code vae.zip}, {@code decoder.zip}, {@code config.conf} and {@code loss.png}, swapped in whole.
 */
public final class TrainStage {
    private static final Logger LOG = LoggerFactory.getLogger(TrainStage.class);

    private final PolyvaeConfig config;
    private final ModelSettings model;
    private final TrainSettings train;

    public TrainStage(PolyvaeConfig config) {
        this.config = config;
        this.model = config.model();
        this.train = config.train();
    }

    /** Result of a run: the metrics rows (all epochs, including resumed ones) and the final network. */
    public record Result(List<TrainMetrics.Row> rows, ComputationGraph vae) {
    }

    public Result run(JavaSparkContext sc) throws IOException {
        OutputLayout layout = new OutputLayout(config);
        FileSystem fs = layout.root().getFileSystem(sc.hadoopConfiguration());
        BatchExport.Batches batches = new BatchExport(config.data(), train, layout).ensure(sc);
        VaeArchitecture arch = new VaeArchitecture(model);
        Checkpoints checkpoints = new Checkpoints(fs, layout.checkpoints(), train.checkpointKeep());
        TrainMetrics metrics = new TrainMetrics(fs, layout.trainMetrics());

        ComputationGraph net;
        int first = 1;
        OptionalInt latest = train.resume() ? checkpoints.latest() : OptionalInt.empty();
        if (latest.isPresent()) {
            Config saved = checkpoints.readSettings();
            if (!saved.isEmpty() && !saved.equals(resumeSettings())) {
                throw new IllegalStateException("polyvae.train.resume=true, but the checkpoints in " + checkpoints.dir()
                        + " were made with other model/training settings:\n" + Fingerprints.render("saved", saved)
                        + "\nnow:\n" + Fingerprints.render("now", resumeSettings())
                        + "\nUse the same settings, or resume=false to start over.");
            }
            net = checkpoints.restore(latest.getAsInt());
            first = latest.getAsInt() + 1;
            metrics.loadUpTo(latest.getAsInt());
            LOG.info("train: resuming after epoch {} from {}", latest.getAsInt(), checkpoints.file(latest.getAsInt()));
        } else {
            if (train.resume()) {
                LOG.info("train: resume=true but no checkpoint in {}; starting from epoch 1", checkpoints.dir());
            }
            checkpoints.clear();
            net = new ComputationGraph(arch.vae());
            net.init();
            metrics.loadUpTo(0);
        }
        checkpoints.writeSettings(resumeSettings());
        LOG.info("train: {} parameters; {} training images in {} batch files, {} validation images; epochs {}..{}",
                net.numParams(), batches.trainImages(), batches.train().size(), batches.validationImages(), first,
                train.epochs());

        int workers = train.workers() > 0 ? train.workers() : sc.defaultParallelism();
        ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(workers, train.batchSize())
                .batchSizePerWorker(train.batchSize())
                .averagingFrequency(train.averagingFrequency())
                .workerPrefetchNumBatches(train.prefetch())
                .repartionData(repartition())
                .storageLevel(StorageLevel.fromString(train.storageLevel().configValue()))
                .saveUpdater(true)
                .rngSeed(model.seed())
                .build();
        SparkComputationGraph spark = new SparkComputationGraph(sc, net, master);
        ExecutorLossMonitor faults = new ExecutorLossMonitor();
        sc.sc().addSparkListener(faults);
        try {
            net = fitEpochs(sc, spark, batches, checkpoints, metrics, first, faults);
        } finally {
            sc.sc().removeSparkListener(faults);
        }
        writeModel(fs, layout.model(), net, arch, metrics);
        return new Result(List.copyOf(metrics.rows()), net);
    }

    private ComputationGraph fitEpochs(JavaSparkContext sc, SparkComputationGraph spark, BatchExport.Batches batches,
            Checkpoints checkpoints, TrainMetrics metrics, int first, ExecutorLossMonitor faults) throws IOException {
        int workers = train.workers() > 0 ? train.workers() : sc.defaultParallelism();
        VaeBatchLoader loader = new VaeBatchLoader(model.codeLength(), model.conditional());
        LossEvaluator evaluator = new LossEvaluator(loader);
        ComputationGraph net = spark.getNetwork();
        double elapsed = 0;
        for (int epoch = first; epoch <= train.epochs(); epoch++) {
            List<String> paths = new ArrayList<>(batches.train());
            Collections.shuffle(paths, new Random(train.splitSeed() * 31 + epoch));
            spark.getNetwork().getConfiguration().setEpochCount(epoch - 1);
            long t0 = System.nanoTime();
            spark.fitPaths(sc.parallelize(paths, Math.min(paths.size(), workers)), loader);
            double seconds = (System.nanoTime() - t0) / 1e9;
            elapsed += seconds;
            net = spark.getNetwork();
            String lastGood = epoch > first || first > 1 ? checkpoints.file(epoch - 1).toString() : null;
            TrainingDivergedException.check("the training loss", spark.getScore(), epoch, lastGood);

            List<String> sample = train.lossSampleBatches() == 0 || paths.size() <= train.lossSampleBatches()
                    ? paths : paths.subList(0, train.lossSampleBatches());
            LossEvaluator.Loss tl = evaluator.evaluate(sc, net, sample);
            LossEvaluator.Loss vl = evaluator.evaluate(sc, net, batches.validation());
            TrainingDivergedException.check("the training loss", tl.total(), epoch, lastGood);
            if (vl.images() > 0) {
                TrainingDivergedException.check("the validation loss", vl.total(), epoch, lastGood);
            }
            double rate = batches.trainImages() / seconds;
            // The updater's exponential schedule at this epoch (epoch count set to epoch - 1 above).
            double lr = model.learningRate() * Math.pow(model.lrDecay(), epoch - 1);
            metrics.add(new TrainMetrics.Row(epoch, tl.total(), tl.reconstruction(), tl.kl(), vl.total(),
                    vl.reconstruction(), vl.kl(), rate, seconds, lr));
            checkpoints.save(net, epoch);
            int done = epoch - first + 1;
            double eta = elapsed / done * (train.epochs() - epoch);
            LOG.info(String.format(Locale.ROOT, "train: epoch %d/%d  loss %.2f (reconstruction %.2f + KL %.2f)  "
                            + "validation %.2f  %.0f images/s  %.1f s  ETA %d:%02d", epoch, train.epochs(), tl.total(),
                    tl.reconstruction(), tl.kl(), vl.total(), rate, seconds, (long) eta / 60, (long) eta % 60));
            ExecutorLossMonitor.Faults f = faults.drain();
            if (f.any()) {
                LOG.warn("train: epoch {} recovered from {} lost executor(s): {} failed task(s) re-run by Spark, {} "
                        + "executor(s) joined, parameter averaging carried on", epoch, f.executorsLost(),
                        f.tasksFailed(), f.executorsAdded());
            }
        }
        return net;
    }

    private Repartition repartition() {
        return switch (train.repartition()) {
            case ALWAYS -> Repartition.Always;
            case NEVER -> Repartition.Never;
            case NUM_PARTITIONS_WORKERS_DIFFERS -> Repartition.NumPartitionsWorkersDiffers;
        };
    }

    /** What a checkpoint's network depends on: the model and the training settings except epochs/resume. */
    private Config resumeSettings() {
        Config c = config.config();
        return ConfigFactory.empty()
                .withValue("model", c.getValue("polyvae.model"))
                .withValue("train", c.getConfig("polyvae.train").withoutPath("epochs").withoutPath("resume").root())
                .withValue("resolution", ConfigValueFactory.fromAnyRef(config.data().resolution()));
    }

    private void writeModel(FileSystem fs, Path dir, ComputationGraph net, VaeArchitecture arch, TrainMetrics metrics)
            throws IOException {
        try (AtomicOutput out = AtomicOutput.begin(fs, dir, true, "polyvae.train")) {
            HadoopFiles.write(fs, OutputLayout.vaeZip(out.tmp()), os -> ModelSerializer.writeModel(net, os, true));
            HadoopFiles.write(fs, OutputLayout.decoderZip(out.tmp()),
                    os -> ModelSerializer.writeModel(Decoders.extract(net, arch), os, false));
            // What TrainedModel reads the model's settings from.
            HadoopFiles.writeString(fs, OutputLayout.modelConfig(out.tmp()),
                    "# The resolved configuration that trained this model.\n" + config.renderResolved());
            HadoopFiles.writeBytes(fs, OutputLayout.lossCurve(out.tmp()), metrics.lossCurvePng());
            out.commit();
        }
        LOG.info("train: wrote {} (vae.zip, decoder.zip, config.conf, loss.png)", fs.makeQualified(dir));
    }
}
