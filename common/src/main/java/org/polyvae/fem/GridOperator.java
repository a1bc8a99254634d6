package org.polyvae.fem;

/**
 * Assembled stiffness of an m x m pixel grid as a 9-point nodal stencil of 2x2 blocks, acting on
 * grid vectors of length 2(m+1)^2 (node (i, j) = row i from the top, column j; dofs 2p, 2p+1 with
 * p = i(m+1)+j). Only interior rows are used: boundary dofs are prescribed, so operators read the
 * boundary entries of their input but never write boundary entries of their output.
 * Not thread-safe (it is rebuilt in place for every image).
 */
final class GridOperator {
    /** Local node k of element (r, c) sits at grid node (r + NODE_DI[k], c + NODE_DJ[k]). */
    static final int[] NODE_DI = {1, 1, 0, 0};
    static final int[] NODE_DJ = {0, 1, 1, 0};

    final int m;
    final int stride;
    /** 36 coefficients per node: neighbour nb = 3(di+1)+(dj+1), then the 2x2 block row-major. */
    final double[] a;
    /** Inverse of each node's diagonal 2x2 block, for the block Gauss-Seidel smoother. */
    final double[] dinv;

    GridOperator(int m) {
        this.m = m;
        this.stride = m + 1;
        this.a = new double[stride * stride * 36];
        this.dinv = new double[stride * stride * 4];
    }

    int size() {
        return 2 * stride * stride;
    }

    /** Assembles from element matrices; elementK[r*m + c] (entries may be shared between elements). */
    void assemble(double[][] elementK) {
        java.util.Arrays.fill(a, 0);
        for (int r = 0; r < m; r++) {
            for (int c = 0; c < m; c++) {
                double[] ke = elementK[r * m + c];
                for (int k = 0; k < 4; k++) {
                    int node = (r + NODE_DI[k]) * stride + c + NODE_DJ[k];
                    for (int l = 0; l < 4; l++) {
                        int nb = 3 * (NODE_DI[l] - NODE_DI[k] + 1) + NODE_DJ[l] - NODE_DJ[k] + 1;
                        int dst = node * 36 + 4 * nb;
                        int src = 16 * k + 2 * l;
                        a[dst] += ke[src];
                        a[dst + 1] += ke[src + 1];
                        a[dst + 2] += ke[src + 8];
                        a[dst + 3] += ke[src + 9];
                    }
                }
            }
        }
        for (int i = 1; i < m; i++) {
            for (int j = 1; j < m; j++) {
                int p = i * stride + j;
                int d = p * 36 + 16;
                double det = a[d] * a[d + 3] - a[d + 1] * a[d + 2];
                dinv[4 * p] = a[d + 3] / det;
                dinv[4 * p + 1] = -a[d + 1] / det;
                dinv[4 * p + 2] = -a[d + 2] / det;
                dinv[4 * p + 3] = a[d] / det;
            }
        }
    }

    /** y = A x on interior rows (boundary entries of y untouched). */
    void apply(double[] x, double[] y) {
        for (int i = 1; i < m; i++) {
            for (int j = 1; j < m; j++) {
                int p = i * stride + j;
                rowProduct(p, x, y, 2 * p);
            }
        }
    }

    /** res = b - A x on interior rows. */
    void residual(double[] b, double[] x, double[] res) {
        for (int i = 1; i < m; i++) {
            for (int j = 1; j < m; j++) {
                int p = i * stride + j;
                rowProduct(p, x, res, 2 * p);
                res[2 * p] = b[2 * p] - res[2 * p];
                res[2 * p + 1] = b[2 * p + 1] - res[2 * p + 1];
            }
        }
    }

    /** Writes row p of A x into y[out], y[out+1]; the nine neighbours are unrolled (hot loop). */
    private void rowProduct(int p, double[] x, double[] y, int out) {
        double[] c = a;
        int k = p * 36;
        int q = 2 * (p - stride - 1);
        double y0 = c[k] * x[q] + c[k + 1] * x[q + 1] + c[k + 4] * x[q + 2] + c[k + 5] * x[q + 3]
                + c[k + 8] * x[q + 4] + c[k + 9] * x[q + 5];
        double y1 = c[k + 2] * x[q] + c[k + 3] * x[q + 1] + c[k + 6] * x[q + 2] + c[k + 7] * x[q + 3]
                + c[k + 10] * x[q + 4] + c[k + 11] * x[q + 5];
        k += 12;
        q += 2 * stride;
        y0 += c[k] * x[q] + c[k + 1] * x[q + 1] + c[k + 4] * x[q + 2] + c[k + 5] * x[q + 3]
                + c[k + 8] * x[q + 4] + c[k + 9] * x[q + 5];
        y1 += c[k + 2] * x[q] + c[k + 3] * x[q + 1] + c[k + 6] * x[q + 2] + c[k + 7] * x[q + 3]
                + c[k + 10] * x[q + 4] + c[k + 11] * x[q + 5];
        k += 12;
        q += 2 * stride;
        y0 += c[k] * x[q] + c[k + 1] * x[q + 1] + c[k + 4] * x[q + 2] + c[k + 5] * x[q + 3]
                + c[k + 8] * x[q + 4] + c[k + 9] * x[q + 5];
        y1 += c[k + 2] * x[q] + c[k + 3] * x[q + 1] + c[k + 6] * x[q + 2] + c[k + 7] * x[q + 3]
                + c[k + 10] * x[q + 4] + c[k + 11] * x[q + 5];
        y[out] = y0;
        y[out + 1] = y1;
    }

    /**
     * One lexicographic nodal-block Gauss-Seidel sweep on A x = b, forward or backward, written in
     * correction form x_p += D_p^-1 (b - A x)_p, which is the same update and reuses the row product.
     */
    void gaussSeidel(double[] b, double[] x, boolean forward) {
        double[] row = new double[2];
        for (int ii = 1; ii < m; ii++) {
            int i = forward ? ii : m - ii;
            for (int jj = 1; jj < m; jj++) {
                int j = forward ? jj : m - jj;
                int p = i * stride + j;
                rowProduct(p, x, row, 0);
                double r0 = b[2 * p] - row[0];
                double r1 = b[2 * p + 1] - row[1];
                int d = 4 * p;
                x[2 * p] += dinv[d] * r0 + dinv[d + 1] * r1;
                x[2 * p + 1] += dinv[d + 2] * r0 + dinv[d + 3] * r1;
            }
        }
    }

    /** Coefficient of row dof 2p+s and column dof 2(p+offset(nb))+t. */
    double coefficient(int p, int nb, int s, int t) {
        return a[p * 36 + 4 * nb + 2 * s + t];
    }
}
