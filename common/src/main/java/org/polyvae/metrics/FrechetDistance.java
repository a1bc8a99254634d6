package org.polyvae.metrics;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.stat.correlation.Covariance;

/**
 * The Fréchet distance between two sets of feature vectors, each summarised by a Gaussian (mean and
 * covariance), as in FID: d² = |mu1 − mu2|² + tr(S1 + S2 − 2 (S1^½ S2 S1^½)^½). The symmetric form of
 * the cross term keeps every square root one of a symmetric positive semi-definite matrix, so it is computed
 * exactly by eigendecomposition (no iterative square root of the non-symmetric S1·S2).
 */
public final class FrechetDistance {
    private FrechetDistance() {
    }

    /**
     * @param a feature vectors, one per row (at least 2 rows)
     * @param b feature vectors of the same dimension (at least 2 rows)
     * @return the Fréchet distance d (not squared)
     */
    public static double between(double[][] a, double[][] b) {
        checkFeatures(a, "first");
        checkFeatures(b, "second");
        if (a[0].length != b[0].length) {
            throw new IllegalArgumentException("feature dimensions differ: " + a[0].length + " vs " + b[0].length);
        }
        return ofGaussians(mean(a), covariance(a), mean(b), covariance(b));
    }

    /** The Fréchet distance of N(mu1, s1) and N(mu2, s2). */
    public static double ofGaussians(double[] mu1, RealMatrix s1, double[] mu2, RealMatrix s2) {
        double meanTerm = 0;
        for (int i = 0; i < mu1.length; i++) {
            meanTerm += (mu1[i] - mu2[i]) * (mu1[i] - mu2[i]);
        }
        RealMatrix root1 = sqrtPsd(s1);
        RealMatrix cross = sqrtPsd(root1.multiply(s2).multiply(root1));
        double d2 = meanTerm + s1.getTrace() + s2.getTrace() - 2 * cross.getTrace();
        // Rounding can leave a tiny negative value for (near-)identical sets.
        return Math.sqrt(Math.max(0, d2));
    }

    /** The square root of a symmetric positive semi-definite matrix (negative rounding eigenvalues as 0). */
    static RealMatrix sqrtPsd(RealMatrix m) {
        RealMatrix sym = m.add(m.transpose()).scalarMultiply(0.5);
        EigenDecomposition eig = new EigenDecomposition(sym);
        double[] values = eig.getRealEigenvalues();
        RealMatrix v = eig.getV();
        int n = values.length;
        RealMatrix scaled = v.copy();
        for (int j = 0; j < n; j++) {
            double s = Math.sqrt(Math.max(0, values[j]));
            for (int i = 0; i < n; i++) {
                scaled.setEntry(i, j, v.getEntry(i, j) * s);
            }
        }
        return scaled.multiply(v.transpose());
    }

    static double[] mean(double[][] x) {
        double[] mu = new double[x[0].length];
        for (double[] row : x) {
            for (int j = 0; j < mu.length; j++) {
                mu[j] += row[j];
            }
        }
        for (int j = 0; j < mu.length; j++) {
            mu[j] /= x.length;
        }
        return mu;
    }

    /** Unbiased sample covariance (n − 1), as numpy.cov and FID implementations use. */
    static RealMatrix covariance(double[][] x) {
        return new Covariance(new Array2DRowRealMatrix(x, false), true).getCovarianceMatrix();
    }

    /** At least two feature vectors of one length, or an error naming the set. */
    static void checkFeatures(double[][] x, String which) {
        if (x == null || x.length < 2) {
            throw new IllegalArgumentException("the " + which + " set needs at least 2 feature vectors, got "
                    + (x == null ? 0 : x.length));
        }
        for (double[] row : x) {
            if (row.length != x[0].length) {
                throw new IllegalArgumentException("the " + which + " set has rows of different lengths");
            }
        }
    }
}
