package org.polyvae.job.evaluate;

import org.polyvae.job.output.Evaluation;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The figures of evaluation.json on cases whose answer is known. */
class EvaluationMetricsTest {
    /** The judge's own confusion on real images: 2x2 1 of 2 right, 10x10 2 of 2. */
    private static final Evaluation.JudgeQuality QUALITY = new Evaluation.JudgeQuality(List.of("2x2", "10x10"), 100,
            2, 2, 3, false, 0.75, new long[][] {{1, 1}, {0, 2}}, 0.8, 1.0, 2.0);
    private static final int SIZE = 16;
    private static final Judge JUDGE = new Judge(new byte[0], new int[] {2, 10}, 150, 5);
    private static final FeatureDistances DISTANCES = new FeatureDistances(10, 20, 1);

    /** A two-grain image (left gray a, right gray b) scored as class c with E11 e and the given features. */
    private static Scored image(int trueClass, double trueE11, int predicted, double e11, float[] features, int a,
            int b) {
        byte[] gray = new byte[SIZE * SIZE];
        for (int i = 0; i < gray.length; i++) {
            gray[i] = (byte) (i % SIZE < SIZE / 2 ? a : b);
        }
        float[] p = new float[2];
        p[predicted] = 0.95f;
        p[1 - predicted] = 0.05f;
        return new Scored("x", trueClass, trueE11, p, e11, features, gray, SIZE);
    }

