package org.polyvae.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.commons.math3.distribution.MultivariateNormalDistribution;
import org.apache.commons.math3.random.Well19937c;
import org.apache.commons.math3.stat.correlation.Covariance;
import org.junit.jupiter.api.Test;

class CodeMapStepsTest {
    private static final int CHANNELS = 4;
    private static final int SIDE = 8;

    /**
     * Maps of constant 4×4 blocks at a random offset per map (a window of large grains that may lie anywhere):
     * one value per block and channel.
     */
    private static List<double[]> blockMaps(int n, Random r) {
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] z = new double[CHANNELS * SIDE * SIDE];
            int ox = r.nextInt(4);
            int oy = r.nextInt(4);
            for (int c = 0; c < CHANNELS; c++) {
                double[] block = new double[9];
                for (int k = 0; k < block.length; k++) {
                    block[k] = (c + 1) * r.nextGaussian();
                }
                for (int y = 0; y < SIDE; y++) {
                    for (int x = 0; x < SIDE; x++) {
                        z[c * SIDE * SIDE + y * SIDE + x] = block[(y + oy) / 4 * 3 + (x + ox) / 4];
                    }
                }
            }
            out.add(z);
        }
        return out;
    }

    /** Draws from the Gaussian with the maps' own mean and covariance (what the learned prior fits). */
    private static List<double[]> gaussianLike(List<double[]> maps, int n, long seed) {
        int d = maps.get(0).length;
        double[] mean = new double[d];
        for (double[] m : maps) {
            for (int j = 0; j < d; j++) {
                mean[j] += m[j] / maps.size();
            }
        }
        double[][] cov = new Covariance(maps.toArray(double[][]::new), false).getCovarianceMatrix().getData();
        for (int j = 0; j < d; j++) {
            cov[j][j] += 1e-6;
        }
        MultivariateNormalDistribution g = new MultivariateNormalDistribution(new Well19937c(seed), mean, cov);
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(g.sample());
        }
        return out;
    }

    @Test
    void gaussianStepsGiveTheGaussianShareAndNoExcessKurtosis() {
        Random r = new Random(1);
        List<double[]> white = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            double[] z = new double[CHANNELS * SIDE * SIDE];
            for (int j = 0; j < z.length; j++) {
                z[j] = 3 * r.nextGaussian();
            }
            white.add(z);
        }
        CodeMapSteps s = CodeMapSteps.of(white, CHANNELS, SIDE);
        assertEquals(0.197, CodeMapSteps.GAUSSIAN_SMALL_STEP_SHARE, 1e-3);
        assertEquals(CodeMapSteps.GAUSSIAN_SMALL_STEP_SHARE, s.smallStepShare(), 0.01);
        assertEquals(0, s.excessKurtosis(), 0.1);
        assertEquals(500, s.codes());
    }

    @Test
    void blockMapsHaveSparseStepsThatAGaussianOfTheirCovarianceDoesNotDraw() {
        Random r = new Random(2);
        List<double[]> blocks = blockMaps(1000, r);
        CodeMapSteps data = CodeMapSteps.of(blocks, CHANNELS, SIDE);
        // At most 32 of a channel's 112 steps cross a block edge; the rest are exactly 0.
        assertTrue(data.smallStepShare() > 0.7, "block maps: " + data);
        assertTrue(data.excessKurtosis() > 3, "block maps: " + data);
        CodeMapSteps gaussian = CodeMapSteps.of(gaussianLike(blocks, 1000, 3), CHANNELS, SIDE);
        assertTrue(gaussian.smallStepShare() < 0.3, "the Gaussian of the block maps: " + gaussian);
        assertTrue(gaussian.excessKurtosis() < 1, "the Gaussian of the block maps: " + gaussian);
    }

    @Test
    void stepsAreTakenWithinAChannelAlongRowsAndColumns() {
        // Two maps of 2 channels × 2×2 positions, 4 steps per channel and map. Channel 0 of the first map steps
        // +1 along both rows and 0 down both columns; of the second, 0 everywhere: 8 steps, 2 of them 1, so
        // σ = sqrt(2/8 − (2/8)²) = 0.433 and 6 steps are within σ/4. Channel 1 is constant: all its steps are small.
        double[] z = {0, 1, 0, 1, 5, 5, 5, 5};
        double[] flat = {2, 2, 2, 2, 5, 5, 5, 5};
        CodeMapSteps s = CodeMapSteps.of(List.of(z, flat), 2, 2);
        assertEquals((6 / 8.0 + 1) / 2, s.smallStepShare(), 1e-12);
    }

    @Test
    void rejectsCodesThatAreNotMapsOfTheGivenShape() {
        assertThrows(IllegalArgumentException.class, () -> CodeMapSteps.of(List.of(), 4, 8));
        assertThrows(IllegalArgumentException.class, () -> CodeMapSteps.of(List.of(new double[10]), 4, 8));
        assertThrows(IllegalArgumentException.class, () -> CodeMapSteps.of(List.of(new double[4]), 4, 1));
    }

    @Test
    void theBlockGridIsEachBlocksFirstPosition() {
        // 2 channels of 4 × 4, value = 100·channel + 10·y + x; blocks of 2 keep (0,0), (0,2), (2,0), (2,2).
        double[] code = new double[2 * 16];
        for (int c = 0; c < 2; c++) {
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 4; x++) {
                    code[c * 16 + y * 4 + x] = 100 * c + 10 * y + x;
                }
            }
        }
        assertArrayEquals(new double[] {0, 2, 20, 22, 100, 102, 120, 122},
                CodeMapSteps.blockGrid(code, 2, 4, 2));
        assertArrayEquals(code, CodeMapSteps.blockGrid(code, 2, 4, 1));
        assertThrows(IllegalArgumentException.class,
                () -> CodeMapSteps.blockGrid(code, 2, 4, 3));
    }
}
