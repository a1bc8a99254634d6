package org.polyvae.job.evaluate;

import org.polyvae.config.ConfigError;
import org.polyvae.config.MissingInputException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.polyvae.config.EvaluateSettings;
import org.polyvae.config.PolyvaeConfig;
import org.polyvae.io.AtomicOutput;
import org.polyvae.io.HadoopFiles;
import org.polyvae.job.output.Evaluation;
import org.polyvae.job.output.ModelCard;
import org.polyvae.job.output.OutputLayout;
import org.polyvae.job.output.SampleManifest;
import org.polyvae.job.batches.BatchExport;
import org.polyvae.job.report.ReportPage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage {@code evaluate}: the reviewer's judge, built in. A CNN ({@link JudgeTrainer}) trained on the
 * training split scores the generated images (sample-NNN.png, the model's own output and the headline, and,
 * when present, the post-step's tessellated/sample-NNN.png) against real images: class mix and confidence,
 * E11 distribution against the held-out split, KID and Fréchet distance in its features against a reference
 * from the training split (with the real-vs-real scale from as many held-out images, {@link FeatureDistances}),
 * microstructure statistics per class and the nearest training image of each sample. Writes {@code evaluation.json}, its report section ({@code section.json}, {@code figures/})
 * and {@code index.html} (the section as a page of its own) to {@code polyvae.evaluate.dir} (swapped in
 * whole), then renders the report page with the section.
 */
public final class EvaluateStage {
    private static final Logger LOG = LoggerFactory.getLogger(EvaluateStage.class);

    private final PolyvaeConfig config;
    private final EvaluateSettings s;

    public EvaluateStage(PolyvaeConfig config) {
        this.config = config;
        this.s = config.evaluate();
    }

    public Evaluation run(JavaSparkContext sc) throws IOException {
        // The samples first: a missing folder should fail before the judge trains.
        Map<String, List<String>> sampleFiles = sampleFiles(sc);
        Path samplesDir = new Path(s.samples());
        SampleManifest.Drawn drawn = SampleManifest.read(samplesDir.getFileSystem(sc.hadoopConfiguration()), samplesDir);
        Map<String, Integer> requested = drawn.requestedClasses();
        Double e11Target = drawn.e11Target();
        if (config.train().validationFraction() <= 0) {
            throw new ConfigError("evaluate needs held-out real images, but polyvae.train.validation-fraction "
                    + "is 0: set it above 0 (the judge never trains on that split)");
        }
        OutputLayout layout = new OutputLayout(config);
        BatchExport.Batches batches = new BatchExport(config.data(), config.train(), layout).ensure(sc);
        if (batches.validation().isEmpty()) {
            throw new ConfigError("evaluate: no held-out images in "
                    + OutputLayout.batches(layout.batches(), OutputLayout.VALIDATION) + "; raise "
                    + "polyvae.train.validation-fraction (now " + config.train().validationFraction() + ")");
        }
        JudgeTrainer.Trained trained = new JudgeTrainer(config, layout).ensure(sc, batches);
        Judge judge = trained.judge();
        EvaluationMetrics metrics = new EvaluationMetrics(judge, s.grayBins(), s.confidence(),
                new FeatureDistances(s.kidSubsets(), s.kidSubsetSize(), s.seed()));

        List<Scored> heldOut = JudgeScoring.batchFiles(sc, judge, batches.validation());
        if (heldOut.size() < 2) {
            throw new ConfigError("evaluate: " + heldOut.size() + " held-out image(s); the Fréchet distance "
                    + "needs at least 2: raise polyvae.train.validation-fraction (now "
                    + config.train().validationFraction() + ") or use more images");
        }
        List<Scored> reference = JudgeScoring.batchFiles(sc, judge, trained.split().reference());
        // Exact, unlike the split's estimate from whole files: partition ends leave shorter files.
        long judgeImages = batches.trainImages() - reference.size();
        Evaluation.JudgeQuality quality = metrics.judgeQuality(heldOut, reference, judgeImages, trained.epochs(),
                trained.reused());
        LOG.info(String.format(Locale.ROOT, "evaluate: judge on %d real images it did not train on (%d held-out, %d "
                + "reference): class accuracy %.3f, E11 R² %.3f, MAE %.3f GPa", heldOut.size() + reference.size(),
                heldOut.size(), reference.size(), quality.accuracy(), quality.e11R2(), quality.e11MaeGpa()));

        int resolution = config.data().resolution();
        Map<String, List<Scored>> scored = new LinkedHashMap<>();
        sampleFiles.forEach((set, files) -> scored.put(set, JudgeScoring.imageFiles(sc, judge, files, resolution)));
        LOG.info("evaluate: feature distances against {} training-split images the judge did not train on (the "
                + "reference); real-vs-real scale from {} held-out images", reference.size(), heldOut.size());

        // One pass over the training split for every query: the samples of each set and the held-out images.
        List<float[]> queries = new ArrayList<>();
        scored.values().forEach(list -> list.forEach(x -> queries.add(x.pixels())));
        heldOut.forEach(x -> queries.add(x.pixels()));
        double[] nn = NearestNeighbours.rmsDistances(sc, batches.train(), queries);
        Map<String, double[]> sampleNn = new LinkedHashMap<>();
        int at = 0;
        for (Map.Entry<String, List<Scored>> e : scored.entrySet()) {
            sampleNn.put(e.getKey(), Arrays.copyOfRange(nn, at, at + e.getValue().size()));
            at += e.getValue().size();
        }
        double[] heldOutNn = Arrays.copyOfRange(nn, at, nn.length);

        List<Evaluation.SampleSet> sets = new ArrayList<>();
        for (Map.Entry<String, List<Scored>> e : scored.entrySet()) {
            String folder = new Path(sampleFiles.get(e.getKey()).get(0)).getParent().toString();
            Evaluation.SampleSet set = metrics.sampleSet(e.getKey(), folder, e.getValue(), heldOut, reference,
                    sampleNn.get(e.getKey()), heldOutNn, requested, e11Target);
            sets.add(set);
            if (e11Target != null) {
                LOG.info(String.format(Locale.ROOT, "evaluate: %s samples drawn toward E11 = %.1f GPa: the judge reads "
                        + "%s GPa (held-out real images: %s)", set.set(), e11Target,
                        set.e11().meanGpaPerRequestedClass(), set.e11().realMeanGpaPerClass()));
            }
            if (set.conditioning() != null) {
                LOG.info(String.format(Locale.ROOT, "evaluate: %s samples filed under their requested class: %.3f %s; "
                        + "KID ratio of each requested class against its own real images: %s", set.set(),
                        set.conditioning().agreement(), set.conditioning().agreementPerClass(),
                        set.conditioning().kidPerClass().entrySet().stream().map(k -> String.format(Locale.ROOT,
                                "%s %.1f", k.getKey(), k.getValue().ratio())).toList()));
            }
            LOG.info(String.format(Locale.ROOT, "evaluate: %s samples (%d): KID %.4f ± %.4f vs real-real %.4f ± %.4f "
                            + "(ratio %.1f), Fréchet %.3f vs real-real %.3f (ratio %.2f), at %d vs %d reference images, "
                            + "confident %.2f, class mix %s, E11 W1 %.3f GPa, nearest training image median %.4f "
                            + "(held-out %.4f)", set.set(), set.images(), set.kid().generatedVsReal(),
                    set.kid().generatedStandardError(), set.kid().realVsReal(), set.kid().realStandardError(),
                    set.kid().ratio(), set.frechet().generatedVsReal(), set.frechet().realVsReal(),
                    set.frechet().ratio(), set.frechet().generatedImages(), set.frechet().referenceImages(),
                    set.confidentShare(), set.classMix(),
                    set.e11().w1Gpa() == null ? Double.NaN : set.e11().w1Gpa(), set.nearestTraining().median(), set.nearestTraining().heldOutMedian()));
        }
        Evaluation.Headline headline = EvaluationMetrics.headline(sets.get(0), quality, drawn.regionDecoding());
        LOG.info(headlineLine(headline));
        Evaluation.Reference ref = new Evaluation.Reference(REFERENCE_SCHEME, reference.size(), heldOut.size(),
                s.kidSubsets(), sets.get(0).kid().subsetSize());
        Evaluation evaluation = new Evaluation(qualified(sc, s.samples()), headline, ref, quality, sets);
        write(sc, layout, evaluation, scored, heldOut, sampleNn, heldOutNn);
        return evaluation;
    }

    /** How the real images are used by the feature distances, for evaluation.json and the report. */
    static final String REFERENCE_SCHEME = "reference: training-split images kept out of the judge's training; "
            + "real comparison set: as many held-out images as samples; all three unseen by the judge, the two "
            + "compared sets each scored against the same reference";

    /** The log line that leads: the raw decoder output's figures. */
    static String headlineLine(Evaluation.Headline h) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "evaluate: HEADLINE %s samples (the model's own output%s): KID ratio %.1f, Fréchet ratio %.2f",
                h.set(), h.regionDecoding() == null ? "" : ", region decoding: " + h.regionDecoding(),
                h.kidRatio(), h.frechetRatio()));
        if (h.requestedClassAgreement() != null) {
            b.append(String.format(Locale.ROOT, ", requested class %.2f (real images %.2f)", h.requestedClassAgreement(),
                    h.realClassAgreement()));
        }
        if (h.classKidRatio() != null) {
            b.append(String.format(Locale.ROOT, ", KID ratio within classes %.1f", h.classKidRatio()));
        }
        h.perClass().forEach((c, x) -> b.append(String.format(Locale.ROOT,
                "; %s: flat %.2f (data %.2f), grains/image %.1f (data %.1f; with an interior %.1f, data %.1f), "
                + "largest grain %.2f (data %.2f)%s%s", c, x.flatPixelShare(), x.dataFlatPixelShare(),
                x.grainsPerImage(), x.dataGrainsPerImage(), x.thickGrainsPerImage(), x.dataThickGrainsPerImage(),
                x.largestGrainShare(), x.dataLargestGrainShare(),
                x.requestedClassAgreement() == null ? "" : String.format(Locale.ROOT, ", requested class %.2f (real %.2f)",
                        x.requestedClassAgreement(), x.realAgreement()),
                x.kidRatio() == null ? "" : String.format(Locale.ROOT, ", KID ratio %.1f", x.kidRatio()))));
        return b.toString();
    }

    /** "raw" → sample-NNN.png in the samples folder; "tessellated" → the same names in tessellated/, when present. */
    private Map<String, List<String>> sampleFiles(JavaSparkContext sc) throws IOException {
        Path dir = new Path(s.samples());
        FileSystem fs = dir.getFileSystem(sc.hadoopConfiguration());
        Map<String, List<String>> sets = new LinkedHashMap<>();
        List<String> raw = samplePngs(fs, dir);
        if (raw.size() < 2) {
            throw new MissingInputException("evaluate: " + (fs.exists(dir) ? "fewer than 2 sample-NNN.png files in "
                    : "no folder ") + fs.makeQualified(dir) + " (polyvae.evaluate.samples): run stage sample first");
        }
        sets.put("raw", raw);
        List<String> tess = samplePngs(fs, OutputLayout.tessellatedSamples(dir));
        if (tess.size() >= 2) {
            sets.put("tessellated", tess);
        }
        return sets;
    }

    static List<String> samplePngs(FileSystem fs, Path dir) throws IOException {
        List<String> files = new ArrayList<>();
        if (fs.exists(dir)) {
            for (FileStatus st : fs.listStatus(dir)) {
                if (st.isFile() && OutputLayout.isSampleName(st.getPath().getName())) {
                    files.add(st.getPath().toString());
                }
            }
        }
        files.sort(null);
        return files;
    }

    private void write(JavaSparkContext sc, OutputLayout layout, Evaluation evaluation,
            Map<String, List<Scored>> scored, List<Scored> heldOut, Map<String, double[]> sampleNn, double[] heldOutNn)
            throws IOException {
        Path target = layout.evaluation();
        FileSystem fs = target.getFileSystem(sc.hadoopConfiguration());
        Path json = fs.makeQualified(OutputLayout.evaluationJson(target));
        EvaluationReport report = new EvaluationReport(evaluation, scored, heldOut, sampleNn, heldOutNn, json.toString());
        try (AtomicOutput out = AtomicOutput.begin(fs, target, true, "polyvae.evaluate")) {
            evaluation.write(fs, OutputLayout.evaluationJson(out.tmp()));
            report.write(fs, out.tmp());
            ReportPage.write(sc.hadoopConfiguration(), "polyvae evaluation", out.tmp(), List.of(out.tmp()));
            out.commit();
        }
        LOG.info("evaluate: wrote {}", json);
        addToModelCard(sc, layout, evaluation);
        ReportPage.publish(sc.hadoopConfiguration(), config);
        LOG.info("evaluate: the report {} shows the evaluation", OutputLayout.reportPage(layout.report()));
    }

    /**
     * The headline into the model card, when the samples judged are the ones stage sample drew from this output
     * folder's model (polyvae.evaluate.samples = polyvae.sample.dir); samples from elsewhere leave it alone.
     */
    private void addToModelCard(JavaSparkContext sc, OutputLayout layout, Evaluation evaluation) throws IOException {
        Path model = layout.model();
        FileSystem fs = model.getFileSystem(sc.hadoopConfiguration());
        Path card = OutputLayout.modelCard(model);
        if (!fs.exists(card)) {
            return;
        }
        if (!evaluation.samples().equals(qualified(sc, config.sample().dir()))) {
            LOG.info("evaluate: {} left as it was: the samples judged ({}) are not polyvae.sample.dir", card,
                    evaluation.samples());
            return;
        }
        ModelCard.read(fs, card).withEvaluation(evaluation.headline()).writeInto(fs, model);
        LOG.info("evaluate: added the headline to {}", fs.makeQualified(card));
    }

    private static String qualified(JavaSparkContext sc, String dir) throws IOException {
        Path p = new Path(dir);
        return p.getFileSystem(sc.hadoopConfiguration()).makeQualified(p).toString();
    }
}
