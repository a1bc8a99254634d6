package org.polyvae.fem;

/**
 * The bilinear square element (one per pixel, side 1: a square element's stiffness does not depend on its
 * size in 2-D) with 2×2 Gauss integration. Local nodes counter-clockwise from the bottom-left corner,
 * dofs (u_x, u_y) per node. The element stiffness is linear in the material matrix Q, so it is kept as
 * six basis matrices, one per independent entry of the symmetric Q.
 */
final class QuadElement {
    /** Local node offsets (x, y). */
    static final int[][] NODES = {{0, 0}, {1, 0}, {1, 1}, {0, 1}};
    /** Upper-triangle entries of Q: (0,0), (1,1), (2,2), (0,1), (0,2), (1,2). */
    static final int[][] Q_ENTRIES = {{0, 0}, {1, 1}, {2, 2}, {0, 1}, {0, 2}, {1, 2}};

    /** BASIS[e][8*i + j]: d K_ij / d Q_entry(e), with both symmetric Q entries counted. */
    static final double[][] BASIS = new double[6][64];
    /** Strain–displacement matrix at the element centre (3×8, row-major): the element's mean strain. */
    static final double[] B_CENTRE = strainDisplacement(0.5, 0.5);

    static {
        double g = 0.5 / Math.sqrt(3);
        for (double x : new double[] {0.5 - g, 0.5 + g}) {
            for (double y : new double[] {0.5 - g, 0.5 + g}) {
                double[] b = strainDisplacement(x, y);
                for (int e = 0; e < 6; e++) {
                    int m = Q_ENTRIES[e][0], n = Q_ENTRIES[e][1];
                    for (int i = 0; i < 8; i++) {
                        for (int j = 0; j < 8; j++) {
                            double v = b[m * 8 + i] * b[n * 8 + j];
                            if (m != n) {
                                v += b[n * 8 + i] * b[m * 8 + j];
                            }
                            BASIS[e][i * 8 + j] += 0.25 * v; // Gauss weight 1 × Jacobian 1/4 (unit square)
                        }
                    }
                }
            }
        }
    }

    private QuadElement() {
    }

    /** B at local point (x, y) ∈ [0,1]²: rows ε_xx, ε_yy, γ_xy; columns the 8 element dofs. */
    static double[] strainDisplacement(double x, double y) {
        double[] dx = {-(1 - y), 1 - y, y, -y};
        double[] dy = {-(1 - x), -x, x, 1 - x};
        double[] b = new double[24];
        for (int a = 0; a < 4; a++) {
            b[2 * a] = dx[a];
            b[8 + 2 * a + 1] = dy[a];
            b[16 + 2 * a] = dy[a];
            b[16 + 2 * a + 1] = dx[a];
        }
        return b;
    }

    /** Element stiffness for material Q, written into {@code out} at {@code offset} (64 values). */
    static void stiffness(double[][] q, double[] out, int offset) {
        for (int k = 0; k < 64; k++) {
            double v = 0;
            for (int e = 0; e < 6; e++) {
                v += q[Q_ENTRIES[e][0]][Q_ENTRIES[e][1]] * BASIS[e][k];
            }
            out[offset + k] = v;
        }
    }
}
