package org.polyvae.fem;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Apparent stiffness of an n x n pixel image under affine ("uniform strain") boundary displacements:
 * 2-D plane-stress linear elasticity, one bilinear Q4 element (2x2 Gauss) per pixel, every boundary node
 * displaced by u = E x for the three unit macro strains E (eps_xx, eps_yy, gamma_xy), interior nodes free.
 * Coordinates: x to the right along image columns, y up (row 0 is the top of the image).
 *
 * <p>The interior system K_II u_I = -K_IB u_B is solved by preconditioned conjugate gradients (geometric
 * multigrid V-cycle, see {@link Multigrid}) starting from the affine field itself, which is exact for a
 * homogeneous image. Converged means ||r|| <= tolerance * ||b|| with b = -K_IB u_B. The apparent stiffness
 * is the energy form C_kl = u_k^T K u_l / area, which is symmetric and only second-order sensitive to the
 * solver error.
 *
 * <p>Thread-safety: an instance reuses its work buffers and is NOT thread-safe; use one per thread.
 * Instances are cheap to create and share nothing mutable.
 */
public final class PlaneStressHomogenizer {
    private static final String[] LOAD_NAMES = {"eps_xx", "eps_yy", "gamma_xy"};

    private final int n;
    private final CubicCrystal crystal;
    private final double tolerance;
    private final int maxIterations;
    private final GridOperator fine;
    private final Multigrid multigrid;
    private final double[][] u = new double[3][];
    private final double[] r;
    private final double[] z;
    private final double[] p;
    private final double[] q;
    private double[][] lastElementK;

    public PlaneStressHomogenizer(int n, CubicCrystal crystal, double tolerance, int maxIterations) {
        if (n < 1) {
            throw new IllegalArgumentException("n (image side in pixels) must be >= 1, got " + n);
        }
        if (crystal == null) {
            throw new IllegalArgumentException("crystal must not be null");
        }
        if (!(tolerance > 0) || !Double.isFinite(tolerance)) {
            throw new IllegalArgumentException("tolerance (relative PCG residual) must be finite and > 0, got "
                    + tolerance);
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations must be >= 1, got " + maxIterations);
        }
        this.n = n;
        this.crystal = crystal;
        this.tolerance = tolerance;
        this.maxIterations = maxIterations;
        this.fine = new GridOperator(n);
        this.multigrid = new Multigrid(fine);
        int size = fine.size();
        for (int k = 0; k < 3; k++) {
            u[k] = new double[size];
        }
        r = new double[size];
        z = new double[size];
        p = new double[size];
        q = new double[size];
    }

    public int n() {
        return n;
    }

    /**
     * Homogenises an image of crystal orientations.
     *
     * @param angleDeg n*n lattice angles in degrees (counter-clockwise), row-major, row 0 = top of image
     */
    public Homogenized homogenize(double[] angleDeg) {
        if (angleDeg == null || angleDeg.length != n * n) {
            throw new IllegalArgumentException("angleDeg must hold n*n = " + (n * n)
                    + " angles (row-major, row 0 = top), got " + (angleDeg == null ? "null" : angleDeg.length));
        }
        // Grain images repeat few angles: one element matrix per distinct angle.
        Map<Double, double[]> byAngle = new HashMap<>();
        double[][] elementK = new double[n * n][];
        for (int e = 0; e < elementK.length; e++) {
            double theta = angleDeg[e];
            if (!Double.isFinite(theta)) {
                throw new IllegalArgumentException("angleDeg[" + e + "] = " + theta
                        + "; expected a finite angle in degrees");
            }
            elementK[e] = byAngle.computeIfAbsent(theta,
                    t -> Q4Element.stiffness(crystal.planeStressStiffness(t)));
        }
        return solve(elementK, crystal.isotropicAverage());
    }

