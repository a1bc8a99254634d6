package org.polyvae.job.evaluate;

import org.polyvae.job.batches.JudgeBatchLoader;
import org.polyvae.job.batches.SymmetryAugmentation;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.polyvae.config.ConfigError;
import org.polyvae.config.EvaluateSettings;
import org.polyvae.config.PolyvaeConfig;
import org.polyvae.data.ImageEntry;
import org.polyvae.data.WindowClass;
import org.polyvae.io.AtomicOutput;
import org.polyvae.io.HadoopFiles;
import org.polyvae.job.batches.BatchExport;
import org.polyvae.job.output.Fingerprints;
import org.polyvae.job.output.OutputLayout;
import org.polyvae.model.JudgeArchitecture;
import org.polyvae.job.spark.ParameterAveraging;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The judge CNN trained on Spark with parameter averaging from the training split's batch files (the same
 * files the VAE trains on) except the last ones, which hold about {@code polyvae.evaluate.reference-images}
 * images: the reference of the feature distances, unseen by the judge like the validation split
 * ({@link Split}). Saved as {@code cnn.zip} with
 * {@code judge.conf} (what it was trained on, and its E11 scale) in {@code polyvae.evaluate.model-dir},
 * and reused while both are unchanged.
 */
final class JudgeTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(JudgeTrainer.class);
    private final PolyvaeConfig config;
    private final OutputLayout layout;
    private final EvaluateSettings s;

    JudgeTrainer(PolyvaeConfig config, OutputLayout layout) {
        this.config = config;
        this.layout = layout;
        this.s = config.evaluate();
    }

    /** The judge, whether it was reused from an earlier run, and which training files it did not see. */
    record Trained(Judge judge, boolean reused, int epochs, Split split) {
    }

    /**
     * The training split's batch files divided: the judge trains on {@code judge}; {@code reference} (whole
     * files from the end, at most half of them) is kept from it. A judge's features on its own training
     * images are more extreme than on unseen ones, so against a reference it trained on, unseen real images
     * would look unlike real ones and the real-vs-real scale would swallow the samples' distance.
     */
    record Split(List<String> judge, List<String> reference, long judgeImages) {
        /** @param referenceImages images wanted in the reference; {@code judgeImages} is estimated from whole files */
        static Split of(BatchExport.Batches batches, int referenceImages) {
            List<String> files = batches.train();
            double perFile = Math.max(1, batches.trainImages() / (double) Math.max(1, files.size()));
            int keep = (int) Math.min(files.size() / 2, Math.max(1, Math.ceil(referenceImages / perFile)));
            List<String> judge = files.subList(0, files.size() - keep);
            return new Split(List.copyOf(judge), List.copyOf(files.subList(files.size() - keep, files.size())),
                    Math.round(judge.size() * perFile));
        }
    }

    Trained ensure(JavaSparkContext sc, BatchExport.Batches batches) throws IOException {
        Path dir = layout.judge();
        FileSystem fs = dir.getFileSystem(sc.hadoopConfiguration());
        int[] micrometres = config.data().classes().stream().mapToInt(WindowClass::micrometres).toArray();
        double[] scale = e11Scale(batches.trainEntries());
        Split split = Split.of(batches, s.referenceImages());
        if (split.reference().isEmpty()) {
            throw new ConfigError("evaluate: " + batches.train().size() + " training batch file(s): at least 2 are "
                    + "needed, one for the judge and one for the reference; lower polyvae.train.batch-size (now "
                    + config.train().batchSize() + ") or use more images");
        }
        int epochs = s.judgeEpochs(split.judgeImages());
        Config fingerprint = fingerprint(BatchExport.fingerprint(fs, layout), micrometres, scale, split.reference().size(),
                epochs);
        Path saved = OutputLayout.judgeFingerprint(dir);
        Path model = OutputLayout.judgeModel(dir);
        if (!s.retrain() && fs.exists(saved) && fs.exists(model)
                && Fingerprints.read(fs, saved).equals(fingerprint)) {
            LOG.info("evaluate: reusing the judge in {} (trained on the same batches with the same settings)",
                    fs.makeQualified(dir));
            return new Trained(new Judge(HadoopFiles.readBytes(fs, model), micrometres, scale[0], scale[1]), true,
                    epochs, split);
        }
        LOG.info("evaluate: training the judge CNN on {} images ({} batch files; {} more kept as the reference), {} "
                + "epochs{}", split.judgeImages(), split.judge().size(), split.reference().size(), epochs,
                epochs < s.epochs() ? " (polyvae.evaluate.epochs " + s.epochs() + ", capped by image-budget "
                        + s.imageBudget() + ")" : "");
        ComputationGraph net = new ComputationGraph(JudgeArchitecture.cnn(config.data().resolution(), s.channels(),
                s.featureWidth(), micrometres.length, s.learningRate(), s.seed()));
        net.init();
        ParameterAveraging averaging = new ParameterAveraging(sc, net, ParameterAveraging.Settings.of(sc,
                config.train(), s.averagingFrequency(), s.seed(), s.seed()));
        JudgeBatchLoader loader = new JudgeBatchLoader(micrometres, scale[0], scale[1]);
        SymmetryAugmentation symmetries = new SymmetryAugmentation(s.seed());
        net = averaging.fitEpochsWithLoaders(1, epochs, split.judge(),
                epoch -> s.augment() ? loader.augmented(symmetries, epoch) : loader,
                "evaluate: the judge's training loss",
                epoch -> "lower polyvae.evaluate.learning-rate (now " + s.learningRate() + ")",
                (fitted, fittedNet) -> LOG.info(String.format(Locale.ROOT,
                        "evaluate: judge epoch %d/%d  loss %.4f  %.0f images/s", fitted.number(), epochs,
                        fitted.score(), split.judgeImages() / fitted.seconds())));
        try (AtomicOutput out = AtomicOutput.begin(fs, dir, true, "polyvae.evaluate.retrain")) {
            try (OutputStream os = fs.create(OutputLayout.judgeModel(out.tmp()))) {
                ModelSerializer.writeModel(net, os, false);
            }
            Fingerprints.write(fs, OutputLayout.judgeFingerprint(out.tmp()),
                    "The judge in " + model.getName() + " was trained on these batches with these settings.",
                    fingerprint);
            out.commit();
        }
        LOG.info("evaluate: wrote the judge to {}", fs.makeQualified(model));
        return new Trained(new Judge(HadoopFiles.readBytes(fs, model), micrometres, scale[0], scale[1]), false,
                epochs, split);
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

    /** What the judge depends on: the batches it trained on, its settings, and the E11 scale of its targets. */
    private Config fingerprint(Config batchFingerprint, int[] micrometres, double[] scale, int referenceFiles,
            int epochs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("batches", batchFingerprint.root());
        m.put("classes", Arrays.stream(micrometres).boxed().toList());
        m.put("channels", s.channels());
        m.put("feature-width", s.featureWidth());
        m.put("epochs", epochs);
        m.put("augment", s.augment());
        m.put("learning-rate", s.learningRate());
        m.put("averaging-frequency", s.averagingFrequency());
        m.put("seed", s.seed());
        m.put("e11-mean", scale[0]);
        m.put("e11-std", scale[1]);
        m.put("reference-files", referenceFiles);
        return ConfigFactory.parseMap(m, "the judge's fingerprint");
    }
}
