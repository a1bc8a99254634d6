package org.polyvae.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class KernelInceptionDistanceTest {

    private static double[][] gaussian(Random r, int n, int d, double shift, double sd) {
        double[][] x = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = shift + sd * r.nextGaussian();
            }
        }
        return x;
    }

    @Test
    void matchesAHandComputedCase() {
        // d = 1, k(a, b) = (ab + 1)³. Within x: k(0,1) = 1. Within y: k(1,2) = 27.
        // Across: k(0,1) + k(0,2) + k(1,1) + k(1,2) = 1 + 1 + 8 + 27 = 37, mean 9.25.
        // MMD² = 1 + 27 − 2·9.25 = 9.5.
        assertEquals(9.5, KernelInceptionDistance.mmd2(new double[][] {{0}, {1}}, new double[][] {{1}, {2}}), 1e-12);
        // d = 2 divides the dot product: k((1,0),(1,1)) = (1/2 + 1)³.
        assertEquals(3.375, KernelInceptionDistance.kernel(new double[] {1, 0}, new double[] {1, 1}), 1e-12);
        // Unbiased: it can go below zero. Within both sets 1 (orthogonal pairs); across (3.375+1+3.375+1)/4.
        assertEquals(2 - 2 * 2.1875, KernelInceptionDistance.mmd2(new double[][] {{1, 0}, {0, 1}},
                new double[][] {{1, 1}, {0, 0}}), 1e-12);
    }

    @Test
    void identicalDistributionsScoreNearZeroAndShiftedOnesDoNot() {
        Random r = new Random(3);
        double[][] a = gaussian(r, 400, 16, 0, 1);
        double[][] b = gaussian(r, 400, 16, 0, 1);
        double[][] shifted = gaussian(r, 400, 16, 0.3, 1);
        KernelInceptionDistance.Estimate same = KernelInceptionDistance.between(a, b, 20, 100, 7);
        KernelInceptionDistance.Estimate other = KernelInceptionDistance.between(a, shifted, 20, 100, 7);
        assertEquals(20, same.subsets());
        assertEquals(100, same.subsetSize());
        assertTrue(Math.abs(same.mean()) < 4 * same.standardError() + 1e-3, same.toString());
        assertTrue(other.mean() > 10 * Math.abs(same.mean()) && other.mean() > 5 * other.standardError(),
                other + " vs " + same);
        assertEquals(same, KernelInceptionDistance.between(a, b, 20, 100, 7), "reproducible from the seed");
    }

    @Test
    void theSubsetIsCappedAtTheSmallerSetAndTinySetsAreRefused() {
        Random r = new Random(4);
        assertEquals(30, KernelInceptionDistance.between(gaussian(r, 30, 4, 0, 1), gaussian(r, 90, 4, 0, 1), 3, 100, 1)
                .subsetSize());
        assertThrows(IllegalArgumentException.class,
                () -> KernelInceptionDistance.mmd2(new double[][] {{1}}, new double[][] {{1}, {2}}));
    }
}
