package org.polyvae.job.train;

import org.polyvae.config.ConfigError;
import org.polyvae.job.batches.VaeBatchLoader;
import org.polyvae.job.batches.BatchExport;
import org.polyvae.job.spark.ParameterAveraging;
import org.polyvae.job.spark.TrainingDivergedException;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.stream.Collectors;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.function.IntFunction;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.polyvae.config.ModelSettings;
import org.polyvae.config.PolyvaeConfig;
import org.polyvae.config.TrainSettings;
import org.polyvae.io.AtomicOutput;
import org.polyvae.io.HadoopFiles;
import org.polyvae.job.output.Fingerprints;
import org.polyvae.job.output.OutputLayout;
import org.polyvae.model.Decoders;
import org.polyvae.model.AutoregressivePrior;
import org.polyvae.model.LatentPrior;
import org.polyvae.job.latent.AggregatePosterior;
import org.polyvae.job.latent.DatasetEncoder;
import org.polyvae.job.latent.EncodedImage;
import org.polyvae.model.VaeArchitecture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage {@code train}: the VAE trained on Spark with DL4J parameter averaging, from minibatch files
 * exported once ({@link BatchExport}). Per epoch: the batch paths reshuffled, one
 * {@code SparkComputationGraph.fitPaths} pass, the loss split into reconstruction and KL on a sample of
 * training batches and on the whole validation split (on the executors), a row in
 * {@code metrics/train.csv}, a progress line and a checkpoint. At the end {@code model/} holds
 * {@code vae.zip}, {@code decoder.zip}, {@code prior.bin}, {@code config.conf} and {@code loss.png}, and for use
 * outside polyvae the decoder, encoder and prior as ONNX with a model card ({@link ModelExport}), swapped in whole.
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
            // Compared as a user writes the values, so 4 in the file and "4" from the command line agree.
            List<Fingerprints.Difference> changed = saved.isEmpty() ? List.of()
                    : Fingerprints.differences(saved, resumeSettings());
            if (!changed.isEmpty()) {
                throw new ConfigError("polyvae.train.resume=true, but the checkpoints in " + checkpoints.dir()
                        + " were made with other model/training settings: " + settingsChange(changed));
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

        ParameterAveraging averaging = new ParameterAveraging(sc, net, ParameterAveraging.Settings.of(sc, train,
                train.averagingFrequency(), model.seed(), train.splitSeed()));
        ExecutorLossMonitor faults = new ExecutorLossMonitor();
        sc.sc().addSparkListener(faults);
        try {
            net = fitEpochs(sc, averaging, batches, checkpoints, metrics, first, faults);
        } finally {
            sc.sc().removeSparkListener(faults);
        }
        writeModel(sc, fs, layout.model(), net, arch, metrics, batches);
        return new Result(List.copyOf(metrics.rows()), net);
    }

    private ComputationGraph fitEpochs(JavaSparkContext sc, ParameterAveraging averaging, BatchExport.Batches batches,
            Checkpoints checkpoints, TrainMetrics metrics, int first, ExecutorLossMonitor faults) throws IOException {
        VaeBatchLoader loader = VaeBatchLoader.of(model);
        LossEvaluator evaluator = new LossEvaluator(loader);
        IntFunction<String> advice = epoch -> divergenceAdvice(epoch > 1 ? checkpoints.file(epoch - 1).toString() : null);
        double[] elapsed = {0};
        ParameterAveraging.EpochListener afterEpoch = (fitted, net) -> {
            int epoch = fitted.number();
            double seconds = fitted.seconds();
            elapsed[0] += seconds;
            List<String> paths = fitted.order();
            List<String> sample = train.lossSampleBatches() == 0 || paths.size() <= train.lossSampleBatches()
                    ? paths : paths.subList(0, train.lossSampleBatches());
            LossEvaluator.Loss tl = evaluator.evaluate(sc, net, sample);
            LossEvaluator.Loss vl = evaluator.evaluate(sc, net, batches.validation());
            TrainingDivergedException.check("the training loss", tl.total(), epoch, advice.apply(epoch));
            if (vl.images() > 0) {
                TrainingDivergedException.check("the validation loss", vl.total(), epoch, advice.apply(epoch));
            }
            double rate = batches.trainImages() / seconds;
            metrics.add(new TrainMetrics.Row(epoch, tl.total(), tl.reconstruction(), tl.kl(), vl.total(),
                    vl.reconstruction(), vl.kl(), rate, seconds, fitted.learningRate(), tl.adversarial(),
                    vl.adversarial()));
            checkpoints.save(net, epoch);
            int done = epoch - first + 1;
            double eta = elapsed[0] / done * (train.epochs() - epoch);
            String discriminator = Double.isNaN(tl.adversarial()) ? ""
                    : String.format(Locale.ROOT, "  discriminator %.2f", tl.adversarial());
            LOG.info(String.format(Locale.ROOT, "train: epoch %d/%d  loss %.2f (reconstruction %.2f + KL %.2f)%s  "
                            + "validation %.2f  %.0f images/s  %.1f s  ETA %d:%02d", epoch, train.epochs(), tl.total(),
                    tl.reconstruction(), tl.kl(), discriminator, vl.total(), rate, seconds, (long) eta / 60,
                    (long) eta % 60));
            ExecutorLossMonitor.Faults f = faults.drain();
            if (f.any()) {
                LOG.warn("train: epoch {} recovered from {} lost executor(s): {} failed task(s) re-run by Spark, {} "
                        + "executor(s) joined, parameter averaging carried on", epoch, f.executorsLost(),
                        f.tasksFailed(), f.executorsAdded());
            }
        };
        return averaging.fitEpochs(first, train.epochs(), batches.train(), loader, "the training loss", advice,
                afterEpoch);
    }

    /** What to do when the VAE diverged: where the last good parameters are, and which setting to lower. */
    static String divergenceAdvice(String lastGoodCheckpoint) {
        return "last good checkpoint: "
                + (lastGoodCheckpoint == null ? "none (it diverged in the first epoch)" : lastGoodCheckpoint)
                + ". Lower polyvae.model.learning-rate and rerun (polyvae.train.resume=true continues from it).";
    }

    /** What differs from the checkpoints' settings, key by key, and how to resume anyway. */
    private static String settingsChange(List<Fingerprints.Difference> changed) {
        String what = changed.stream().map(d -> configKey(d.path()) + " = " + (d.saved() == null ? "absent" : d.saved())
                + " there, " + (d.now() == null ? "absent" : d.now()) + " now").collect(Collectors.joining("; "));
        String back = changed.stream().filter(d -> d.saved() != null).map(d -> configKey(d.path()) + "=" + d.saved())
                .collect(Collectors.joining(" "));
        return what + ". " + (back.isEmpty() ? "Use resume=false to start over."
                : "Set " + (changed.size() == 1 ? "it" : "them") + " back (" + back + "), or resume=false to start over.");
    }

    /** The configuration key of a path of {@link #resumeSettings}. */
    private static String configKey(String path) {
        return path.equals("resolution") ? "polyvae.data.resolution" : "polyvae." + path;
    }

    /** What a checkpoint's network depends on: the model and the training settings except epochs/resume. */
    private Config resumeSettings() {
        Config c = config.config();
        return ConfigFactory.empty()
                .withValue("model", c.getValue("polyvae.model"))
                .withValue("train", c.getConfig("polyvae.train").withoutPath("epochs").withoutPath("resume")
                        .withoutPath("prior").root())
                .withValue("resolution", ConfigValueFactory.fromAnyRef(config.data().resolution()));
    }

    private void writeModel(JavaSparkContext sc, FileSystem fs, Path dir, ComputationGraph net, VaeArchitecture arch,
            TrainMetrics metrics, BatchExport.Batches batches) throws IOException {
        // Serialised once: the bytes the executors encode the training images with are the vae.zip written below.
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, zip, true);
        byte[] vaeZip = zip.toByteArray();
        List<EncodedImage> codes = DatasetEncoder.encode(sc, vaeZip, batches.train());
        LatentPrior prior = AggregatePosterior.fit(codes, model.conditional());
        LOG.info("train: learned prior fitted to the codes of {} training images ({})",
                prior.components().stream().mapToInt(LatentPrior.Component::images).sum(),
                prior.components().stream().map(c -> String.format(Locale.ROOT,
                        "%s: %d images, shrinkage %.2f, E11 R² from the code %.2f",
                        c.micrometres() == LatentPrior.ALL_CLASSES ? "all" : c.micrometres() + " µm", c.images(),
                        c.shrinkage(), prior.e11R2(c.micrometres()))).collect(Collectors.joining("; ")));
        AutoregressivePrior codePrior = null;
        if (train.prior().autoregressive() && !AutoregressivePriorTrainer.anythingToTrain(model, train.prior(), codes)) {
            LOG.info("train: no autoregressive prior: none of polyvae.train.prior.classes = {} is a class of this "
                    + "model{}; stage sample's prior = autoregressive draws every class from the learned Gaussian",
                    train.prior().classes(), model.conditional() ? "" : " (an unconditional model has no classes)");
        } else if (train.prior().autoregressive()) {
            List<EncodedImage> held = DatasetEncoder.encode(sc, vaeZip, batches.validation());
            codePrior = new AutoregressivePriorTrainer(model, train).train(sc, fs,
                    new OutputLayout(config).priorBatches(), codes, held);
        }
        try (AtomicOutput out = AtomicOutput.begin(fs, dir, true, "polyvae.train")) {
            HadoopFiles.writeBytes(fs, OutputLayout.vaeZip(out.tmp()), vaeZip);
            HadoopFiles.write(fs, OutputLayout.latentPrior(out.tmp()), prior::write);
            if (codePrior != null) {
                HadoopFiles.write(fs, OutputLayout.codePrior(out.tmp()), codePrior::write);
            }
            ComputationGraph decoder = Decoders.extract(net, arch);
            HadoopFiles.write(fs, OutputLayout.decoderZip(out.tmp()), os -> ModelSerializer.writeModel(decoder, os, false));
            // What TrainedModel reads the model's settings from.
            HadoopFiles.writeString(fs, OutputLayout.modelConfig(out.tmp()),
                    "# The resolved configuration that trained this model.\n" + config.renderResolved());
            HadoopFiles.writeBytes(fs, OutputLayout.lossCurve(out.tmp()), metrics.lossCurvePng());
            ModelExport.write(fs, out.tmp(), config, net, decoder, prior, codePrior, batches, metrics.rows());
            out.commit();
        }
        LOG.info("train: wrote {} (vae.zip, decoder.zip, prior.bin{}, config.conf, loss.png; decoder, encoder and "
                + "prior as ONNX; model-card.json)", fs.makeQualified(dir), codePrior == null ? "" : ", code-prior.bin");
    }
}
