package org.polyvae.fem;

/**
 * Cholesky factor of a symmetric positive definite band matrix (half-bandwidth b), stored row by row:
 * row i holds L[i][i-b .. i]. Factoring costs ~N·b²/2, a solve ~2·N·b; solving several right-hand sides in
 * one sweep reads the factor once for all of them.
 */
final class BandedCholesky {
    private final int n;
    private final int b;
    private final double[] l;

    /** @param band row-major band of A: band[i*(b+1) + (j - i + b)] = A[i][j] for i-b ≤ j ≤ i (lower half) */
    BandedCholesky(int n, int b, double[] band) {
        this.n = n;
        this.b = b;
        this.l = band.clone();
        int w = b + 1;
        for (int i = 0; i < n; i++) {
            int j0 = Math.max(0, i - b);
            for (int j = j0; j <= i; j++) {
                double s = l[i * w + (j - i + b)];
                int k0 = Math.max(j0, j - b);
                for (int k = k0; k < j; k++) {
                    s -= l[i * w + (k - i + b)] * l[j * w + (k - j + b)];
                }
                if (j < i) {
                    l[i * w + (j - i + b)] = s / l[j * w + b];
                } else {
                    if (!(s > 0)) {
                        throw new ArithmeticException("matrix is not positive definite at row " + i);
                    }
                    l[i * w + b] = Math.sqrt(s);
                }
            }
        }
    }

    int size() {
        return n;
    }

    /** Solves A x = y in place for {@code count} right-hand sides interleaved as y[i*count + r]. */
    void solveInPlace(double[] y, int count) {
        if (count == 3) {
            solve3(y);
            return;
        }
        double[] one = new double[n];
        for (int r = 0; r < count; r++) {
            for (int i = 0; i < n; i++) {
                one[i] = y[i * count + r];
            }
            forward1(one);
            backward1(one);
            for (int i = 0; i < n; i++) {
                y[i * count + r] = one[i];
            }
        }
    }

    private void forward1(double[] y) {
        int w = b + 1;
        for (int i = 0; i < n; i++) {
            int row = i * w + b - i;
            double s = y[i];
            for (int k = Math.max(0, i - b); k < i; k++) {
                s -= l[row + k] * y[k];
            }
            y[i] = s / l[i * w + b];
        }
    }

    private void backward1(double[] y) {
        int w = b + 1;
        for (int i = n - 1; i >= 0; i--) {
            int row = i * w + b - i;
            double yi = y[i] / l[i * w + b];
            y[i] = yi;
            for (int k = Math.max(0, i - b); k < i; k++) {
                y[k] -= l[row + k] * yi;
            }
        }
    }

    /** Three interleaved right-hand sides: each factor entry is loaded once for all three. */
    private void solve3(double[] y) {
        int w = b + 1;
        for (int i = 0; i < n; i++) {
            int row = i * w + b - i;
            double s0 = y[3 * i], s1 = y[3 * i + 1], s2 = y[3 * i + 2];
            for (int k = Math.max(0, i - b); k < i; k++) {
                double lik = l[row + k];
                s0 -= lik * y[3 * k];
                s1 -= lik * y[3 * k + 1];
                s2 -= lik * y[3 * k + 2];
            }
            double d = l[i * w + b];
            y[3 * i] = s0 / d;
            y[3 * i + 1] = s1 / d;
            y[3 * i + 2] = s2 / d;
        }
        for (int i = n - 1; i >= 0; i--) {
            int row = i * w + b - i;
            double d = l[i * w + b];
            double y0 = y[3 * i] / d, y1 = y[3 * i + 1] / d, y2 = y[3 * i + 2] / d;
            y[3 * i] = y0;
            y[3 * i + 1] = y1;
            y[3 * i + 2] = y2;
            for (int k = Math.max(0, i - b); k < i; k++) {
                double lik = l[row + k];
                y[3 * k] -= lik * y0;
                y[3 * k + 1] -= lik * y1;
                y[3 * k + 2] -= lik * y2;
            }
        }
    }
}
