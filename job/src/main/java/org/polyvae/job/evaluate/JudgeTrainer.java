package org.polyvae.job.evaluate;

import org.polyvae.job.batches.JudgeBatchLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.polyvae.config.EvaluateSettings;
import org.polyvae.config.PolyvaeConfig;
import org.polyvae.data.ImageEntry;
import org.polyvae.data.WindowClass;
import org.polyvae.io.AtomicOutput;
import org.polyvae.job.batches.BatchExport;
import org.polyvae.job.spark.ParameterAveraging;
import org.polyvae.model.EvaluatorArchitecture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The judge CNN trained on Spark with parameter averaging from the training split's batch files (the same
 * files the VAE trains on; the validation split stays unseen). Saved as {@code cnn.zip} with
 * {@code evaluator.conf} (what it was trained on, and its E11 scale) in {@code polyvae.evaluate.model-dir},
 * and reused while both are unchanged.
 */
final class JudgeTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(JudgeTrainer.class);
    static final String MODEL = "cnn.zip";
    static final String FINGERPRINT = "evaluator.conf";

    private final PolyvaeConfig config;
    private final EvaluateSettings s;

    JudgeTrainer(PolyvaeConfig config) {
        this.config = config;
        this.s = config.evaluate();
    }

    /** The judge and whether it was reused from an earlier run. */
    record Trained(Judge judge, boolean reused, int epochs) {
    }

    Trained ensure(JavaSparkContext sc, BatchExport.Batches batches) throws IOException {
        Path dir = new Path(s.modelDir());
        FileSystem fs = dir.getFileSystem(sc.hadoopConfiguration());
        int[] micrometres = config.data().classes().stream().mapToInt(WindowClass::micrometres).toArray();
        double[] scale = e11Scale(batches.trainEntries());
        String fingerprint = fingerprint(BatchExport.manifest(fs, new Path(config.output().dir())), micrometres, scale);
        Path saved = new Path(dir, FINGERPRINT);
        if (!s.retrain() && fs.exists(saved) && fs.exists(new Path(dir, MODEL)) && read(fs, saved).equals(fingerprint)) {
            LOG.info("evaluate: reusing the judge in {} (trained on the same batches with the same settings)",
                    fs.makeQualified(dir));
            return new Trained(new Judge(readBytes(fs, new Path(dir, MODEL)), micrometres, scale[0], scale[1]), true,
                    s.epochs());
        }
        LOG.info("evaluate: training the judge CNN on {} images ({} batch files), {} epochs",
                batches.trainImages(), batches.train().size(), s.epochs());
        ComputationGraph net = new ComputationGraph(EvaluatorArchitecture.cnn(config.data().resolution(), s.channels(),
                s.featureWidth(), micrometres.length, s.learningRate(), s.seed()));
        net.init();
        ParameterAveraging averaging = new ParameterAveraging(sc, net, ParameterAveraging.Settings.of(sc,
                config.train(), s.averagingFrequency(), s.seed(), s.seed()));
        JudgeBatchLoader loader = new JudgeBatchLoader(micrometres, scale[0], scale[1]);
        net = averaging.fitEpochs(1, s.epochs(), batches.train(), loader, "evaluate: the judge's training loss",
                epoch -> "lower polyvae.evaluate.learning-rate (now " + s.learningRate() + ")",
                (fitted, fittedNet) -> LOG.info(String.format(Locale.ROOT,
                        "evaluate: judge epoch %d/%d  loss %.4f  %.0f images/s", fitted.number(), s.epochs(),
                        fitted.score(), batches.trainImages() / fitted.seconds())));
        try (AtomicOutput out = AtomicOutput.begin(fs, dir, true, "polyvae.evaluate.retrain")) {
            try (OutputStream os = fs.create(new Path(out.tmp(), MODEL))) {
                ModelSerializer.writeModel(net, os, false);
            }
            try (OutputStream os = fs.create(new Path(out.tmp(), FINGERPRINT))) {
                os.write(fingerprint.getBytes(StandardCharsets.UTF_8));
            }
            out.commit();
        }
        LOG.info("evaluate: wrote the judge to {}", fs.makeQualified(new Path(dir, MODEL)));
        return new Trained(new Judge(readBytes(fs, new Path(dir, MODEL)), micrometres, scale[0], scale[1]), false,
                s.epochs());
    }

    /** Mean and standard deviation of the training split's E11 (std 1 when all are equal). */
    static double[] e11Scale(List<ImageEntry> train) {
        if (train.isEmpty()) {
            throw new IllegalStateException("evaluate: the training split is empty");
        }
        double mean = train.stream().mapToDouble(ImageEntry::e11).average().orElseThrow();
        double var = train.stream().mapToDouble(e -> (e.e11() - mean) * (e.e11() - mean)).sum() / train.size();
        return new double[] {mean, var > 0 ? Math.sqrt(var) : 1.0};
    }

    private String fingerprint(String batchManifest, int[] micrometres, double[] scale) {
        return String.format(Locale.ROOT, "# The judge in %s was trained on these batches with these settings.%n"
                        + "%sclasses = %s%nchannels = %s%nfeature-width = %d%nepochs = %d%nlearning-rate = %s%n"
                        + "averaging-frequency = %d%nseed = %d%ne11-mean = %.9g%ne11-std = %.9g%n",
                MODEL, batchManifest, java.util.Arrays.toString(micrometres), s.channels(), s.featureWidth(), s.epochs(),
                s.learningRate(), s.averagingFrequency(), s.seed(), scale[0], scale[1]);
    }

    private static String read(FileSystem fs, Path p) throws IOException {
        return new String(readBytes(fs, p), StandardCharsets.UTF_8);
    }

    private static byte[] readBytes(FileSystem fs, Path p) throws IOException {
        try (InputStream in = fs.open(p)) {
            return in.readAllBytes();
        }
    }
}
