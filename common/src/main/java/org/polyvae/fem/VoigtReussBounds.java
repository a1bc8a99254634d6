package org.polyvae.fem;

/**
 * Voigt (uniform strain) and Reuss (uniform stress) bounds of a pixel image of crystal orientations.
 * With affine boundary displacements the apparent stiffness C satisfies Reuss <= C <= Voigt in the
 * positive semi-definite order, hence 1/S11 lies between the two E11 values below.
 */
public final class VoigtReussBounds {
    private VoigtReussBounds() {
    }

    /** {reuss, voigt} bounds on E11 (GPa). */
    public static double[] e11(double[] angleDeg, CubicCrystal crystal) {
        double reuss = 1.0 / Voigt3.inverse(reussStiffness(angleDeg, crystal))[0][0];
        double voigt = 1.0 / Voigt3.inverse(voigtStiffness(angleDeg, crystal))[0][0];
        return new double[] {reuss, voigt};
    }

    /** Arithmetic mean of the element stiffnesses. */
    public static double[][] voigtStiffness(double[] angleDeg, CubicCrystal crystal) {
        return voigtStiffness(toStiffness(angleDeg, crystal));
    }

    /** Inverse of the arithmetic mean of the element compliances. */
    public static double[][] reussStiffness(double[] angleDeg, CubicCrystal crystal) {
        return reussStiffness(toStiffness(angleDeg, crystal));
    }

    public static double[][] voigtStiffness(double[][][] elementQ) {
        requireNonEmpty(elementQ);
        double[][] sum = new double[3][3];
        for (double[][] q : elementQ) {
            add(sum, q);
        }
        return scale(sum, 1.0 / elementQ.length);
    }

    public static double[][] reussStiffness(double[][][] elementQ) {
        requireNonEmpty(elementQ);
        double[][] sum = new double[3][3];
        for (double[][] q : elementQ) {
            add(sum, Voigt3.inverse(q));
        }
        return Voigt3.inverse(scale(sum, 1.0 / elementQ.length));
    }

    private static double[][][] toStiffness(double[] angleDeg, CubicCrystal crystal) {
        if (angleDeg == null || crystal == null) {
            throw new IllegalArgumentException("angleDeg and crystal must not be null");
        }
        double[][][] q = new double[angleDeg.length][][];
        for (int i = 0; i < angleDeg.length; i++) {
            if (!Double.isFinite(angleDeg[i])) {
                throw new IllegalArgumentException("angleDeg[" + i + "] = " + angleDeg[i]
                        + "; expected a finite angle in degrees");
            }
            q[i] = crystal.planeStressStiffness(angleDeg[i]);
        }
        return q;
    }

    private static void requireNonEmpty(double[][][] q) {
        if (q == null || q.length == 0) {
            throw new IllegalArgumentException("expected at least one element");
        }
    }

    private static void add(double[][] sum, double[][] q) {
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                sum[i][j] += q[i][j];
            }
        }
    }

    private static double[][] scale(double[][] a, double f) {
        for (double[] row : a) {
            for (int j = 0; j < 3; j++) {
                row[j] *= f;
            }
        }
        return a;
    }
}
