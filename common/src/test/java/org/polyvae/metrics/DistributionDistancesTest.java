package org.polyvae.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

class DistributionDistancesTest {

    private static double[][] gaussian(Random r, int n, double[] mean, double[] sd) {
        double[][] x = new double[n][mean.length];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < mean.length; j++) {
                x[i][j] = mean[j] + sd[j] * r.nextGaussian();
            }
        }
        return x;
    }

    @Test
    void frechetOfASetWithItselfIsZero() {
        double[][] x = gaussian(new Random(1), 300, new double[] {0, 1, 2, 3}, new double[] {1, 2, 0.5, 1});
        assertEquals(0, FrechetDistance.between(x, x), 1e-6);
    }

    @Test
    void frechetOfGaussiansMatchesTheClosedForm() {
        // Diagonal covariances commute: d² = |Δmu|² + Σ (σ1 − σ2)².
        double[] mu1 = {0, 1, -2};
        double[] mu2 = {1, 1, 0};
        double[] sd1 = {1, 2, 3};
        double[] sd2 = {2, 2, 1};
        RealMatrix s1 = MatrixUtils.createRealDiagonalMatrix(new double[] {1, 4, 9});
        RealMatrix s2 = MatrixUtils.createRealDiagonalMatrix(new double[] {4, 4, 1});
        double expected = Math.sqrt(1 + 0 + 4 + 1 + 0 + 4);
        assertEquals(expected, FrechetDistance.ofGaussians(mu1, s1, mu2, s2), 1e-9);

        // A full (non-commuting) case against the definition with an explicit square root check.
        RealMatrix a = new Array2DRowRealMatrix(new double[][] {{2, 1}, {1, 2}});
        RealMatrix root = FrechetDistance.sqrtPsd(a);
        assertTrue(root.multiply(root).subtract(a).getNorm() < 1e-9, "sqrt(A)² = A");

        // Large samples converge to the closed form.
        Random r = new Random(7);
        double sampled = FrechetDistance.between(gaussian(r, 20000, mu1, sd1), gaussian(r, 20000, mu2, sd2));
        assertEquals(expected, sampled, 0.1);
    }

    @Test
    void frechetRejectsMismatchedInput() {
        double[][] two = {{1, 2}, {3, 4}};
        assertThrows(IllegalArgumentException.class, () -> FrechetDistance.between(two, new double[][] {{1, 2}}));
        assertThrows(IllegalArgumentException.class,
                () -> FrechetDistance.between(two, new double[][] {{1, 2, 3}, {4, 5, 6}}));
    }

    @Test
    void wassersteinOfAShiftIsTheShift() {
        Random r = new Random(3);
        double[] e11 = new double[500];
        for (int i = 0; i < e11.length; i++) {
            e11[i] = 149 + 3 * r.nextGaussian();
        }
        double[] shifted = e11.clone();
        for (int i = 0; i < shifted.length; i++) {
            shifted[i] += 2.5;
        }
        assertEquals(2.5, Wasserstein1.between(e11, shifted), 1e-9);
        assertEquals(0, Wasserstein1.between(e11, e11), 1e-12);
    }

    @Test
    void wassersteinHandlesUnequalSizesExactly() {
        // {0, 1} vs {0, 0, 1, 1, 1}: CDFs differ by 0.5 − 0.4 = 0.1 on [0, 1).
        assertEquals(0.1, Wasserstein1.between(new double[] {0, 1}, new double[] {0, 0, 1, 1, 1}), 1e-12);
        // Point masses: the distance between the points.
        assertEquals(7, Wasserstein1.between(new double[] {3}, new double[] {10, 10}), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Wasserstein1.between(new double[0], new double[] {1}));
        assertThrows(IllegalArgumentException.class,
                () -> Wasserstein1.between(new double[] {Double.NaN}, new double[] {1}));
    }
}