    /**
     * General-material path (fictitious phases in tests, other materials): one 3x3 symmetric positive
     * definite Voigt stiffness per element, row-major, row 0 = top. The instance's crystal is not used.
     */
    public Homogenized homogenizeStiffness(double[][][] elementQ) {
        if (elementQ == null || elementQ.length != n * n) {
            throw new IllegalArgumentException("elementQ must hold n*n = " + (n * n)
                    + " stiffness matrices, got " + (elementQ == null ? "null" : elementQ.length));
        }
        double[][] elementK = new double[n * n][];
        for (int e = 0; e < elementK.length; e++) {
            double[][] qe = elementQ[e];
            if (qe == null || qe.length != 3 || !Arrays.stream(qe).allMatch(row -> row != null && row.length == 3)
                    || !Voigt3.isSymmetricPositiveDefinite(qe)) {
                throw new IllegalArgumentException("elementQ[" + e + "] must be a 3x3 symmetric positive definite "
                        + "matrix, got " + Arrays.deepToString(qe));
            }
            elementK[e] = Q4Element.stiffness(qe);
        }
        return solve(elementK, VoigtReussBounds.voigtStiffness(elementQ));
    }

    private Homogenized solve(double[][] elementK, double[][] referenceQ) {
        lastElementK = elementK;
        fine.assemble(elementK);
        multigrid.rebuild(elementK, referenceQ);
        int iterations = 0;
        for (int k = 0; k < 3; k++) {
            iterations = Math.max(iterations, solveLoadCase(k));
        }
        double[][] c = apparentStiffness(elementK);
        double e11 = 1.0 / Voigt3.inverse(c)[0][0];
        return new Homogenized(c, e11, iterations);
    }

    /** Solves load case k into u[k] (all nodes) and returns the PCG iteration count. */
    private int solveLoadCase(int k) {
        double[] uk = u[k];
        double exx = k == 0 ? 1 : 0;
        double eyy = k == 1 ? 1 : 0;
        double exy = k == 2 ? 0.5 : 0; // tensor shear = gamma / 2
        int s = fine.stride;
        // b = -K_IB u_B: the affine field with its interior zeroed.
        Arrays.fill(uk, 0);
        for (int i = 0; i <= n; i++) {
            for (int j = 0; j <= n; j++) {
                if (i == 0 || j == 0 || i == n || j == n) {
                    double x = j;
                    double y = n - i;
                    uk[2 * (i * s + j)] = exx * x + exy * y;
                    uk[2 * (i * s + j) + 1] = exy * x + eyy * y;
                }
            }
        }
        Arrays.fill(q, 0);
        fine.apply(uk, q);
        double bNorm = Math.sqrt(dot(q, q));
        // Start from the affine field everywhere: r0 = b - K_II u_I0 = -(K u_affine)_I.
        for (int i = 1; i < n; i++) {
            for (int j = 1; j < n; j++) {
                uk[2 * (i * s + j)] = exx * j + exy * (n - i);
                uk[2 * (i * s + j) + 1] = exy * j + eyy * (n - i);
            }
        }
        Arrays.fill(r, 0);
        fine.apply(uk, r);
        for (int i = 0; i < r.length; i++) {
            r[i] = -r[i];
        }
        return pcg(uk, bNorm, LOAD_NAMES[k]);
    }

    /** Standard PCG on interior dofs, updating x in place; r holds the initial residual. */
    private int pcg(double[] x, double bNorm, String loadName) {
        double limit = tolerance * bNorm;
        double rNorm = Math.sqrt(dot(r, r));
        if (rNorm <= limit) {
            return 0;
        }
        multigrid.apply(r, z);
        System.arraycopy(z, 0, p, 0, p.length);
        double rz = dot(r, z);
        for (int it = 1; it <= maxIterations; it++) {
            fine.apply(p, q);
            double alpha = rz / dot(p, q);
            for (int i = 0; i < x.length; i++) {
                x[i] += alpha * p[i];
                r[i] -= alpha * q[i];
            }
            rNorm = Math.sqrt(dot(r, r));
            if (rNorm <= limit) {
                return it;
            }
            if (it == maxIterations) {
                break;
            }
            multigrid.apply(r, z);
            double rzNew = dot(r, z);
            double beta = rzNew / rz;
            rz = rzNew;
            for (int i = 0; i < p.length; i++) {
                p[i] = z[i] + beta * p[i];
            }
        }
        throw new FemConvergenceException(n, loadName, maxIterations, rNorm / bNorm, tolerance);
    }

