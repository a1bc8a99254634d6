package org.polyvae.fem;

/** Small dense 3x3 helpers for Voigt-notation stiffness/compliance matrices (xx, yy, engineering xy). */
final class Voigt3 {
    private Voigt3() {
    }

    static double[][] inverse(double[][] a) {
        double c00 = a[1][1] * a[2][2] - a[1][2] * a[2][1];
        double c01 = a[1][2] * a[2][0] - a[1][0] * a[2][2];
        double c02 = a[1][0] * a[2][1] - a[1][1] * a[2][0];
        double det = a[0][0] * c00 + a[0][1] * c01 + a[0][2] * c02;
        if (!(Math.abs(det) > 0) || !Double.isFinite(det)) {
            throw new ArithmeticException("singular 3x3 matrix (det = " + det + ")");
        }
        double[][] inv = new double[3][3];
        inv[0][0] = c00 / det;
        inv[1][0] = c01 / det;
        inv[2][0] = c02 / det;
        inv[0][1] = (a[0][2] * a[2][1] - a[0][1] * a[2][2]) / det;
        inv[1][1] = (a[0][0] * a[2][2] - a[0][2] * a[2][0]) / det;
        inv[2][1] = (a[0][1] * a[2][0] - a[0][0] * a[2][1]) / det;
        inv[0][2] = (a[0][1] * a[1][2] - a[0][2] * a[1][1]) / det;
        inv[1][2] = (a[0][2] * a[1][0] - a[0][0] * a[1][2]) / det;
        inv[2][2] = (a[0][0] * a[1][1] - a[0][1] * a[1][0]) / det;
        return inv;
    }

    /** True if symmetric (to a relative 1e-9) and positive definite (Sylvester's leading minors). */
    static boolean isSymmetricPositiveDefinite(double[][] a) {
        double scale = Math.abs(a[0][0]) + Math.abs(a[1][1]) + Math.abs(a[2][2]);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                if (!Double.isFinite(a[i][j]) || Math.abs(a[i][j] - a[j][i]) > 1e-9 * scale) {
                    return false;
                }
            }
        }
        double m2 = a[0][0] * a[1][1] - a[0][1] * a[1][0];
        double m3 = a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1])
                - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
                + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
        return a[0][0] > 0 && m2 > 0 && m3 > 0;
    }

    static double[][] copy(double[][] a) {
        double[][] c = new double[3][];
        for (int i = 0; i < 3; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }
}
