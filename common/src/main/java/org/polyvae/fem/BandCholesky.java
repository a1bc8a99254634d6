package org.polyvae.fem;

/**
 * Banded Cholesky factor of a {@link GridOperator} restricted to its interior dofs, ordered row by row
 * (interior node q = (i-1)(m-1) + (j-1), dofs 2q, 2q+1), half-bandwidth 2m+1. Immutable once built,
 * so a cached factor may be shared between threads (solve uses only caller-owned buffers).
 */
final class BandCholesky {
    private final int m;
    private final int n;
    private final int bw;
    /** Row r holds L[r][r-bw .. r] in l[r*(bw+1) .. r*(bw+1)+bw]. */
    private final double[] l;

    BandCholesky(GridOperator op) {
        this.m = op.m;
        int side = m - 1;
        this.n = 2 * side * side;
        this.bw = 2 * m + 1;
        int w = bw + 1;
        this.l = new double[Math.max(n, 1) * w];
        for (int i = 1; i < m; i++) {
            for (int j = 1; j < m; j++) {
                int p = i * op.stride + j;
                int q = (i - 1) * side + j - 1;
                for (int nb = 0; nb < 9; nb++) {
                    int ni = i + nb / 3 - 1;
                    int nj = j + nb % 3 - 1;
                    if (ni < 1 || nj < 1 || ni >= m || nj >= m) {
                        continue;
                    }
                    int q2 = (ni - 1) * side + nj - 1;
                    for (int s = 0; s < 2; s++) {
                        for (int t = 0; t < 2; t++) {
                            int row = 2 * q + s;
                            int col = 2 * q2 + t;
                            if (col <= row) {
                                l[row * w + col - row + bw] = op.coefficient(p, nb, s, t);
                            }
                        }
                    }
                }
            }
        }
        factor();
    }

    private void factor() {
        int w = bw + 1;
        for (int i = 0; i < n; i++) {
            int ri = i * w - i + bw; // l[ri + col] = L[i][col]
            for (int j = Math.max(0, i - bw); j <= i; j++) {
                int rj = j * w - j + bw;
                double sum = l[ri + j];
                for (int k = Math.max(0, i - bw); k < j; k++) {
                    sum -= l[ri + k] * l[rj + k];
                }
                if (j == i) {
                    if (!(sum > 0)) {
                        throw new ArithmeticException("stiffness matrix is not positive definite at dof " + i);
                    }
                    l[ri + i] = Math.sqrt(sum);
                } else {
                    l[ri + j] = sum / l[rj + j];
                }
            }
        }
    }

    /** z = A^-1 r on interior dofs of grid vectors; work must hold n doubles. */
    void solve(double[] r, double[] z, double[] work) {
        int side = m - 1;
        int stride = m + 1;
        for (int i = 1; i < m; i++) {
            for (int j = 1; j < m; j++) {
                int q = (i - 1) * side + j - 1;
                int p = i * stride + j;
                work[2 * q] = r[2 * p];
                work[2 * q + 1] = r[2 * p + 1];
            }
        }
        int w = bw + 1;
        for (int i = 0; i < n; i++) { // L y = r, row-oriented dot products
            int ri = i * w - i + bw;
            double sum = work[i];
            for (int k = Math.max(0, i - bw); k < i; k++) {
                sum -= l[ri + k] * work[k];
            }
            work[i] = sum / l[ri + i];
        }
        for (int i = n - 1; i >= 0; i--) { // L^T z = y, column-oriented updates on contiguous rows
            int ri = i * w - i + bw;
            double zi = work[i] / l[ri + i];
            work[i] = zi;
            for (int k = Math.max(0, i - bw); k < i; k++) {
                work[k] -= l[ri + k] * zi;
            }
        }
        for (int i = 1; i < m; i++) {
            for (int j = 1; j < m; j++) {
                int q = (i - 1) * side + j - 1;
                int p = i * stride + j;
                z[2 * p] = work[2 * q];
                z[2 * p + 1] = work[2 * q + 1];
            }
        }
    }

    int dofs() {
        return n;
    }
}