    /** C_kl = u_k^T K u_l / n^2, summed element by element (boundary rows included). */
    private double[][] apparentStiffness(double[][] elementK) {
        double[][] c = new double[3][3];
        double[][] ue = new double[3][8];
        double[][] ku = new double[3][8];
        int s = fine.stride;
        for (int row = 0; row < n; row++) {
            for (int col = 0; col < n; col++) {
                double[] ke = elementK[row * n + col];
                for (int a = 0; a < 4; a++) {
                    int node = 2 * ((row + GridOperator.NODE_DI[a]) * s + col + GridOperator.NODE_DJ[a]);
                    for (int k = 0; k < 3; k++) {
                        ue[k][2 * a] = u[k][node];
                        ue[k][2 * a + 1] = u[k][node + 1];
                    }
                }
                for (int k = 0; k < 3; k++) {
                    for (int i = 0; i < 8; i++) {
                        double sum = 0;
                        for (int j = 0; j < 8; j++) {
                            sum += ke[8 * i + j] * ue[k][j];
                        }
                        ku[k][i] = sum;
                    }
                }
                for (int k = 0; k < 3; k++) {
                    for (int l = 0; l < 3; l++) {
                        double sum = 0;
                        for (int i = 0; i < 8; i++) {
                            sum += ue[k][i] * ku[l][i];
                        }
                        c[k][l] += sum;
                    }
                }
            }
        }
        double area = (double) n * n;
        for (int k = 0; k < 3; k++) {
            for (int l = 0; l <= k; l++) {
                double v = 0.5 * (c[k][l] + c[l][k]) / area;
                c[k][l] = v;
                c[l][k] = v;
            }
        }
        return c;
    }

    /**
     * Volume-averaged stress of the last solve, column l = load case l: a_k^T K u_l / area with a_k the
     * affine field of unit strain k (Hill's lemma). Unlike the energy form it is not symmetric by
     * construction, so tests use it to check reciprocity and convergence.
     */
    double[][] lastAverageStress() {
        double[][] sigma = new double[3][3];
        int s = fine.stride;
        double[][] ae = new double[3][8];
        for (int row = 0; row < n; row++) {
            for (int col = 0; col < n; col++) {
                double[] ke = lastElementK[row * n + col];
                for (int a = 0; a < 4; a++) {
                    double x = col + GridOperator.NODE_DJ[a];
                    double y = n - row - GridOperator.NODE_DI[a];
                    ae[0][2 * a] = x;
                    ae[1][2 * a + 1] = y;
                    ae[2][2 * a] = 0.5 * y;
                    ae[2][2 * a + 1] = 0.5 * x;
                }
                for (int l = 0; l < 3; l++) {
                    for (int i = 0; i < 8; i++) {
                        double ku = 0;
                        for (int a = 0; a < 4; a++) {
                            int node = 2 * ((row + GridOperator.NODE_DI[a]) * s + col + GridOperator.NODE_DJ[a]);
                            ku += ke[8 * i + 2 * a] * u[l][node] + ke[8 * i + 2 * a + 1] * u[l][node + 1];
                        }
                        for (int k = 0; k < 3; k++) {
                            sigma[k][l] += ae[k][i] * ku;
                        }
                    }
                }
            }
        }
        for (double[] rowS : sigma) {
            for (int l = 0; l < 3; l++) {
                rowS[l] /= (double) n * n;
            }
        }
        return sigma;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
