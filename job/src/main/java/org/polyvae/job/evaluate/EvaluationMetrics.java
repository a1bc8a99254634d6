package org.polyvae.job.evaluate;

import org.polyvae.job.output.Evaluation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.apache.commons.math3.stat.StatUtils;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.polyvae.metrics.GrainStatistics;
import org.polyvae.metrics.Wasserstein1;

/** The figures of evaluation.json, from scored images (driver side, pure). */
final class EvaluationMetrics {
    private final Judge judge;
    private final int grayBins;
    private final double confidence;
    private final FeatureDistances distances;

    EvaluationMetrics(Judge judge, int grayBins, double confidence, FeatureDistances distances) {
        this.judge = judge;
        this.grayBins = grayBins;
        this.confidence = confidence;
        this.distances = distances;
    }

    private int classes() {
        return judge.classes();
    }

    /**
     * Accuracy, confusion matrix (rows true, columns predicted), E11 R² and MAE on the real images the judge did
     * not train on: the held-out split and the reference together (on the held-out split alone, one image moves
     * a class's accuracy by points).
     */
    Evaluation.JudgeQuality judgeQuality(List<Scored> heldOutImages, List<Scored> referenceImages, long trainImages,
            int epochs, boolean reused) {
        List<Scored> unseen = new ArrayList<>(heldOutImages);
        unseen.addAll(referenceImages);
        long[][] confusion = new long[classes()][classes()];
        long correct = 0;
        for (Scored s : unseen) {
            int p = s.predictedClass();
            confusion[s.trueClass()][p]++;
            correct += p == s.trueClass() ? 1 : 0;
        }
        int n = unseen.size();
        double[] truth = trueE11(unseen, s -> true);
        double[] residual = unseen.stream().mapToDouble(s -> s.e11() - s.trueE11()).toArray();
        double variance = StatUtils.populationVariance(truth);
        double r2 = variance > 0 ? 1 - StatUtils.sumSq(residual) / (n * variance) : 0;
        double mae = StatUtils.mean(Arrays.stream(residual).map(Math::abs).toArray());
        return new Evaluation.JudgeQuality(tokens(), trainImages, heldOutImages.size(), referenceImages.size(), epochs,
                reused, (double) correct / n, confusion, r2, mae, Math.sqrt(variance));
    }

