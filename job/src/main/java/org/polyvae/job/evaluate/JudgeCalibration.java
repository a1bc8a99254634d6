package org.polyvae.job.evaluate;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.polyvae.config.ConfigError;
import org.polyvae.config.EvaluateSettings;
import org.polyvae.config.PolyvaeConfig;
import org.polyvae.config.SynthSettings;
import org.polyvae.data.WindowClass;
import org.polyvae.image.GrayImages;
import org.polyvae.image.JpegCodec;
import org.polyvae.job.batches.BatchExport;
import org.polyvae.job.output.Evaluation;
import org.polyvae.job.output.OutputLayout;
import org.polyvae.job.output.SampleManifest;
import org.polyvae.synth.GrainProcess;
import org.polyvae.synth.Microstructure;
import org.polyvae.synth.MicrostructureGenerator;

/**
 * Does the evaluation tell? It scores sets whose verdict is known against the same reference, with held-out
 * images as the real comparison set: real images the judge did not train on (half of the evaluation's
 * reference; the other half is the reference here), the same images blurred by a 1.5-pixel Gaussian and
 * posterised to 4 grays, fresh Voronoi microstructures of the stand-in
 * generator at the data's grain density and at half and double it (rendered, JPEG-coded and downscaled as
 * stage synth and the batch export do), the data's density drawn sharp at the model's resolution, and, when
 * given, generated samples. A judge blind to blur or to grain size shows up as a small KID ratio on those rows;
 * the sharp row says what a decoder of the right geometry that draws one-pixel steps would score.
 */
public final class JudgeCalibration {
    /** The Gaussian of the blurred row, in pixels of the model resolution. */
    static final double BLUR_SIGMA = 1.5;
    /** Gray levels of the posterised row. */
    static final int POSTERISE_LEVELS = 4;
    /** Bins of the gray histogram the shared statistics compute (not part of the table). */
    private static final int GRAY_BINS = 16;

    private final Judge judge;
    private final FeatureDistances distances;
    private final SynthSettings synth;
    private final int resolution;

    JudgeCalibration(Judge judge, FeatureDistances distances, SynthSettings synth, int resolution) {
        this.judge = judge;
        this.distances = distances;
        this.synth = synth;
        this.resolution = resolution;
    }

    /**
     * One row of the table.
     *
     * @param classAgreement share of images the judge files under their class (the class of the image they
     *                       were made from; NaN for samples without one)
     * @param classKidRatio  mean over the classes of the KID ratio of each class's images against that class's
     *                       reference and real images ({@link FeatureDistances#kidPerClass}); NaN without classes
     */
    public record Row(String set, int images, Evaluation.Kid kid, Evaluation.Frechet frechet, double classAgreement,
            double classKidRatio, double flatPixelShare, double grainsPerImage, double sameGrainDistance,
            double largestGrainShare, double thickGrainsPerImage) {
    }

    /**
     * @param heldOut   held-out real images: the real comparison set
     * @param reference training-split images the judge did not train on: every other one is the probe that the
     *                  modifications start from (with the reference's class mix), the rest the reference of
     *                  the feature distances; all three unseen by the judge and disjoint
     * @param samples   generated images to place in the table, or an empty list
     */
    List<Row> rows(List<Scored> heldOut, List<Scored> reference, List<Scored> samples) throws IOException {
        List<Scored> ref = new ArrayList<>();
        List<Scored> probe = new ArrayList<>();
        for (int i = 0; i < reference.size(); i++) {
            (i % 2 == 0 ? ref : probe).add(reference.get(i));
        }
        probe = FeatureDistances.likeReference(probe, ref, probe.size());
        if (probe.size() < 4 || heldOut.size() < 4) {
            throw new IllegalArgumentException("the calibration needs ≥ 8 reference and ≥ 4 held-out images, got "
                    + reference.size() + " and " + heldOut.size());
        }
        EvaluationMetrics.Stats real = new EvaluationMetrics.Stats(heldOut, GRAY_BINS);
        List<Row> rows = new ArrayList<>();
        rows.add(row("real (unseen training-split images)", probe, heldOut, real, ref));
        rows.add(row("real, class labels rotated (each filed as the next class)", rotated(probe), heldOut, real, ref));
        rows.add(row("blurred (Gaussian σ 1.5 px)", relabel(probe, modified(probe, this::blur)), heldOut, real, ref));
        rows.add(row("posterised (4 grays)", relabel(probe, modified(probe, JudgeCalibration::posterise)), heldOut,
                real, ref));
        for (double factor : new double[] {1, 0.5, 2}) {
            rows.add(row(String.format(Locale.ROOT, "Voronoi, grain density ×%s", factor == 1 ? "1 (the data's)"
                    : factor == 0.5 ? "½" : "2"), voronoi(probe, factor, false), heldOut, real, ref));
        }
        rows.add(row("Voronoi, grain density ×1, drawn sharp at the model's resolution", voronoi(probe, 1, true),
                heldOut, real, ref));
        if (!samples.isEmpty()) {
            rows.add(row("generated samples (raw; class: the one each was drawn for)", samples, heldOut, real, ref));
        }
        return rows;
    }

