package org.polyvae.fem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PlaneStressHomogenizerTest {
    private static final CubicCrystal SI = CubicCrystal.SILICON;

    private static PlaneStressHomogenizer homogenizer(int n) {
        return new PlaneStressHomogenizer(n, SI, 1e-8, 2000);
    }

    private static void assertMatrixEquals(double[][] expected, double[][] actual, double tol, String what) {
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(expected[i][j], actual[i][j], tol, what + " [" + i + "][" + j + "]");
            }
        }
    }

    @Test
    void singleCrystalReproducesTheAnalyticModulusAndStiffness() {
        // The affine field is the exact FE solution of a homogeneous image, for any n.
        for (int n : new int[] {1, 7, 16}) {
            PlaneStressHomogenizer h = homogenizer(n);
            for (double t : new double[] {0, 45, 22.5, 90, 137}) {
                Homogenized r = h.homogenize(FemTestSupport.uniform(n, t));
                double exact = SI.youngsModulus11(t);
                assertEquals(exact, r.e11(), 1e-6 * exact, "n=" + n + " theta=" + t);
                assertMatrixEquals(SI.planeStressStiffness(t), r.apparentStiffness(), 1e-9, "C_app vs Q");
                assertEquals(0, r.iterations(), "affine start is already the solution");
            }
        }
        PlaneStressHomogenizer h = homogenizer(16);
        assertEquals(130.1, h.homogenize(FemTestSupport.uniform(16, 0)).e11(), 0.05);
        assertEquals(169.1, h.homogenize(FemTestSupport.uniform(16, 45)).e11(), 0.05);
    }

    @Test
    void addingNinetyDegreesEverywhereChangesNothing() {
        int n = 32;
        double[] img = FemTestSupport.voronoi(n, 12, 7);
        double[] shifted = img.clone();
        for (int i = 0; i < shifted.length; i++) {
            shifted[i] += 90;
        }
        PlaneStressHomogenizer h = homogenizer(n);
        Homogenized a = h.homogenize(img);
        Homogenized b = h.homogenize(shifted);
        assertEquals(a.e11(), b.e11(), 1e-9 * a.e11());
        assertMatrixEquals(a.apparentStiffness(), b.apparentStiffness(), 1e-7, "theta vs theta+90");
    }

    @Test
    void rotatingTheImageSwapsTheAxes() {
        // Rotating by 90 degrees maps (xx, yy, xy) to (yy, xx, -xy): C'11 = C22, C'16 = -C26, ...
        // Cubic grains always give C11 = C22 (see hydrostaticStrainIsExact), so this uses orthotropic
        // fictitious grains, for which the swap is a real check of the geometry and orientation handling.
        int n = 24;
        double[] angles = FemTestSupport.voronoi(n, 10, 3);
        double[] rotated = FemTestSupport.rotate90(angles, n, 90);
        double[][] ortho = {{200, 50, 0}, {50, 100, 0}, {0, 0, 60}};
        double[][][] q = new double[n * n][][];
        double[][][] qRot = new double[n * n][][];
        for (int e = 0; e < n * n; e++) {
            q[e] = CubicCrystal.rotate(ortho, angles[e]);
            qRot[e] = CubicCrystal.rotate(ortho, rotated[e]);
        }
        PlaneStressHomogenizer h = homogenizer(n);
        double[][] c = h.homogenizeStiffness(q).apparentStiffness();
        double[][] rot = h.homogenizeStiffness(qRot).apparentStiffness();
        double tol = 1e-7;
        assertEquals(c[1][1], rot[0][0], tol);
        assertEquals(c[0][0], rot[1][1], tol);
        assertEquals(c[0][1], rot[0][1], tol);
        assertEquals(c[2][2], rot[2][2], tol);
        assertEquals(-c[1][2], rot[0][2], tol);
        assertEquals(-c[0][2], rot[1][2], tol);
        assertTrue(Math.abs(c[0][0] - c[1][1]) > 1, "test image must be anisotropic to be meaningful");
        assertTrue(Math.abs(c[0][2] + c[1][2]) > 0.1, "shear coupling must not be trivially antisymmetric");
    }

    @Test
    void hydrostaticStrainIsExactForCubicGrains() {
        // Every rotated cubic Q maps (1, 1, 0) to (Q11 + Q12)(1, 1, 0): all grains share the same area bulk
        // modulus, so uniform hydrostatic strain gives uniform stress, an exact equilibrium (Hill). Hence
        // C_app (1, 1, 0) = (Q11 + Q12)(1, 1, 0) for any silicon image, whatever its texture.
        int n = 32;
        double[][] q0 = SI.planeStressStiffness(0);
        double k = q0[0][0] + q0[0][1];
        double[][] c = homogenizer(n).homogenize(FemTestSupport.randomPixels(n, 5)).apparentStiffness();
        for (int i = 0; i < 3; i++) {
            assertEquals(i < 2 ? k : 0, c[i][0] + c[i][1], 1e-6, "row " + i);
        }
    }

    @Test
    void polycrystalsLieBetweenReussAndVoigtWithSpdReciprocalStiffness() {
        int n = 32;
        double[][] images = {
            FemTestSupport.voronoi(n, 8, 1), FemTestSupport.voronoi(n, 40, 2), FemTestSupport.randomPixels(n, 3)};
        PlaneStressHomogenizer h = homogenizer(n);
        for (double[] img : images) {
            Homogenized r = h.homogenize(img);
            double[] bounds = VoigtReussBounds.e11(img, SI);
            assertTrue(bounds[0] <= r.e11() && r.e11() <= bounds[1],
                    "Reuss " + bounds[0] + " <= E11 " + r.e11() + " <= Voigt " + bounds[1]);
            assertTrue(bounds[1] - bounds[0] > 0.5, "bounds must be distinct for the test to bite");
            assertTrue(Voigt3.isSymmetricPositiveDefinite(r.apparentStiffness()));
            // The volume-averaged stress is not symmetric by construction; reciprocity and convergence make it so.
            double[][] sigma = h.lastAverageStress();
            assertMatrixEquals(r.apparentStiffness(), sigma, 1e-6, "average stress vs energy");
            assertTrue(r.iterations() > 0 && r.iterations() <= 12, "multigrid PCG iterations: " + r.iterations());
        }
    }

    @Test
    void bothCoarseSolvesConvergeFastToTheReciprocalSolution() {
        // 24 coarsens to 12 and 6 (exact coarse solve); 35 is odd, so one level with the reference medium.
        // A wrong coarse solve shows as many more iterations, or as a non-reciprocal average stress.
        for (int n : new int[] {24, 35}) {
            PlaneStressHomogenizer h = new PlaneStressHomogenizer(n, SI, 1e-10, 5000);
            Homogenized r = h.homogenize(FemTestSupport.voronoi(n, 15, n));
            assertMatrixEquals(r.apparentStiffness(), h.lastAverageStress(), 1e-6, "average stress vs energy n=" + n);
            assertTrue(r.iterations() <= 15, "multigrid PCG iterations at n=" + n + ": " + r.iterations());
        }
    }

    @Test
    void convergenceFailureIsReportedWithTheNumbers() {
        int n = 32;
        PlaneStressHomogenizer h = new PlaneStressHomogenizer(n, SI, 1e-8, 1);
        FemConvergenceException e = assertThrows(FemConvergenceException.class,
                () -> h.homogenize(FemTestSupport.randomPixels(n, 11)));
        assertEquals(n, e.n());
        assertEquals(1, e.iterations());
        assertTrue(e.relativeResidual() > 1e-8);
        String msg = e.getMessage();
        assertTrue(msg.contains("32x32") && msg.contains("after 1 iterations") && msg.contains("1.000e-08")
                && msg.contains(String.format("%.3e", e.relativeResidual())), msg);
    }

    @Test
    void badInputsAreRejectedWithClearMessages() {
        assertMessage("n (image side in pixels) must be >= 1, got 0", () -> homogenizer(0));
        assertMessage("tolerance", () -> new PlaneStressHomogenizer(8, SI, 0, 10));
        assertMessage("tolerance", () -> new PlaneStressHomogenizer(8, SI, Double.NaN, 10));
        assertMessage("maxIterations must be >= 1, got 0", () -> new PlaneStressHomogenizer(8, SI, 1e-8, 0));
        assertMessage("crystal", () -> new PlaneStressHomogenizer(8, null, 1e-8, 10));
        PlaneStressHomogenizer h = homogenizer(4);
        assertMessage("angleDeg must hold n*n = 16 angles", () -> h.homogenize(new double[15]));
        assertMessage("angleDeg must hold n*n = 16 angles", () -> h.homogenize(null));
        double[] nan = new double[16];
        nan[5] = Double.NaN;
        assertMessage("angleDeg[5] = NaN", () -> h.homogenize(nan));
        nan[5] = Double.POSITIVE_INFINITY;
        assertMessage("angleDeg[5] = Infinity", () -> h.homogenize(nan));
        double[][][] q = new double[16][][];
        java.util.Arrays.fill(q, SI.planeStressStiffness(0));
        q[3] = new double[][] {{1, 2, 0}, {2, 1, 0}, {0, 0, 1}};
        assertMessage("elementQ[3] must be a 3x3 symmetric positive definite", () -> h.homogenizeStiffness(q));
        assertMessage("elementQ must hold n*n = 16", () -> h.homogenizeStiffness(new double[3][][]));
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), "message '" + e.getMessage() + "' lacks '" + expected + "'");
    }
}