    /**
     * @param generated the samples of one set
     * @param heldOut   held-out real images: the real comparison set of the feature distances, and the real
     *                  side of the E11 and microstructure figures
     * @param reference training-split real images, disjoint from heldOut: the reference of the feature
     *                  distances ({@link FeatureDistances})
     * @param sampleNn  nearest-training-image distance of each sample
     * @param heldOutNn the same for each held-out image
     * @param requested each sample's requested window size (µm) by file name, for a conditional model's
     *                  samples; empty otherwise
     * @param e11Target the E11 (GPa) the samples were drawn toward, or null
     */
    Evaluation.SampleSet sampleSet(String set, String folder, List<Scored> generated, List<Scored> heldOut,
            List<Scored> reference, double[] sampleNn, double[] heldOutNn, Map<String, Integer> requested,
            Double e11Target) {
        int n = generated.size();
        Map<String, Double> mix = new LinkedHashMap<>();
        Map<String, Double> realMix = new LinkedHashMap<>();
        for (int c = 0; c < classes(); c++) {
            int cc = c;
            mix.put(judge.classToken(c), generated.stream().filter(s -> s.predictedClass() == cc).count() / (double) n);
            realMix.put(judge.classToken(c), heldOut.stream().filter(s -> s.trueClass() == cc).count()
                    / (double) heldOut.size());
        }
        double meanConfidence = generated.stream().mapToDouble(Scored::confidence).average().orElse(0);
        double confident = generated.stream().filter(s -> s.confidence() > confidence).count() / (double) n;

        Map<String, Double> w1PerClass = new LinkedHashMap<>();
        for (int c = 0; c < classes(); c++) {
            int cc = c;
            w1PerClass.put(judge.classToken(c), w1(e11(generated, s -> s.predictedClass() == cc),
                    trueE11(heldOut, s -> s.trueClass() == cc)));
        }
        Map<String, Double> meanPerRequested = new LinkedHashMap<>();
        Map<String, Double> realMean = new LinkedHashMap<>();
        for (int c = 0; c < classes(); c++) {
            int cc = c;
            String token = judge.classToken(c);
            realMean.put(token, mean(trueE11(heldOut, s -> s.trueClass() == cc)));
            if (!requested.isEmpty()) {
                int um = judge.micrometres()[c];
                double[] of = e11(generated, s -> Integer.valueOf(um).equals(requested.get(s.name())));
                if (of.length > 0) {
                    meanPerRequested.put(token, mean(of));
                }
            }
        }
        if (requested.isEmpty()) {
            meanPerRequested.put("all", mean(e11(generated, s -> true)));
        }
        Evaluation.E11 e11 = new Evaluation.E11(w1(e11(generated, s -> true), trueE11(heldOut, s -> true)), w1PerClass,
                Wasserstein1.between(e11(heldOut, s -> true), trueE11(heldOut, s -> true)), e11Target, meanPerRequested,
                realMean);

        FeatureDistances.Pair d = distances.of(generated, heldOut, reference);

        List<Evaluation.Microstructure> micro = new ArrayList<>();
        for (int c = -1; c < classes(); c++) {
            int cc = c;
            String token = c < 0 ? "all" : judge.classToken(c);
            Stats real = new Stats(heldOut.stream().filter(s -> cc < 0 || s.trueClass() == cc).toList(), grayBins);
            Stats gen = new Stats(generated.stream().filter(s -> cc < 0 || s.predictedClass() == cc).toList(),
                    grayBins);
            micro.add(gen.row("generated", token, real));
            micro.add(real.row("real", token, null));
        }
        return new Evaluation.SampleSet(set, folder, n, mix, realMix, meanConfidence, confident, e11, d.frechet(), d.kid(), micro,
                neighbours(sampleNn, heldOutNn), requested.isEmpty() ? null : conditioning(generated, heldOut, reference, requested));
    }

    /** Agreement of the judge's class with each sample's requested class, and statistics by requested class. */
    Evaluation.Conditioning conditioning(List<Scored> generated, List<Scored> heldOut, List<Scored> reference,
            Map<String, Integer> requested) {
        long[][] confusion = new long[classes()][classes()];
        int[] wanted = new int[generated.size()];
        for (int i = 0; i < generated.size(); i++) {
            Scored s = generated.get(i);
            Integer um = requested.get(s.name());
            if (um == null) {
                throw new IllegalArgumentException("sample " + s.name() + " has no class in the samples' manifest.csv");
            }
            wanted[i] = judge.classIndex(um);
            if (wanted[i] < 0) {
                throw new IllegalArgumentException("sample " + s.name() + " was drawn as " + um + " µm, a class the judge "
                        + "does not know (" + Arrays.toString(judge.micrometres()) + " µm)");
            }
            confusion[wanted[i]][s.predictedClass()]++;
        }
        Map<String, Double> perClass = new LinkedHashMap<>();
        List<Evaluation.Microstructure> micro = new ArrayList<>();
        long agree = 0;
        for (int c = 0; c < classes(); c++) {
            long total = Arrays.stream(confusion[c]).sum();
            agree += confusion[c][c];
            if (total == 0) {
                continue;
            }
            perClass.put(judge.classToken(c), Evaluation.JudgeQuality.diagonalShare(confusion, c));
            int cc = c;
            Stats real = new Stats(heldOut.stream().filter(s -> s.trueClass() == cc).toList(), grayBins);
            Stats gen = new Stats(IntStream.range(0, generated.size()).filter(i -> wanted[i] == cc)
                    .mapToObj(generated::get).toList(), grayBins);
            micro.add(gen.row("requested", judge.classToken(c), real));
            micro.add(real.row("real", judge.classToken(c), null));
        }
        Map<String, Evaluation.Kid> kid = new LinkedHashMap<>();
        distances.kidPerClass(generated, s -> judge.classIndex(requested.get(s.name())), heldOut, reference)
                .forEach((c, k) -> kid.put(judge.classToken(c), k));
        return new Evaluation.Conditioning(agree / (double) generated.size(), perClass, confusion, micro, kid);
    }

