package org.polyvae.metrics;

import java.util.Arrays;

/**
 * The Wasserstein-1 (earth mover's) distance between two one-dimensional empirical distributions:
 * the integral of |F_a(x) − F_b(x)| over x, computed exactly from the two step CDFs, so samples of
 * different sizes are compared without resampling (e.g. E11 predicted for 200 samples vs 1,900 real images).
 */
public final class Wasserstein1 {
    private Wasserstein1() {
    }

    public static double between(double[] a, double[] b) {
        if (a.length == 0 || b.length == 0) {
            throw new IllegalArgumentException("Wasserstein-1 needs two non-empty samples, got sizes " + a.length
                    + " and " + b.length);
        }
        double[] x = a.clone();
        double[] y = b.clone();
        Arrays.sort(x);
        Arrays.sort(y);
        for (double v : x) {
            checkFinite(v);
        }
        for (double v : y) {
            checkFinite(v);
        }
        // Walk the merged support; between two consecutive points both CDFs are constant.
        int i = 0;
        int j = 0;
        double distance = 0;
        double previous = Math.min(x[0], y[0]);
        while (i < x.length || j < y.length) {
            double next = j >= y.length || i < x.length && x[i] <= y[j] ? x[i] : y[j];
            distance += Math.abs((double) i / x.length - (double) j / y.length) * (next - previous);
            previous = next;
            while (i < x.length && x[i] == next) {
                i++;
            }
            while (j < y.length && y[j] == next) {
                j++;
            }
        }
        return distance;
    }

    private static void checkFinite(double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("Wasserstein-1 of a sample containing " + v);
        }
    }
}
