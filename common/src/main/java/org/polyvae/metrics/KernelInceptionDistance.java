package org.polyvae.metrics;

import java.util.SplittableRandom;
import org.apache.commons.math3.stat.descriptive.SummaryStatistics;

/**
 * The Kernel Inception Distance (Bińkowski et al. 2018): the unbiased estimator of the squared maximum mean
 * discrepancy between two sets of feature vectors under the polynomial kernel k(x, y) = (x·y / d + 1)³.
 * Unlike the Fréchet distance it assumes no Gaussian and its estimator is unbiased, so small sets can be
 * compared: the expected value is 0 for two samples of one distribution (single estimates may be negative).
 * Estimated as the mean over random subsets, with the standard error of that mean.
 */
public final class KernelInceptionDistance {
    private KernelInceptionDistance() {
    }

    /**
     * @param mean          mean of the unbiased MMD² over the subsets
     * @param standardError standard deviation of the subset estimates / √subsets
     */
    public record Estimate(double mean, double standardError, int subsets, int subsetSize) {
    }

    /** The polynomial kernel of KID: (x·y / d + 1)³ for d-dimensional vectors. */
    public static double kernel(double[] x, double[] y) {
        double dot = 0;
        for (int i = 0; i < x.length; i++) {
            dot += x[i] * y[i];
        }
        double v = dot / x.length + 1;
        return v * v * v;
    }

    /**
     * The unbiased MMD² of two whole sets (sizes m, n ≥ 2): the mean kernel within x over pairs i ≠ j, plus the
     * same within y, minus twice the mean kernel across.
     */
    public static double mmd2(double[][] x, double[][] y) {
        FrechetDistance.checkFeatures(x, "first");
        FrechetDistance.checkFeatures(y, "second");
        if (x[0].length != y[0].length) {
            throw new IllegalArgumentException("feature dimensions differ: " + x[0].length + " vs " + y[0].length);
        }
        return withinMean(x) + withinMean(y) - 2 * acrossMean(x, y);
    }

    /**
     * KID over {@code subsets} random subsets of {@code subsetSize} vectors from each set (drawn without
     * replacement within a subset; {@code subsetSize} is capped at the smaller set's size), reproducible
     * from {@code seed}.
     */
    public static Estimate between(double[][] a, double[][] b, int subsets, int subsetSize, long seed) {
        FrechetDistance.checkFeatures(a, "first");
        FrechetDistance.checkFeatures(b, "second");
        if (subsets < 1 || subsetSize < 2) {
            throw new IllegalArgumentException("KID needs ≥ 1 subset of ≥ 2 vectors, got " + subsets + " of "
                    + subsetSize);
        }
        int m = Math.min(subsetSize, Math.min(a.length, b.length));
        SplittableRandom rng = new SplittableRandom(seed);
        SummaryStatistics stats = new SummaryStatistics();
        for (int s = 0; s < subsets; s++) {
            stats.addValue(mmd2(draw(a, m, rng), draw(b, m, rng)));
        }
        double se = subsets > 1 ? stats.getStandardDeviation() / Math.sqrt(subsets) : 0;
        return new Estimate(stats.getMean(), se, subsets, m);
    }

    /** {@code m} distinct rows of x, by a partial Fisher–Yates shuffle of the indices. */
    private static double[][] draw(double[][] x, int m, SplittableRandom rng) {
        int[] idx = new int[x.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        double[][] out = new double[m][];
        for (int i = 0; i < m; i++) {
            int j = i + rng.nextInt(idx.length - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
            out[i] = x[idx[i]];
        }
        return out;
    }

    private static double withinMean(double[][] x) {
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            for (int j = i + 1; j < x.length; j++) {
                sum += kernel(x[i], x[j]);
            }
        }
        return 2 * sum / ((double) x.length * (x.length - 1));
    }

    private static double acrossMean(double[][] x, double[][] y) {
        double sum = 0;
        for (double[] xi : x) {
            for (double[] yj : y) {
                sum += kernel(xi, yj);
            }
        }
        return sum / ((double) x.length * y.length);
    }
}