    /**
     * The headline of a set: its KID and Fréchet ratios, requested-class agreement, and per class (requested
     * class for a conditional model, else the judge's class) flat-pixel share and grains per image against
     * the real images of that class; a conditional model's agreement beside the judge's own on real images.
     */
    static Evaluation.Headline headline(Evaluation.SampleSet set, Evaluation.JudgeQuality judge,
            String regionDecoding) {
        Evaluation.Conditioning c = set.conditioning();
        List<Evaluation.Microstructure> rows = c != null ? c.microstructure() : set.microstructure();
        String source = c != null ? "requested" : "generated";
        Map<String, Evaluation.ClassHeadline> perClass = new LinkedHashMap<>();
        for (Evaluation.Microstructure g : rows) {
            if (!g.source().equals(source) || g.windowClass().equals("all")) {
                continue;
            }
            Evaluation.Microstructure real = rows.stream()
                    .filter(r -> r.source().equals("real") && r.windowClass().equals(g.windowClass()))
                    .findFirst().orElseThrow();
            Evaluation.Kid kid = c == null ? null : c.kidPerClass().get(g.windowClass());
            perClass.put(g.windowClass(), new Evaluation.ClassHeadline(g.images(), g.flatPixelShare(),
                    real.flatPixelShare(), g.grainsPerImage(), real.grainsPerImage(),
                    c == null ? null : c.agreementPerClass().get(g.windowClass()),
                    c == null ? null : finiteOrNull(judge.classAccuracy(g.windowClass())),
                    kid == null ? null : kid.ratio(), g.largestGrainShare(), real.largestGrainShare(),
                    g.thickGrainsPerImage(), real.thickGrainsPerImage()));
        }
        Double classKid = c == null || c.kidPerClass().isEmpty() ? null
                : FeatureDistances.meanRatio(c.kidPerClass().values());
        Double realAgreement = c == null ? null : finiteOrNull(perClass.values().stream()
                .map(Evaluation.ClassHeadline::realAgreement).filter(a -> a != null).mapToDouble(a -> a).average()
                .orElse(Double.NaN));
        return new Evaluation.Headline(set.set(), set.kid().ratio(), set.frechet().ratio(),
                c == null ? null : c.agreement(), realAgreement, classKid, perClass, regionDecoding);
    }

    /** JSON has no NaN: a figure without images behind it is left out. */
    private static Double finiteOrNull(double x) {
        return Double.isFinite(x) ? x : null;
    }

    static Evaluation.Neighbours neighbours(double[] sample, double[] heldOut) {
        double p5 = percentile(heldOut, 0.05);
        double below = Arrays.stream(sample).filter(d -> d < p5).count() / (double) Math.max(1, sample.length);
        return new Evaluation.Neighbours(StatUtils.mean(sample), percentile(sample, 0.5),
                StatUtils.min(sample), StatUtils.mean(heldOut), percentile(heldOut, 0.5), p5, below);
    }

    /**
     * Microstructure statistics of a group of images (the reference grain rule), and a row of them against a
     * real group's: the one per-image measurement behind the evaluation's rows and the judge calibration's.
     */
    static final class Stats {
        final int grayBins;
        final int images;
        final double grains;
        final double[] areas;
        final double flat;
        final double[] histogram;
        final double[] sameGrain;
        final double[] largest;
        final double thickGrains;

