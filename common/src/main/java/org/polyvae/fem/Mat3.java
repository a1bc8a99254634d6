package org.polyvae.fem;

/** 3×3 symmetric-matrix helpers for Voigt stiffness and compliance. */
final class Mat3 {
    private Mat3() {
    }

    static double[][] inverse(double[][] a) {
        double det = a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1])
                - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
                + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
        if (!(Math.abs(det) > 0) || !Double.isFinite(det)) {
            throw new ArithmeticException("singular 3x3 stiffness (determinant " + det + ")");
        }
        double[][] inv = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                int i1 = (j + 1) % 3, i2 = (j + 2) % 3, j1 = (i + 1) % 3, j2 = (i + 2) % 3;
                inv[i][j] = (a[i1][j1] * a[i2][j2] - a[i1][j2] * a[i2][j1]) / det;
            }
        }
        return inv;
    }

    static void addScaled(double[][] acc, double[][] a, double w) {
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                acc[i][j] += w * a[i][j];
            }
        }
    }
}
