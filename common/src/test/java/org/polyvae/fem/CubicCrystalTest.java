package org.polyvae.fem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

class CubicCrystalTest {
    private static final CubicCrystal SI = CubicCrystal.SILICON;

    @Test
    void siliconYoungsModulusMatchesTheTextbookValues() {
        assertEquals(130.1, SI.youngsModulus11(0), 0.05);
        assertEquals(169.1, SI.youngsModulus11(45), 0.05);
        assertEquals(SI.youngsModulus11(0), SI.youngsModulus11(90), 1e-10);
    }

    @Test
    void planeStressReductionOfTheLatticeStiffness() {
        double[][] q = SI.planeStressStiffness(0);
        assertEquals(165.7 - 63.9 * 63.9 / 165.7, q[0][0], 1e-12);
        assertEquals(63.9 - 63.9 * 63.9 / 165.7, q[0][1], 1e-12);
        assertEquals(79.6, q[2][2], 1e-12);
        assertEquals(0, q[0][2], 1e-12);
    }

    @Test
    void rotationHasCubicSymmetryAndKeepsInvariants() {
        for (double t : new double[] {0, 13, 22.5, 45, 137}) {
            double[][] a = SI.planeStressStiffness(t);
            double[][] b = SI.planeStressStiffness(t + 90);
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    assertEquals(a[i][j], b[i][j], 1e-10, "theta " + t);
                }
            }
            // Q11 + Q22 + 2 Q12 (area bulk) and Q66 - Q12 are rotation invariants of a 2-D stiffness.
            double[][] q0 = SI.planeStressStiffness(0);
            assertEquals(q0[0][0] + q0[1][1] + 2 * q0[0][1], a[0][0] + a[1][1] + 2 * a[0][1], 1e-10);
            assertEquals(q0[2][2] - q0[0][1], a[2][2] - a[0][1], 1e-10);
        }
        // Shear coupling is non-zero off the symmetry axes (sign follows the counter-clockwise convention).
        assertTrue(Math.abs(SI.planeStressStiffness(22.5)[0][2]) > 10);
    }

    @Test
    void voigtRotationAgreesWithFourthOrderTensorRotation() {
        // Independent check of T^T Q T: rotate the 4th-order tensor with R = [[c, -s], [s, c]] (material
        // turned counter-clockwise by theta). An orthotropic Q catches errors cubic symmetry would hide.
        double[][] ortho = {{200, 50, 0}, {50, 100, 0}, {0, 0, 60}};
        for (double t : new double[] {22.5, 61, 137}) {
            assertRotationMatches(ortho, t);
            assertRotationMatches(SI.planeStressStiffness(0), t);
        }
    }

    private static void assertRotationMatches(double[][] q, double thetaDeg) {
        int[][] voigt = {{0, 0}, {1, 1}, {0, 1}};
        double[][][][] c = new double[2][2][2][2];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                for (int k = 0; k < 2; k++) {
                    for (int l = 0; l < 2; l++) {
                        c[i][j][k][l] = q[i == j ? i : 2][k == l ? k : 2];
                    }
                }
            }
        }
        double th = Math.toRadians(thetaDeg);
        double[][] r = {{Math.cos(th), -Math.sin(th)}, {Math.sin(th), Math.cos(th)}};
        double[][] expected = new double[3][3];
        for (int p = 0; p < 3; p++) {
            for (int s = 0; s < 3; s++) {
                int i = voigt[p][0];
                int j = voigt[p][1];
                int k = voigt[s][0];
                int l = voigt[s][1];
                double sum = 0;
                for (int a = 0; a < 2; a++) {
                    for (int b = 0; b < 2; b++) {
                        for (int cc = 0; cc < 2; cc++) {
                            for (int d = 0; d < 2; d++) {
                                sum += r[i][a] * r[j][b] * r[k][cc] * r[l][d] * c[a][b][cc][d];
                            }
                        }
                    }
                }
                expected[p][s] = sum;
            }
        }
        double[][] actual = CubicCrystal.rotate(q, thetaDeg);
        for (int p = 0; p < 3; p++) {
            for (int s = 0; s < 3; s++) {
                assertEquals(expected[p][s], actual[p][s], 1e-9, "theta " + thetaDeg + " [" + p + "][" + s + "]");
            }
        }
    }

    @Test
    void isotropicAverageIsIsotropic() {
        double[][] iso = SI.isotropicAverage();
        assertEquals(iso[0][0], iso[1][1], 1e-10);
        assertEquals((iso[0][0] - iso[0][1]) / 2, iso[2][2], 1e-10);
        assertEquals(0, iso[0][2], 1e-10);
    }

    @Test
    void rejectsNonPositiveDefiniteConstants() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CubicCrystal(60, 70, 79.6));
        assertTrue(e.getMessage().contains("c11 > c12"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CubicCrystal(165.7, 63.9, 0));
        assertThrows(IllegalArgumentException.class, () -> new CubicCrystal(100, -60, 50));
        assertThrows(IllegalArgumentException.class, () -> new CubicCrystal(Double.NaN, 63.9, 79.6));
        assertThrows(IllegalArgumentException.class, () -> SI.planeStressStiffness(Double.NaN));
    }

    @Test
    void serializesByValue() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(SI);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(SI, in.readObject());
        }
    }
}