        Stats(List<Scored> group, int grayBins) {
            this.grayBins = grayBins;
            images = group.size();
            histogram = new double[grayBins];
            sameGrain = new double[group.isEmpty() ? 0 : sameGrainRange(group.get(0).size()) + 1];
            List<Double> allAreas = new ArrayList<>();
            double[] g = new double[images];
            double[] f = new double[images];
            double[] thick = new double[images];
            largest = new double[images];
            for (int i = 0; i < images; i++) {
                Scored s = group.get(i);
                int[] a = GrainStatistics.grainAreas(s.gray(), s.size(), GrainStatistics.REFERENCE_JUMP_THRESHOLD,
                        GrainStatistics.REFERENCE_MIN_AREA);
                g[i] = a.length;
                thick[i] = GrainStatistics.thickGrainCount(s.gray(), s.size(), GrainStatistics.REFERENCE_JUMP_THRESHOLD,
                        GrainStatistics.REFERENCE_MIN_AREA);
                largest[i] = GrainStatistics.largestGrainShare(a, s.size());
                for (int v : a) {
                    allAreas.add((double) v);
                }
                f[i] = GrainStatistics.flatPixelShare(s.gray(), s.size(), GrainStatistics.REFERENCE_FLAT_TOLERANCE);
                double[] h = GrainStatistics.grayHistogram(s.gray(), s.size(), grayBins);
                for (int b = 0; b < grayBins; b++) {
                    histogram[b] += h[b] / group.size();
                }
                double[] s2 = GrainStatistics.sameGrainProbability(s.gray(), s.size(),
                        GrainStatistics.REFERENCE_JUMP_THRESHOLD, sameGrain.length - 1);
                for (int r = 0; r < sameGrain.length; r++) {
                    sameGrain[r] += s2[r] / group.size();
                }
            }
            grains = StatUtils.mean(g);
            thickGrains = StatUtils.mean(thick);
            flat = StatUtils.mean(f);
            areas = allAreas.stream().mapToDouble(Double::doubleValue).toArray();
        }

        Evaluation.Microstructure row(String source, String token, Stats real) {
            Double areaW1 = real == null ? null : w1(areas, real.areas);
            Double l1 = real == null || images == 0 || real.images == 0 ? null
                    : IntStream.range(0, grayBins).mapToDouble(b -> Math.abs(histogram[b] - real.histogram[b])).sum();
            Double s2 = real == null || images == 0 || real.images == 0 || sameGrain.length != real.sameGrain.length
                    ? null : Math.sqrt(IntStream.range(1, sameGrain.length)
                            .mapToDouble(r -> (sameGrain[r] - real.sameGrain[r]) * (sameGrain[r] - real.sameGrain[r]))
                            .average().orElse(0));
            return new Evaluation.Microstructure(source, token, images, nanToZero(grains),
                    nanToZero(areas.length > 0 ? StatUtils.mean(areas) : 0), areaW1, nanToZero(flat), histogram, l1,
                    sameGrain, s2, nanToZero(StatUtils.mean(largest)), real == null ? null : w1(largest, real.largest),
                    nanToZero(thickGrains));
        }
    }

    /** S2(r) up to a quarter of the image side: beyond it few pairs remain and grains of every class decorrelate. */
    static int sameGrainRange(int size) {
        return Math.max(1, size / 4);
    }

    private static double nanToZero(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    private List<String> tokens() {
        return IntStream.range(0, classes()).mapToObj(judge::classToken).toList();
    }

    private static double[] e11(List<Scored> images, Predicate<Scored> keep) {
        return images.stream().filter(keep).mapToDouble(Scored::e11).toArray();
    }

    private static Double mean(double[] v) {
        return v.length == 0 ? null : java.util.Arrays.stream(v).average().orElseThrow();
    }

    private static double[] trueE11(List<Scored> images, Predicate<Scored> keep) {
        return images.stream().filter(keep).mapToDouble(Scored::trueE11).toArray();
    }

    private static Double w1(double[] a, double[] b) {
        return a.length == 0 || b.length == 0 ? null : Wasserstein1.between(a, b);
    }

    /** Linear-interpolated quantile q in [0, 1] (numpy's default, R's type 7). */
    static double percentile(double[] v, double q) {
        if (v.length == 0) {
            return Double.NaN;
        }
        // Percentile takes p in (0, 100]; its R_7 estimate at p -> 0 is the minimum.
        return q == 0 ? StatUtils.min(v) : new Percentile().withEstimationType(Percentile.EstimationType.R_7)
                .evaluate(v, 100 * q);
    }
}
