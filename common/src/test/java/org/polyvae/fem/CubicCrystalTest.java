package org.polyvae.fem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CubicCrystalTest {
    private static final CubicCrystal SI = CubicCrystal.SILICON;

    @Test
    void siliconInPlaneModulusIsTheKnownAnalyticValue() {
        // [100] and [110] in the (001) plane: 130.1 and 169.1 GPa (Hopcroft et al. 2010).
        assertEquals(130.1, SI.youngsModulus11(0), 0.05);
        assertEquals(169.1, SI.youngsModulus11(45), 0.05);
        assertEquals(130.1, SI.youngsModulus11(90), 0.05);
        for (double t = 0; t <= 45; t += 5) {
            assertTrue(SI.youngsModulus11(t + 1e-9) >= SI.youngsModulus11(t) - 1e-9, "E rises from [100] to [110]");
        }
    }

    @Test
    void planeStressReductionAndCubicSymmetry() {
        double[][] q = SI.planeStressStiffness(0);
        assertEquals(165.7 - 63.9 * 63.9 / 165.7, q[0][0], 1e-12);
        assertEquals(63.9 - 63.9 * 63.9 / 165.7, q[0][1], 1e-12);
        assertEquals(79.6, q[2][2], 1e-12);
        for (double t : new double[] {7, 22.5, 45, 61}) {
            double[][] a = SI.planeStressStiffness(t);
            double[][] b = SI.planeStressStiffness(t + 90);
            double[][] mirror = SI.planeStressStiffness(-t);
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    assertEquals(a[i][j], b[i][j], 1e-9, "θ and θ+90 are the same lattice");
                    assertEquals(a[i][j], a[j][i], 1e-12, "symmetric");
                    double sign = (i == 2) != (j == 2) ? -1 : 1; // mirroring y flips the shear couplings
                    assertEquals(a[i][j], sign * mirror[i][j], 1e-9);
                }
            }
        }
    }

    @Test
    void rejectsANonPositiveDefiniteCrystal() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CubicCrystal(60, 70, 80));
        assertTrue(e.getMessage().contains("C11 > |C12|"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CubicCrystal(165.7, 63.9, 0));
    }
}