    private static List<Scored> reals(long seed, int n) {
        Random r = new Random(seed);
        List<Scored> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int c = i % 2;
            double e = 150 + 3 * r.nextGaussian();
            out.add(image(c, e, c, e, new float[] {(float) r.nextGaussian(), (float) (c + r.nextGaussian())},
                    40 + 100 * c, 200));
        }
        return out;
    }

    /** The same images as generated ones: unlabelled, as the stage scores sample files. */
    private static List<Scored> asGenerated(List<Scored> real, double e11Shift) {
        return real.stream().map(s -> new Scored(s.name(), -1, Double.NaN, s.probabilities(), s.e11() + e11Shift,
                s.features(), s.gray(), s.size())).toList();
    }

    @Test
    void samplesIdenticalToTheHeldOutImagesScoreAsReal() {
        List<Scored> heldOut = reals(1, 40);
        List<Scored> train = reals(2, 40);
        EvaluationMetrics m = new EvaluationMetrics(JUDGE, 8, 0.9, DISTANCES);
        Evaluation.SampleSet s = m.sampleSet("raw", "f", asGenerated(heldOut, 0), heldOut, train, new double[40],
                new double[40], Map.of(), null);
        // The samples are the real comparison set: the same distance to the reference, ratio 1.
        assertEquals(s.frechet().realVsReal(), s.frechet().generatedVsReal(), 1e-9, "identical feature sets");
        assertTrue(s.frechet().realVsReal() > 0.05, "two independent real samples differ");
        assertEquals(1, s.frechet().ratio(), 1e-9);
        assertEquals(s.kid().realVsReal(), s.kid().generatedVsReal(), 1e-12, "the same subsets of the reference");
        assertEquals(40, s.kid().realImages());
        assertEquals(40, s.kid().referenceImages());
        assertEquals(20, s.kid().subsetSize());
        assertEquals(s.realClassMix(), s.classMix());
        assertEquals(1.0, s.confidentShare());
        assertEquals(0, s.e11().w1Gpa(), 1e-12);
        assertEquals(0, s.e11().judgeW1OnHeldOutGpa(), 1e-12, "this judge predicts E11 exactly");
        for (Evaluation.Microstructure row : s.microstructure()) {
            if (row.source().equals("generated")) {
                assertEquals(0, row.grainAreaW1(), 1e-12, row.toString());
                assertEquals(0, row.grayHistogramL1(), 1e-12, row.toString());
                assertEquals(2, row.grainsPerImage(), 1e-12, "two grains per image");
                assertEquals(SIZE * SIZE / 2.0, row.meanGrainArea(), 1e-12);
                assertEquals(0, row.sameGrainDistance(), 1e-12, row.toString());
                assertEquals(0.5, row.largestGrainShare(), 1e-12, "two halves");
                assertEquals(0, row.largestGrainShareW1(), 1e-12, row.toString());
            } else {
                assertNull(row.grainAreaW1());
                assertNull(row.largestGrainShareW1());
            }
        }
    }

    /**
     * Samples of one gray beside real two-grain images: the largest grain covers the whole image against half,
     * in the rows and in the headline.
     */
    @Test
    void samplesOfOneGrayHaveTheWholeImageAsTheirLargestGrain() {
        List<Scored> heldOut = reals(21, 40);
        List<Scored> flat = asGenerated(heldOut, 0).stream().map(x -> {
            byte[] gray = x.gray().clone();
            java.util.Arrays.fill(gray, (byte) 200);
            return new Scored(x.name(), -1, Double.NaN, x.probabilities(), x.e11(), x.features(), gray, x.size());
        }).toList();
        Evaluation.SampleSet s = new EvaluationMetrics(JUDGE, 8, 0.9, DISTANCES).sampleSet("raw", "f", flat, heldOut,
                reals(22, 40), new double[40], new double[40], Map.of(), null);
        Evaluation.Microstructure all = s.microstructure().stream()
                .filter(r -> r.source().equals("generated") && r.windowClass().equals("all")).findFirst().orElseThrow();
        assertEquals(1.0, all.largestGrainShare(), 1e-12);
        assertEquals(0.5, all.largestGrainShareW1(), 1e-12);
        Evaluation.Headline h = EvaluationMetrics.headline(s, QUALITY, null);
        assertEquals(1.0, h.perClass().get("2x2").largestGrainShare(), 1e-12);
        assertEquals(0.5, h.perClass().get("2x2").dataLargestGrainShare(), 1e-12);
        assertTrue(EvaluateStage.headlineLine(h).contains("2x2: flat 1.00 (data 0.88), grains/image 1.0 (data 2.0; with "
                + "an interior 1.0, data 2.0), largest grain 1.00 (data 0.50)"), EvaluateStage.headlineLine(h));
        assertTrue(EvaluateStage.headlineLine(h).contains("(the model's own output)"), EvaluateStage.headlineLine(h));
        String cleaned = EvaluateStage.headlineLine(EvaluationMetrics.headline(s, QUALITY, "thin regions absorbed"));
        assertTrue(cleaned.contains("(the model's own output, region decoding: thin regions absorbed)"), cleaned);
    }

    @Test
    void shiftedE11PredictionsMoveTheWassersteinDistanceByTheShift() {
        List<Scored> heldOut = reals(3, 40);
        EvaluationMetrics m = new EvaluationMetrics(JUDGE, 8, 0.9, DISTANCES);
        Evaluation.SampleSet s = m.sampleSet("raw", "f", asGenerated(heldOut, 2.5), heldOut, reals(4, 40),
                new double[40], new double[40], Map.of(), null);
        assertEquals(2.5, s.e11().w1Gpa(), 1e-9);
        assertEquals(2.5, s.e11().w1GpaPerClass().get("2x2"), 1e-9);
        assertEquals(2.5, s.e11().w1GpaPerClass().get("10x10"), 1e-9);
    }

    @Test
    void aClassNoSampleWasAssignedToHasNoFigures() {
        List<Scored> heldOut = reals(5, 20);
        List<Scored> onlySmall = asGenerated(heldOut.stream().filter(x -> x.trueClass() == 0).toList(), 0);
        Evaluation.SampleSet s = new EvaluationMetrics(JUDGE, 8, 0.9, DISTANCES).sampleSet("raw", "f", onlySmall, heldOut,
                reals(6, 10), new double[10], new double[20], Map.of(), null);
        assertEquals(1.0, s.classMix().get("2x2"));
        assertEquals(0.0, s.classMix().get("10x10"));
        assertNull(s.e11().w1GpaPerClass().get("10x10"));
        Evaluation.Microstructure large = s.microstructure().stream()
                .filter(r -> r.source().equals("generated") && r.windowClass().equals("10x10")).findFirst().orElseThrow();
        assertEquals(0, large.images());
        assertNull(large.grainAreaW1());
    }

    @Test
    void requestedClassAgreementCountsSamplesFiledUnderTheirRequestedClass() {
        // Six samples, judged 2x2, 2x2, 10x10, 10x10, 10x10, 2x2; requested 2 µm for the first three.
        int[] predicted = {0, 0, 1, 1, 1, 0};
        List<Scored> generated = new ArrayList<>();
        Map<String, Integer> requested = new java.util.HashMap<>();
        for (int i = 0; i < predicted.length; i++) {
            Scored s = image(-1, Double.NaN, predicted[i], 150, new float[] {i, 1}, 40, 200);
            generated.add(new Scored("sample-" + i + ".png", -1, Double.NaN, s.probabilities(), 150, s.features(), s.gray(),
                    SIZE));
            requested.put("sample-" + i + ".png", i < 3 ? 2 : 10);
        }
        List<Scored> heldOut = reals(9, 20);
        Evaluation.SampleSet set = new EvaluationMetrics(JUDGE, 8, 0.9, DISTANCES).sampleSet("raw", "f", generated, heldOut,
                reals(10, 6), new double[6], new double[20], requested, null);
        Evaluation.Conditioning c = set.conditioning();
        assertEquals(4 / 6.0, c.agreement(), 1e-12, "2 of 3 requested 2x2 and 2 of 3 requested 10x10");
        assertEquals(Map.of("2x2", 2 / 3.0, "10x10", 2 / 3.0), c.agreementPerClass());
        assertArrayEquals(new long[] {2, 1}, c.confusion()[0]);
        assertArrayEquals(new long[] {1, 2}, c.confusion()[1]);
        Evaluation.Microstructure small = c.microstructure().get(0);
        assertEquals("requested", small.source());
        assertEquals(3, small.images());
        assertEquals(0, small.grainAreaW1(), 1e-12, "the same two-grain images as the real 2x2 ones");
        assertNull(new EvaluationMetrics(JUDGE, 8, 0.9, DISTANCES).sampleSet("raw", "f", generated, heldOut, reals(10, 6),
                new double[6], new double[20], Map.of(), null).conditioning(), "an unconditional model's samples");
        requested.put("sample-5.png", 5);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new EvaluationMetrics(JUDGE, 8, 0.9, DISTANCES).conditioning(generated, heldOut, reals(10, 6),
                        requested));
        assertTrue(e.getMessage().contains("sample-5.png") && e.getMessage().contains("5 µm"), e.getMessage());
    }

    /**
     * Held-out images as samples, each requested for its own class: within each class they are the real comparison
     * set (ratio 1). Requested for the other class, the mixture is the same (pooled KID unchanged) but each class
     * now holds the other's images, which the KID within classes shows.
     */
    @Test
    void kidWithinClassesSeesSamplesOfTheWrongClassThatThePooledKidCannot() {
        List<Scored> heldOut = reals(13, 60);
        List<Scored> reference = reals(14, 80);
        List<Scored> generated = new ArrayList<>();
        Map<String, Integer> right = new java.util.HashMap<>();
        Map<String, Integer> wrong = new java.util.HashMap<>();
        for (int i = 0; i < heldOut.size(); i++) {
            Scored x = heldOut.get(i);
            String name = "sample-" + i + ".png";
            generated.add(new Scored(name, -1, Double.NaN, x.probabilities(), x.e11(), x.features(), x.gray(), SIZE));
            right.put(name, JUDGE.micrometres()[x.trueClass()]);
            wrong.put(name, JUDGE.micrometres()[1 - x.trueClass()]);
        }
        EvaluationMetrics m = new EvaluationMetrics(JUDGE, 8, 0.9, new FeatureDistances(10, 30, 1));
        Evaluation.SampleSet good = m.sampleSet("raw", "f", generated, heldOut, reference, new double[60],
                new double[60], right, null);
        Evaluation.SampleSet bad = m.sampleSet("raw", "f", generated, heldOut, reference, new double[60],
                new double[60], wrong, null);
        assertEquals(List.of("2x2", "10x10"), List.copyOf(good.conditioning().kidPerClass().keySet()));
        for (Evaluation.Kid k : good.conditioning().kidPerClass().values()) {
            assertEquals(k.realVsReal(), k.generatedVsReal(), 1e-12, "each class's samples are its real images: " + k);
        }
        double goodRatio = EvaluationMetrics.headline(good, QUALITY, null).classKidRatio();
        assertTrue(Math.abs(goodRatio) <= 1 + 1e-9, "within the real images' own scale: " + goodRatio);
        assertEquals(good.kid().ratio(), bad.kid().ratio(), 1e-12, "the same mixture");
        Evaluation.Headline h = EvaluationMetrics.headline(bad, QUALITY, null);
        assertTrue(h.classKidRatio() > 5 * Math.max(1, Math.abs(goodRatio)), "the wrong class in each: " + h);
        assertEquals(h.perClass().get("2x2").kidRatio(), bad.conditioning().kidPerClass().get("2x2").ratio());
        assertEquals(0.5, h.perClass().get("2x2").realAgreement(), 1e-12, "the judge's own on real 2x2 images");
        assertEquals(1.0, h.perClass().get("10x10").realAgreement(), 1e-12);
        assertEquals(0.75, h.realClassAgreement(), 1e-12, "the mean over the requested classes");
    }

    @Test
    void samplesFarFromTheReferenceScoreAboveRealOnBothRatiosAndLeadTheHeadline() {
        List<Scored> heldOut = reals(11, 40);
        List<Scored> shifted = heldOut.stream().map(x -> new Scored(x.name(), -1, Double.NaN, x.probabilities(), x.e11(),
                new float[] {x.features()[0] + 3, x.features()[1] + 3}, x.gray(), x.size())).toList();
        Evaluation.SampleSet s = new EvaluationMetrics(JUDGE, 8, 0.9, DISTANCES).sampleSet("raw", "f", shifted, heldOut,
                reals(12, 60), new double[40], new double[40], Map.of(), null);
        assertTrue(s.kid().ratio() > 10, s.kid().toString());
        assertTrue(s.frechet().ratio() > 5, s.frechet().toString());
        Evaluation.Headline h = EvaluationMetrics.headline(s, QUALITY, null);
        assertEquals("raw", h.set());
        assertEquals(s.kid().ratio(), h.kidRatio());
        assertNull(h.requestedClassAgreement(), "an unconditional model's samples");
        assertNull(h.realClassAgreement());
        assertEquals(List.of("2x2", "10x10"), List.copyOf(h.perClass().keySet()));
        assertEquals(2, h.perClass().get("2x2").grainsPerImage(), 1e-12);
        assertEquals(2, h.perClass().get("2x2").dataGrainsPerImage(), 1e-12);
    }

    @Test
    void theRealComparisonSetTakesTheReferencesClassMix() {
        // 30 real images of class 0 and 10 of class 1; the reference is balanced: 10 + 10 of them.
        List<Scored> real = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            real.add(image(i < 30 ? 0 : 1, 150, 0, 150, new float[] {i}, 0, 0));
        }
        List<Scored> taken = FeatureDistances.likeReference(real, reals(13, 20), 100);
        assertEquals(20, taken.size());
        assertEquals(10, taken.stream().filter(x -> x.trueClass() == 1).count());
        assertEquals(6, FeatureDistances.likeReference(real, reals(13, 20), 6).size(), "at most as many as samples");
        assertEquals(List.of(real.get(0), real.get(10), real.get(20), real.get(30)), FeatureDistances.evenly(real, 4));
        List<Scored> onlyClass0 = real.subList(0, 7);
        assertEquals(onlyClass0, FeatureDistances.likeReference(onlyClass0, reals(13, 20), 100),
                "a tiny held-out split without class 1: its images as they are, not none");
    }

    @Test
    void judgeQualityOnAKnownConfusionOverTheHeldOutAndTheReferenceImages() {
        List<Scored> heldOut = List.of(
                image(0, 150, 0, 151, new float[] {0}, 0, 0),
                image(0, 152, 1, 151, new float[] {0}, 0, 0));
        List<Scored> reference = List.of(
                image(1, 154, 1, 155, new float[] {0}, 0, 0),
                image(1, 156, 1, 155, new float[] {0}, 0, 0));
        Evaluation.JudgeQuality q = new EvaluationMetrics(JUDGE, 8, 0.9, DISTANCES).judgeQuality(heldOut, reference,
                100, 3, false);
        assertEquals(2, q.heldOutImages());
        assertEquals(2, q.referenceImages());
        assertEquals(0.75, q.accuracy());
        assertArrayEquals(new long[] {1, 1}, q.confusion()[0]);
        assertArrayEquals(new long[] {0, 2}, q.confusion()[1]);
        assertEquals(1.0, q.e11MaeGpa(), 1e-12);
        // Residuals ±1 (sum of squares 4) around true values 150..156 (sum of squares about the mean 20).
        assertEquals(1 - 4.0 / 20, q.e11R2(), 1e-12);
        assertEquals(List.of("2x2", "10x10"), q.classes());
    }

    @Test
    void memorisedSamplesAreFlaggedByTheNearestNeighbourDistances() {
        double[] heldOut = {0.20, 0.22, 0.25, 0.30, 0.21, 0.24, 0.26, 0.23, 0.27, 0.28};
        Evaluation.Neighbours copies = EvaluationMetrics.neighbours(new double[] {0, 0, 0.001}, heldOut);
        assertEquals(1.0, copies.shareBelowHeldOutP5());
        assertEquals(0, copies.median(), 1e-12);
        Evaluation.Neighbours fresh = EvaluationMetrics.neighbours(new double[] {0.24, 0.26, 0.29}, heldOut);
        assertEquals(0.0, fresh.shareBelowHeldOutP5());
        assertEquals(0.245, fresh.heldOutMedian(), 1e-12);
        assertEquals(0.2, EvaluationMetrics.percentile(new double[] {0.2, 0.3}, 0), 1e-12);
        assertEquals(0.25, EvaluationMetrics.percentile(new double[] {0.2, 0.3}, 0.5), 1e-12);
    }

    @Test
    void histogramsAreSharesOverTheJointRange() {
        Map<String, double[]> series = new java.util.LinkedHashMap<>();
        series.put("samples", new double[] {0, 0, 1, 4});
        series.put("real", new double[] {2, 3});
        series.put("none", new double[0]);
        org.knowm.xchart.CategoryChart c = EvaluationReport.histogram("x", series, 4);
        assertEquals(List.of(0.5, 0.25, 0.0, 0.25), c.getSeriesMap().get("samples").getYData(),
                "bins of width 1 over [0, 4]; the maximum falls in the last bin");
        assertEquals(List.of(0.0, 0.0, 0.5, 0.5), c.getSeriesMap().get("real").getYData());
        assertEquals(List.of(0.0, 0.0, 0.0, 0.0), c.getSeriesMap().get("none").getYData());
        assertEquals(List.of("0.5", "1.5", "2.5", "3.5"), c.getSeriesMap().get("real").getXData());
        org.knowm.xchart.CategoryChart same = EvaluationReport.histogram("x", Map.of("one", new double[] {2, 2}), 4);
        assertEquals(List.of(1.0, 0.0, 0.0, 0.0), same.getSeriesMap().get("one").getYData(), "all values equal");
    }
}