    /**
     * @param real      the real comparison set
     * @param realStats its microstructure statistics (the same for every row)
     */
    private Row row(String set, List<Scored> images, List<Scored> real, EvaluationMetrics.Stats realStats,
            List<Scored> reference) {
        FeatureDistances.Pair d = distances.of(images, real, reference);
        int labelled = 0;
        int agree = 0;
        for (Scored s : images) {
            if (s.trueClass() >= 0) {
                labelled++;
                agree += s.predictedClass() == s.trueClass() ? 1 : 0;
            }
        }
        Evaluation.Microstructure m = new EvaluationMetrics.Stats(images, GRAY_BINS).row(set, "all", realStats);
        double classKid = FeatureDistances.meanRatio(distances.kidPerClass(images, Scored::trueClass, real, reference)
                .values());
        return new Row(set, d.kid().generatedImages(), d.kid(), d.frechet(), labelled == 0 ? Double.NaN : agree / (double) labelled,
                classKid, m.flatPixelShare(), m.grainsPerImage(), m.sameGrainDistance(), m.largestGrainShare(),
                m.thickGrainsPerImage());
    }

    /**
     * The same images, each labelled with the next class: the mixture is unchanged, so KID over all classes cannot
     * see it; what is filed under each class is wrong, which the class agreement and the KID within classes must.
     */
    private List<Scored> rotated(List<Scored> images) {
        int classes = judge.micrometres().length;
        return images.stream().map(s -> s.withTrueClass((s.trueClass() + 1) % classes)).toList();
    }

    private interface Modification {
        float[] apply(float[] pixels);
    }

    private List<float[]> modified(List<Scored> images, Modification m) {
        return images.stream().map(s -> m.apply(s.pixels())).toList();
    }

    /** The modified images scored by the judge, keeping the class and E11 of the image each was made from. */
    private List<Scored> relabel(List<Scored> from, List<float[]> pixels) throws IOException {
        List<Scored> scored = JudgeScoring.images(judge, pixels, resolution);
        List<Scored> out = new ArrayList<>(scored.size());
        for (int i = 0; i < scored.size(); i++) {
            Scored s = scored.get(i);
            out.add(new Scored(from.get(i).name(), from.get(i).trueClass(), from.get(i).trueE11(), s.probabilities(),
                    s.e11(), s.features(), s.gray(), s.size()));
        }
        return out;
    }

    /**
     * As many stand-in microstructures as probe images, of the same classes, at {@code factor} × the density;
     * image i draws from the same seed in every call, so the sharp set holds the ×1 set's microstructures.
     * {@code sharp}: rendered directly at the model's resolution, one gray per pixel, instead of at the stored
     * size, JPEG-coded and area-averaged down: the data's geometry as a decoder that draws each boundary as a
     * one-pixel step would, where the data's boundaries are blended.
     */
    private List<Scored> voronoi(List<Scored> probe, double factor, boolean sharp) throws IOException {
        GrainProcess process = GrainProcess.of(synth);
        MicrostructureGenerator generator = new MicrostructureGenerator(process.withDensity(process.density() * factor));
        List<float[]> pixels = new ArrayList<>();
        List<Scored> classes = new ArrayList<>();
        for (int i = 0; i < probe.size(); i++) {
            Scored p = probe.get(i);
            WindowClass c = WindowClass.ofMicrometres(judge.micrometres()[p.trueClass()]);
            // Seeds far from stage synth's (which counts from the synth seed upwards): fresh images.
            Microstructure m = generator.generate(c, synth.seed() ^ 0x5DEECE66DL * (i + 1));
            if (sharp) {
                pixels.add(GrayImages.fromBytes(m.render(resolution)));
            } else {
                ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
                JpegCodec.writeGray(m.render(synth.imageSize()), synth.imageSize(), (float) synth.jpegQuality(), jpeg);
                pixels.add(GrayImages.decode(jpeg.toByteArray(), resolution));
            }
            classes.add(new Scored(p.name(), p.trueClass(), Double.NaN, p.probabilities(), p.e11(), p.features(),
                    p.gray(), p.size()));
        }
        return relabel(classes, pixels);
    }

