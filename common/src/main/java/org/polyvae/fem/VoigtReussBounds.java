package org.polyvae.fem;

/**
 * Voigt (uniform strain: mean stiffness) and Reuss (uniform stress: mean compliance) bounds of a pixel
 * image of grains. Every admissible apparent stiffness lies between them in the sense of quadratic forms,
 * hence E11 = 1/S11 does too.
 */
public final class VoigtReussBounds {
    private VoigtReussBounds() {
    }

    /** Mean stiffness of the elements (Voigt), 3×3. */
    public static double[][] voigt(double[] angleDeg, CubicCrystal c) {
        double[][] mean = new double[3][3];
        for (double a : angleDeg) {
            Mat3.addScaled(mean, c.planeStressStiffness(a), 1.0 / angleDeg.length);
        }
        return mean;
    }

    /** Inverse of the mean compliance (Reuss), 3×3. */
    public static double[][] reuss(double[] angleDeg, CubicCrystal c) {
        double[][] mean = new double[3][3];
        for (double a : angleDeg) {
            Mat3.addScaled(mean, Mat3.inverse(c.planeStressStiffness(a)), 1.0 / angleDeg.length);
        }
        return Mat3.inverse(mean);
    }

    /** {reuss, voigt} bounds of E11, GPa. */
    public static double[] e11(double[] angleDeg, CubicCrystal c) {
        if (angleDeg == null || angleDeg.length == 0) {
            throw new IllegalArgumentException("expected at least one element angle");
        }
        return new double[] {1 / Mat3.inverse(reuss(angleDeg, c))[0][0], 1 / Mat3.inverse(voigt(angleDeg, c))[0][0]};
    }
}
