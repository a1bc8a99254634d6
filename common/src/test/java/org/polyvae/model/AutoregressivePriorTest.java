package org.polyvae.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.polyvae.config.TrainSettings.PriorOrder;

/**
 * The prior must learn a code map's structure, not only its per-position spread: two classes whose codes have
 * the same mean (0) and variance (1) at every position, one a checkerboard of random sign (every neighbour of
 * opposite sign), the other a constant map of random sign (every neighbour of the same sign). A Gaussian per
 * class could draw neither; a prior that ignores its context or its class input draws one pattern for both.
 * Both drawing orders: in random order a position's drawn neighbours may lie on any side of it.
 */
class AutoregressivePriorTest {
    private static final int SIZE = 4;
    private static final int[] CLASSES = {2, 10};
    private static final Map<PriorOrder, AutoregressivePrior> PRIORS = new EnumMap<>(PriorOrder.class);

    private static float[] code(int micrometres, Random r) {
        float sign = r.nextBoolean() ? 1 : -1;
        float[] z = new float[SIZE * SIZE];
        for (int p = 0; p < z.length; p++) {
            float v = micrometres == 2 ? ((p / SIZE + p % SIZE) % 2 == 0 ? sign : -sign) : sign;
            z[p] = v + 0.05f * (float) r.nextGaussian();
        }
        return z;
    }

    @BeforeAll
    static void train() {
        for (PriorOrder order : PriorOrder.values()) {
            PRIORS.put(order, train(order));
        }
    }

    private static AutoregressivePrior train(PriorOrder order) {
        Random r = new Random(1);
        List<float[]> codes = new ArrayList<>();
        // In random order a row sees a random part of its map: more maps for the same structure, as the
        // trainer's posterior draws give.
        int[] classes = new int[order == PriorOrder.RASTER ? 300 : 1200];
        for (int i = 0; i < classes.length; i++) {
            classes[i] = CLASSES[i % 2];
            codes.add(code(classes[i], r));
        }
        float[][] moments = AutoregressivePrior.channelMoments(codes, 1);
        MultiDataSet rows = AutoregressivePrior.rows(order, codes, classes, 1, SIZE, CLASSES, moments[0], moments[1], r);
        ComputationGraph net = AutoregressivePrior.network(order, 1, SIZE, CLASSES.length, 32, 4, 0.01, 3);
        long n = rows.getFeatures(0).size(0);
        for (int epoch = 0; epoch < 40; epoch++) {
            for (long from = 0; from < n; from += 256) {
                long to = Math.min(n, from + 256);
                var idx = org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to);
                net.fit(new org.nd4j.linalg.dataset.MultiDataSet(
                        rows.getFeatures(0).get(idx, org.nd4j.linalg.indexing.NDArrayIndex.all()),
                        rows.getLabels(0).get(idx, org.nd4j.linalg.indexing.NDArrayIndex.all())));
            }
        }
        return new AutoregressivePrior(order, 1, SIZE, CLASSES, 4, moments[0], moments[1], net);
    }

    /** Share of horizontal and vertical neighbour pairs whose signs agree. */
    private static double sameSignShare(double[][] codes) {
        int same = 0;
        int pairs = 0;
        for (double[] z : codes) {
            for (int r = 0; r < SIZE; r++) {
                for (int c = 0; c < SIZE; c++) {
                    if (c + 1 < SIZE) {
                        same += Math.signum(z[r * SIZE + c]) == Math.signum(z[r * SIZE + c + 1]) ? 1 : 0;
                        pairs++;
                    }
                    if (r + 1 < SIZE) {
                        same += Math.signum(z[r * SIZE + c]) == Math.signum(z[(r + 1) * SIZE + c]) ? 1 : 0;
                        pairs++;
                    }
                }
            }
        }
        return (double) same / pairs;
    }

    private static double[][] draw(AutoregressivePrior prior, int micrometres, int n, long seed) {
        int[] um = new int[n];
        java.util.Arrays.fill(um, micrometres);
        // Hashed seeds: java.util.Random's first draws of consecutive seeds are nearly equal.
        return prior.sample(um, i -> new Random(org.polyvae.data.Seeds.sample(seed, i)), 1.0);
    }

    @ParameterizedTest
    @EnumSource(PriorOrder.class)
    void drawsEachClassesStructureWhichAGaussianCannot(PriorOrder order) {
        double checker = sameSignShare(draw(PRIORS.get(order), 2, 100, 1));
        double constant = sameSignShare(draw(PRIORS.get(order), 10, 100, 2));
        assertTrue(checker < 0.1, "checkerboard class: neighbours of equal sign " + checker);
        assertTrue(constant > 0.9, "constant class: neighbours of equal sign " + constant);
    }

    @ParameterizedTest
    @EnumSource(PriorOrder.class)
    void bothSignsAreDrawnNotOneMemorisedPattern(PriorOrder order) {
        double positive = 0;
        double[][] z = draw(PRIORS.get(order), 10, 100, 3);
        for (double[] code : z) {
            positive += code[0] > 0 ? 1 : 0;
        }
        assertTrue(positive > 25 && positive < 75, "constant maps of positive sign: " + positive + " of 100");
    }

    @ParameterizedTest
    @EnumSource(PriorOrder.class)
    void aSamplesCodeDependsOnItsOwnRandomNumbersOnly(PriorOrder order) {
        AutoregressivePrior prior = PRIORS.get(order);
        double[][] alone = prior.sample(new int[] {2}, i -> new Random(77), 1.0);
        double[][] inBatch = prior.sample(new int[] {10, 2, 10}, i -> new Random(i == 1 ? 77 : i), 1.0);
        assertArrayEquals(alone[0], inBatch[1], 1e-5);
    }

    @ParameterizedTest
    @EnumSource(PriorOrder.class)
    void writtenAndReadBackItDrawsTheSameCodes(PriorOrder order) throws IOException {
        AutoregressivePrior prior = PRIORS.get(order);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        prior.write(bytes);
        AutoregressivePrior back = AutoregressivePrior.read(new ByteArrayInputStream(bytes.toByteArray()), "test");
        double[][] a = prior.sample(new int[] {2, 10}, i -> new Random(i), 0.7);
        double[][] b = back.sample(new int[] {2, 10}, i -> new Random(i), 0.7);
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], b[i], 0.0);
        }
        assertArrayEquals(CLASSES, back.classes());
        assertEquals(order, back.order());
    }

    @Test
    void bytesThatAreNotAPriorAreRefusedByName() {
        IOException e = assertThrows(IOException.class, () -> AutoregressivePrior.read(
                new ByteArrayInputStream(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9}), "model/code-prior.bin"));
        assertTrue(e.getMessage().contains("model/code-prior.bin"), e.getMessage());
    }

    @Test
    void aClassItWasNotTrainedOnIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PRIORS.get(PriorOrder.RASTER).sample(new int[] {5}, i -> new Random(i), 1.0));
        assertTrue(e.getMessage().contains("5 µm"), e.getMessage());
    }
}