    /** Gaussian blur of σ {@value #BLUR_SIGMA} px, separable, kernel to 3σ, borders clamped. */
    float[] blur(float[] px) {
        int radius = (int) Math.ceil(3 * BLUR_SIGMA);
        double[] k = new double[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            k[i + radius] = Math.exp(-i * i / (2 * BLUR_SIGMA * BLUR_SIGMA));
            sum += k[i + radius];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        int n = resolution;
        float[] rows = new float[px.length];
        float[] out = new float[px.length];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                double v = 0;
                for (int i = -radius; i <= radius; i++) {
                    v += k[i + radius] * px[r * n + Math.min(n - 1, Math.max(0, c + i))];
                }
                rows[r * n + c] = (float) v;
            }
        }
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                double v = 0;
                for (int i = -radius; i <= radius; i++) {
                    v += k[i + radius] * rows[Math.min(n - 1, Math.max(0, r + i)) * n + c];
                }
                out[r * n + c] = (float) v;
            }
        }
        return out;
    }

    /** Each pixel to the nearest of {@value #POSTERISE_LEVELS} equally spaced grays. */
    static float[] posterise(float[] px) {
        float[] out = new float[px.length];
        for (int i = 0; i < px.length; i++) {
            out[i] = Math.round(Math.min(1f, Math.max(0f, px[i])) * (POSTERISE_LEVELS - 1)) / (float) (POSTERISE_LEVELS - 1);
        }
        return out;
    }

    /** The rows as a Markdown table. */
    public static String markdown(List<Row> rows) {
        StringBuilder b = new StringBuilder("| set | images | KID ratio | KID (×10³) | Fréchet ratio | class agreement "
                + "| KID ratio within classes | flat pixels | grains/image | with an interior | largest grain "
                + "| S2 distance |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT,
                    "| %s | %d | %.1f | %.2f ± %.2f | %.2f | %s | %s | %.3f | %.1f | %.1f | %.3f | %.3f |%n",
                    r.set(), r.images(), r.kid().ratio(), 1e3 * r.kid().generatedVsReal(),
                    1e3 * r.kid().generatedStandardError(), r.frechet().ratio(),
                    Double.isNaN(r.classAgreement()) ? "–" : String.format(Locale.ROOT, "%.2f", r.classAgreement()),
                    Double.isNaN(r.classKidRatio()) ? "–" : String.format(Locale.ROOT, "%.1f", r.classKidRatio()),
                    r.flatPixelShare(), r.grainsPerImage(), r.thickGrainsPerImage(), r.largestGrainShare(),
                    r.sameGrainDistance()));
        }
        Row first = rows.get(0);
        b.append(String.format(Locale.ROOT, "%nSizes: %d images per set (the real comparison set: held-out images) "
                        + "against a reference of %d training-split images the judge did not train on; real-vs-real KID %.2f ± %.2f ×10⁻³ (%d subsets of %d).%n", first.kid().realImages(),
                first.kid().referenceImages(), 1e3 * first.kid().realVsReal(), 1e3 * first.kid().realStandardError(),
                first.kid().subsets(), first.kid().subsetSize()));
        return b.toString();
    }

    /**
     * The calibration of a configuration's judge (trained, or reused when saved): the held-out split, the
     * reference of stage evaluate and, when present, the raw samples in {@code polyvae.evaluate.samples}.
     */
    public static List<Row> run(PolyvaeConfig config, JavaSparkContext sc) throws IOException {
        EvaluateSettings s = config.evaluate();
        OutputLayout layout = new OutputLayout(config);
        BatchExport.Batches batches = new BatchExport(config.data(), config.train(), layout).ensure(sc);
        if (batches.validation().isEmpty()) {
            throw new ConfigError("judge calibration: no held-out images; raise polyvae.train.validation-fraction (now "
                    + config.train().validationFraction() + ")");
        }
        JudgeTrainer.Trained trained = new JudgeTrainer(config, layout).ensure(sc, batches);
        Judge judge = trained.judge();
        List<Scored> heldOut = JudgeScoring.batchFiles(sc, judge, batches.validation());
        List<Scored> reference = JudgeScoring.batchFiles(sc, judge, trained.split().reference());
        Path dir = new Path(s.samples());
        FileSystem fs = dir.getFileSystem(sc.hadoopConfiguration());
        List<String> files = EvaluateStage.samplePngs(fs, dir);
        List<Scored> samples = files.size() < 2 ? List.of()
                : JudgeScoring.imageFiles(sc, judge, files, config.data().resolution());
        // A conditional model's samples are filed under the class they were drawn for: their agreement and KID
        // within classes then read like the real rows'.
        Map<String, Integer> requested = SampleManifest.read(fs, dir).requestedClasses();
        samples = samples.stream().map(x -> requested.containsKey(x.name())
                ? x.withTrueClass(judge.classIndex(requested.get(x.name()))) : x).toList();
        return new JudgeCalibration(judge, new FeatureDistances(s.kidSubsets(), s.kidSubsetSize(), s.seed()),
                config.synth(), config.data().resolution()).rows(heldOut, reference, samples);
    }
}
