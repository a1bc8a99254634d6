package org.polyvae.fem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.polyvae.data.WindowClass;
import org.polyvae.synth.GrainProcess;
import org.polyvae.synth.MicrostructureGenerator;

class PlaneStressHomogenizerTest {
    private static final CubicCrystal SI = CubicCrystal.SILICON;
    private static final double TOL = 1e-10;

    private static double[] uniform(int n, double theta) {
        double[] a = new double[n * n];
        Arrays.fill(a, theta);
        return a;
    }

    private static double[] polycrystal(WindowClass c, long seed, int n) {
        return new MicrostructureGenerator(GrainProcess.CALIBRATED).generate(c, seed).elementAngles(n);
    }

    @Test
    void aSingleCrystalGivesItsOwnStiffnessAndTheAnalyticE11() {
        PlaneStressHomogenizer fem = new PlaneStressHomogenizer(12, SI, TOL, 500);
        for (double t : new double[] {0, 22.5, 45, 90, 137}) {
            Homogenized h = fem.homogenize(uniform(12, t));
            double[][] q = SI.planeStressStiffness(t);
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    assertEquals(q[i][j], h.apparentStiffness()[i][j], 1e-8 * q[0][0], "C" + i + j + " at " + t);
                }
            }
            assertEquals(SI.youngsModulus11(t), h.e11(), 1e-6 * h.e11(), "θ = " + t);
        }
        assertEquals(130.1, fem.homogenize(uniform(12, 0)).e11(), 0.05);
        assertEquals(169.1, fem.homogenize(uniform(12, 45)).e11(), 0.05);
    }

    @Test
    void cubicSymmetryAndRotatingTheImage() {
        int n = 24;
        double[] a = polycrystal(WindowClass.W5, 3, n);
        PlaneStressHomogenizer fem = new PlaneStressHomogenizer(n, SI, TOL, 500);
        Homogenized h = fem.homogenize(a);
        double[] plus90 = Arrays.stream(a).map(t -> t + 90).toArray();
        assertEquals(h.e11(), fem.homogenize(plus90).e11(), 1e-8 * h.e11(), "θ + 90° is the same lattice");

        // Rotating the geometry by 90° (each lattice too, which for a cubic crystal changes nothing)
        // turns the x response into the y response.
        double[] rotated = new double[n * n];
        for (int row = 0; row < n; row++) {
            for (int col = 0; col < n; col++) {
                rotated[(n - 1 - col) * n + row] = a[row * n + col];
            }
        }
        double[][] c = h.apparentStiffness();
        double[][] cr = fem.homogenize(rotated).apparentStiffness();
        assertEquals(c[1][1], cr[0][0], 1e-7 * c[0][0]);
        assertEquals(c[0][0], cr[1][1], 1e-7 * c[0][0]);
        assertEquals(c[2][2], cr[2][2], 1e-7 * c[0][0]);
    }

    /** Fictitious isotropic phase with zero Poisson ratio: Q = diag(E, E, E/2). */
    private static double[][] zeroPoisson(double e) {
        return new double[][] {{e, 0, 0}, {0, e, 0}, {0, 0, e / 2}};
    }

    private static double[][][] stripes(int n, boolean horizontal, int width, double e1, double e2) {
        double[][][] q = new double[n * n][][];
        for (int row = 0; row < n; row++) {
            for (int col = 0; col < n; col++) {
                int layer = (horizontal ? row : col) / width;
                q[row * n + col] = zeroPoisson(layer % 2 == 0 ? e1 : e2);
            }
        }
        return q;
    }

    @Test
    void aLaminateLoadedAlongItsLayersGivesExactlyTheVoigtValue() {
        // Layers along x, zero Poisson ratio: the uniform strain ε11 = 1 is in equilibrium (σ11 varies only
        // across the layers, σ22 = σ12 = 0) and is affine, so it is the exact solution and E11 is the
        // arithmetic mean of the phases — the Voigt value — for any layer width.
        int n = 32;
        PlaneStressHomogenizer fem = new PlaneStressHomogenizer(n, SI, TOL, 2000);
        for (int width : new int[] {1, 4, 16}) {
            Homogenized h = fem.homogenize(stripes(n, true, width, 100, 300));
            assertEquals(200, h.e11(), 1e-6, "width " + width);
        }
    }

    @Test
    void aLaminateLoadedAcrossItsLayersTendsToTheReussValue() {
        // Across the layers the laminate's own solution (uniform σ11, ε11 jumping between layers) is not
        // affine, so the affine boundary rows stiffen a boundary layer about one layer width thick: E11 lies
        // strictly between Reuss (harmonic mean, 150) and Voigt (200), approaching Reuss as the layers thin.
        int n = 32;
        double reuss = 2 / (1 / 100.0 + 1 / 300.0);
        PlaneStressHomogenizer fem = new PlaneStressHomogenizer(n, SI, TOL, 2000);
        double previous = reuss;
        for (int width : new int[] {1, 4, 16}) {
            double e11 = fem.homogenize(stripes(n, false, width, 100, 300)).e11();
            assertTrue(e11 > reuss && e11 < 200, "width " + width + ": " + e11);
            assertTrue(e11 > previous, "thicker layers, stiffer response: " + e11 + " after " + previous);
            previous = e11;
        }
        double thin = fem.homogenize(stripes(n, false, 1, 100, 300)).e11();
        assertEquals(reuss, thin, 0.1 * (200 - reuss), "1-pixel layers are within 10 % of the Reuss-Voigt gap");
    }

    @Test
    void siliconPolycrystalsLieBetweenTheirReussAndVoigtBounds() {
        int n = 32;
        PlaneStressHomogenizer fem = new PlaneStressHomogenizer(n, SI, 1e-8, 2000);
        for (WindowClass c : WindowClass.values()) {
            for (long seed = 1; seed <= 3; seed++) {
                double[] a = polycrystal(c, seed, n);
                Homogenized h = fem.homogenize(a);
                double[] bounds = VoigtReussBounds.e11(a, SI);
                assertTrue(bounds[0] <= h.e11() + 1e-9 && h.e11() <= bounds[1] + 1e-9,
                        c + " seed " + seed + ": " + Arrays.toString(bounds) + " vs " + h.e11());
                double[][] k = h.apparentStiffness();
                for (int i = 0; i < 3; i++) {
                    for (int j = 0; j < i; j++) {
                        assertEquals(k[i][j], k[j][i], 1e-6 * k[0][0], "symmetric (Betti)");
                    }
                }
                // Positive definite: leading principal minors.
                assertTrue(k[0][0] > 0 && k[0][0] * k[1][1] - k[0][1] * k[1][0] > 0);
                assertTrue(1 / Mat3.inverse(k)[0][0] > 0);
                assertTrue(h.iterations() > 1 && h.iterations() < 40, "PCG iterations " + h.iterations());
            }
        }
        // A silicon laminate (0° and 45° stripes) is bounded the same way.
        double[] laminate = new double[n * n];
        for (int e = 0; e < laminate.length; e++) {
            laminate[e] = (e / n / 4) % 2 == 0 ? 0 : 45;
        }
        double[] b = VoigtReussBounds.e11(laminate, SI);
        double e11 = fem.homogenize(laminate).e11();
        assertTrue(b[0] < e11 && e11 < b[1], Arrays.toString(b) + " vs " + e11);
    }

    @Test
    void notConvergingIsAnErrorThatSaysHowFarItGot() {
        PlaneStressHomogenizer fem = new PlaneStressHomogenizer(16, SI, 1e-12, 1);
        FemConvergenceException e = assertThrows(FemConvergenceException.class,
                () -> fem.homogenize(polycrystal(WindowClass.W10, 1, 16)));
        assertTrue(e.getMessage().contains("16×16") && e.getMessage().contains("1 iterations")
                && e.getMessage().contains("tolerance 1.0E-12"), e.getMessage());
    }

    @Test
    void badInputsAreRejectedWithTheParameterNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new PlaneStressHomogenizer(0, SI, 1e-8, 10))
                .getMessage().contains("grid size n"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new PlaneStressHomogenizer(8, SI, 0, 10))
                .getMessage().contains("tolerance"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new PlaneStressHomogenizer(8, SI, 1e-8, 0))
                .getMessage().contains("maxIterations"));
        PlaneStressHomogenizer fem = new PlaneStressHomogenizer(8, SI, 1e-8, 10);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> fem.homogenize(new double[63]))
                .getMessage().contains("expected 64 element angles"));
        double[] nan = uniform(8, 10);
        nan[9] = Double.NaN;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> fem.homogenize(nan))
                .getMessage().contains("row 1, column 1"));
    }

    @Test
    void aOneElementGridIsAllBoundary() {
        Homogenized h = new PlaneStressHomogenizer(1, SI, 1e-8, 10).homogenize(new double[] {30});
        assertEquals(SI.youngsModulus11(30), h.e11(), 1e-9);
        assertEquals(0, h.iterations());
    }
}
