package org.polyvae.fem;

/**
 * The bilinear square element (one per pixel, unit side; 2-D stiffness does not depend on the side).
 * Local nodes counter-clockwise from bottom-left: 0 (-1,-1), 1 (1,-1), 2 (1,1), 3 (-1,1) in (xi, eta);
 * dofs 2a (u_x) and 2a+1 (u_y). Matrices are 8x8 stored row-major in double[64].
 */
final class Q4Element {
    static final int[] XI = {-1, 1, 1, -1};
    static final int[] ETA = {-1, -1, 1, 1};

    /** BASIS[3a+b]: the stiffness is linear in Q, K = sum_ab Q_ab * BASIS[3a+b] (2x2 Gauss, exact here). */
    private static final double[][] BASIS = buildBasis();

    /**
     * Galerkin coarsening weights: for child c (= 2*dr + dc of the 2x2 children, dr = 0 the upper row),
     * the value of coarse shape A at child local node k. Stored sparsely as triples (k, A, w).
     */
    private static final double[][] CHILD_WEIGHTS = buildChildWeights();

    private Q4Element() {
    }

    static double[] stiffness(double[][] q) {
        double[] k = new double[64];
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++) {
                double qab = q[a][b];
                double[] basis = BASIS[3 * a + b];
                for (int i = 0; i < 64; i++) {
                    k[i] += qab * basis[i];
                }
            }
        }
        return k;
    }

    /** Galerkin element matrix P^T K P of a coarse element from its four children (bilinear P). */
    static double[] coarsen(double[] upperLeft, double[] upperRight, double[] lowerLeft, double[] lowerRight,
            double[] out) {
        java.util.Arrays.fill(out, 0);
        double[][] children = {upperLeft, upperRight, lowerLeft, lowerRight};
        for (int c = 0; c < 4; c++) {
            double[] kc = children[c];
            double[] w = CHILD_WEIGHTS[c];
            for (int s = 0; s < w.length; s += 3) {
                int k = (int) w[s];
                int ca = (int) w[s + 1];
                double wk = w[s + 2];
                for (int t = 0; t < w.length; t += 3) {
                    int l = (int) w[t];
                    int cb = (int) w[t + 1];
                    double f = wk * w[t + 2];
                    int src = 16 * k + 2 * l;
                    int dst = 16 * ca + 2 * cb;
                    out[dst] += f * kc[src];
                    out[dst + 1] += f * kc[src + 1];
                    out[dst + 8] += f * kc[src + 8];
                    out[dst + 9] += f * kc[src + 9];
                }
            }
        }
        return out;
    }

    private static double[][] buildBasis() {
        double g = 1 / Math.sqrt(3);
        double[][] basis = new double[9][64];
        for (int gx = -1; gx <= 1; gx += 2) {
            for (int gy = -1; gy <= 1; gy += 2) {
                double xi = gx * g;
                double eta = gy * g;
                // Strain-displacement rows (xx, yy, xy) at this point; d/dx = 2 d/dxi on a unit square.
                double[][] b = new double[3][8];
                for (int a = 0; a < 4; a++) {
                    double dx = 2 * XI[a] * (1 + ETA[a] * eta) / 4;
                    double dy = 2 * ETA[a] * (1 + XI[a] * xi) / 4;
                    b[0][2 * a] = dx;
                    b[1][2 * a + 1] = dy;
                    b[2][2 * a] = dy;
                    b[2][2 * a + 1] = dx;
                }
                double detJ = 0.25;
                for (int p = 0; p < 3; p++) {
                    for (int q = 0; q < 3; q++) {
                        for (int i = 0; i < 8; i++) {
                            for (int j = 0; j < 8; j++) {
                                basis[3 * p + q][8 * i + j] += detJ * b[p][i] * b[q][j];
                            }
                        }
                    }
                }
            }
        }
        return basis;
    }

    private static double[][] buildChildWeights() {
        double[][] weights = new double[4][];
        for (int dr = 0; dr < 2; dr++) {
            for (int dc = 0; dc < 2; dc++) {
                double xi0 = dc == 0 ? -1 : 0;
                double eta0 = dr == 0 ? 0 : -1; // row 0 of the pair is the upper one (image rows go down)
                double[] triples = new double[3 * 16];
                int m = 0;
                for (int k = 0; k < 4; k++) {
                    double xi = xi0 + (XI[k] + 1) / 2.0;
                    double eta = eta0 + (ETA[k] + 1) / 2.0;
                    for (int a = 0; a < 4; a++) {
                        double w = (1 + XI[a] * xi) * (1 + ETA[a] * eta) / 4;
                        if (w != 0) {
                            triples[m++] = k;
                            triples[m++] = a;
                            triples[m++] = w;
                        }
                    }
                }
                weights[2 * dr + dc] = java.util.Arrays.copyOf(triples, m);
            }
        }
        return weights;
    }
}
