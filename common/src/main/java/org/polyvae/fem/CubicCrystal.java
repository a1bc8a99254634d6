package org.polyvae.fem;

import java.io.Serializable;

/**
 * A cubic crystal whose [001] axis is the film normal, seen in the film plane: its 3-D stiffness (C11, C12,
 * C44, GPa) reduced to plane stress (σ33 = 0) and rotated in-plane by the lattice angle θ. Voigt notation
 * (xx, yy, xy) with engineering shear strain γ = 2ε_xy. The in-plane response has the 4-fold symmetry of
 * the cubic lattice, so θ and θ + 90° give the same stiffness.
 */
public final class CubicCrystal implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Single-crystal silicon (Hopcroft et al., "What is the Young's modulus of silicon?", 2010). */
    public static final CubicCrystal SILICON = new CubicCrystal(165.7, 63.9, 79.6);

    private final double c11;
    private final double c12;
    private final double c44;

    public CubicCrystal(double c11, double c12, double c44) {
        // Positive definite cubic stiffness: C44 > 0, C11 > |C12|, C11 + 2 C12 > 0.
        if (!(c44 > 0 && c11 > Math.abs(c12) && c11 + 2 * c12 > 0) || !Double.isFinite(c11 + c12 + c44)) {
            throw new IllegalArgumentException("cubic stiffness C11=" + c11 + ", C12=" + c12 + ", C44=" + c44
                    + " is not positive definite: expected C44 > 0, C11 > |C12| and C11 + 2·C12 > 0");
        }
        this.c11 = c11;
        this.c12 = c12;
        this.c44 = c44;
    }

    /** Plane-stress stiffness in the crystal axes: Q11 = C11 − C12²/C11, Q12 = C12 − C12²/C11, Q66 = C44. */
    public double[][] planeStressStiffness() {
        double q11 = c11 - c12 * c12 / c11;
        double q12 = c12 - c12 * c12 / c11;
        return new double[][] {{q11, q12, 0}, {q12, q11, 0}, {0, 0, c44}};
    }

    /** Plane-stress stiffness of a grain whose lattice is rotated by {@code thetaDeg} in the film plane. */
    public double[][] planeStressStiffness(double thetaDeg) {
        return rotate(planeStressStiffness(), thetaDeg);
    }

    /** Young's modulus along x of a single crystal rotated by θ: 1/S11 of the rotated compliance. */
    public double youngsModulus11(double thetaDeg) {
        return 1 / Mat3.inverse(planeStressStiffness(thetaDeg))[0][0];
    }

    /**
     * Rotates a plane Voigt stiffness (engineering shear) as the 2-D fourth-order tensor it stands for:
     * C'_ijkl = R_ia R_jb R_kc R_ld C_abcd.
     */
    static double[][] rotate(double[][] q, double thetaDeg) {
        double[][][][] c = tensor(q);
        double t = Math.toRadians(thetaDeg);
        double[][] r = {{Math.cos(t), -Math.sin(t)}, {Math.sin(t), Math.cos(t)}};
        double[][][][] out = new double[2][2][2][2];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                for (int k = 0; k < 2; k++) {
                    for (int l = 0; l < 2; l++) {
                        double s = 0;
                        for (int a = 0; a < 2; a++) {
                            for (int b = 0; b < 2; b++) {
                                for (int cc = 0; cc < 2; cc++) {
                                    for (int d = 0; d < 2; d++) {
                                        s += r[i][a] * r[j][b] * r[k][cc] * r[l][d] * c[a][b][cc][d];
                                    }
                                }
                            }
                        }
                        out[i][j][k][l] = s;
                    }
                }
            }
        }
        return voigt(out);
    }

    private static final int[][] PAIR = {{0, 0}, {1, 1}, {0, 1}};

    private static double[][][][] tensor(double[][] q) {
        double[][][][] c = new double[2][2][2][2];
        for (int m = 0; m < 3; m++) {
            for (int n = 0; n < 3; n++) {
                int i = PAIR[m][0], j = PAIR[m][1], k = PAIR[n][0], l = PAIR[n][1];
                // Engineering shear: σ = Q γ, so the tensor entry carries Q itself for every index order.
                double v = q[m][n];
                c[i][j][k][l] = v;
                c[j][i][k][l] = v;
                c[i][j][l][k] = v;
                c[j][i][l][k] = v;
            }
        }
        return c;
    }

    private static double[][] voigt(double[][][][] c) {
        double[][] q = new double[3][3];
        for (int m = 0; m < 3; m++) {
            for (int n = 0; n < 3; n++) {
                q[m][n] = c[PAIR[m][0]][PAIR[m][1]][PAIR[n][0]][PAIR[n][1]];
            }
        }
        return q;
    }

    @Override
    public String toString() {
        return "cubic crystal C11=" + c11 + " C12=" + c12 + " C44=" + c44 + " GPa";
    }
}
