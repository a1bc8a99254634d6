package org.polyvae.fem;

import java.io.Serializable;

/**
 * Elastic constants of a cubic crystal in a film whose normal is the [001] axis. Only the in-plane
 * (plane-stress) response is exposed, in Voigt notation (xx, yy, engineering shear xy), with the
 * lattice [100] axis rotated by {@code thetaDeg} counter-clockwise from the x axis (x right, y up).
 * Immutable.
 */
public final class CubicCrystal implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Silicon (GPa), the material of the polysilicon dataset. */
    public static final CubicCrystal SILICON = new CubicCrystal(165.7, 63.9, 79.6);

    private final double c11;
    private final double c12;
    private final double c44;

    public CubicCrystal(double c11, double c12, double c44) {
        if (!Double.isFinite(c11) || !Double.isFinite(c12) || !Double.isFinite(c44)) {
            throw new IllegalArgumentException("cubic constants must be finite, got c11=" + c11
                    + ", c12=" + c12 + ", c44=" + c44);
        }
        // Positive definiteness of the cubic stiffness: eigenvalues c11+2c12, c11-c12 (x2), c44 (x3).
        if (!(c44 > 0 && c11 - c12 > 0 && c11 + 2 * c12 > 0)) {
            throw new IllegalArgumentException("cubic constants are not positive definite: expected c44 > 0, "
                    + "c11 > c12 and c11 + 2*c12 > 0, got c11=" + c11 + ", c12=" + c12 + ", c44=" + c44);
        }
        this.c11 = c11;
        this.c12 = c12;
        this.c44 = c44;
    }

    public double c11() {
        return c11;
    }

    public double c12() {
        return c12;
    }

    public double c44() {
        return c44;
    }

    /** Plane-stress reduced stiffness in the lattice frame (sigma_zz = 0 eliminates eps_zz). */
    double[][] latticeStiffness() {
        double q11 = c11 - c12 * c12 / c11;
        double q12 = c12 - c12 * c12 / c11;
        return new double[][] {{q11, q12, 0}, {q12, q11, 0}, {0, 0, c44}};
    }

    /** The rotated 3x3 plane-stress stiffness Q(theta) in Voigt notation (xx, yy, engineering xy). */
    public double[][] planeStressStiffness(double thetaDeg) {
        if (!Double.isFinite(thetaDeg)) {
            throw new IllegalArgumentException("thetaDeg must be finite, got " + thetaDeg);
        }
        return rotate(latticeStiffness(), thetaDeg);
    }

    /** Analytic in-plane Young's modulus along x: 1 / S11 of the rotated plane-stress compliance. */
    public double youngsModulus11(double thetaDeg) {
        return 1.0 / Voigt3.inverse(planeStressStiffness(thetaDeg))[0][0];
    }

    /**
     * The angle average of Q(theta): the isotropic part. Cubic Q(theta) only contains cos/sin of 4*theta,
     * so eight equally spaced angles average it exactly. Used as a reference medium.
     */
    double[][] isotropicAverage() {
        double[][] avg = new double[3][3];
        for (int k = 0; k < 8; k++) {
            double[][] q = planeStressStiffness(22.5 * k);
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    avg[i][j] += q[i][j] / 8;
                }
            }
        }
        return avg;
    }

    /**
     * Rotates a Voigt stiffness given in a frame whose first axis is at thetaDeg (counter-clockwise) from x
     * into the x-y frame: Q' = T^T Q T, where T maps global engineering strains into the material frame.
     */
    static double[][] rotate(double[][] q, double thetaDeg) {
        double t = Math.toRadians(thetaDeg);
        double c = Math.cos(t);
        double s = Math.sin(t);
        double[][] tm = {
            {c * c, s * s, c * s},
            {s * s, c * c, -c * s},
            {-2 * c * s, 2 * c * s, c * c - s * s}};
        double[][] qt = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double sum = 0;
                for (int k = 0; k < 3; k++) {
                    sum += q[i][k] * tm[k][j];
                }
                qt[i][j] = sum;
            }
        }
        double[][] r = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double sum = 0;
                for (int k = 0; k < 3; k++) {
                    sum += tm[k][i] * qt[k][j];
                }
                r[i][j] = sum;
            }
        }
        // Exact symmetry keeps downstream element matrices symmetric bit-for-bit.
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < i; j++) {
                double m = 0.5 * (r[i][j] + r[j][i]);
                r[i][j] = m;
                r[j][i] = m;
            }
        }
        return r;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CubicCrystal other && other.c11 == c11 && other.c12 == c12 && other.c44 == c44;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(c11) * 31 * 31 + Double.hashCode(c12) * 31 + Double.hashCode(c44);
    }

    @Override
    public String toString() {
        return "CubicCrystal[c11=" + c11 + ", c12=" + c12 + ", c44=" + c44 + "]";
    }
}
