package org.polyvae.fem;

import java.util.HashMap;
import java.util.Map;

/**
 * Apparent plane-stress stiffness of a pixel image of grains under uniform-strain (affine displacement)
 * boundary conditions, as the original dataset's "E1_Uniform_Strain_BCs" labels: one bilinear square
 * element per pixel, every boundary node displaced by u = E·x for a macro strain E, interior nodes free.
 * Three load cases (unit ε11, ε22, γ12) give the columns of the apparent stiffness as volume-averaged
 * stresses; E11 = 1/S11 of its inverse. Affine boundary conditions are the kinematic (upper) bound of the
 * window's response, so E11 always lies between the Reuss and Voigt values ({@link VoigtReussBounds}).
 *
 * <p>Solver: conjugate gradients on the interior dofs, matrix-free (element matrices are built once per
 * distinct grain orientation), the three load cases in lockstep so every sweep over the mesh and the
 * preconditioner serves all three. Preconditioner: the exact inverse of a homogeneous reference medium
 * (the orientation average of the crystal), a band Cholesky factor computed once per instance. Silicon's
 * in-plane anisotropy is mild (E from 130 to 169 GPa), so the preconditioned operator's condition number is
 * bounded by the grains' stiffness contrast to the reference, independent of the mesh, and CG needs ~10
 * iterations for 1e-8 at any resolution.
 *
 * <p>Not thread-safe (it reuses work arrays): use one instance per thread, e.g. per Spark partition.
 */
public final class PlaneStressHomogenizer {
    private static final int CASES = 3;

    private final int n;
    private final CubicCrystal crystal;
    private final double tolerance;
    private final int maxIterations;
    private final int nodes;
    private final int[] compactOf;
    private final int[] fullOf;
    private final int halfBand;
    private BandedCholesky reference;

    private final int[] elementMaterial;
    private final double[] x;
    private final double[] r;
    private final double[] z;
    private final double[] p;
    private final double[] q;
    private final double[] prescribed;
    private final double[] compact;

    public PlaneStressHomogenizer(int n, CubicCrystal crystal, double tolerance, int maxIterations) {
        if (n < 1) {
            throw new IllegalArgumentException("FE grid size n must be ≥ 1, got " + n);
        }
        if (crystal == null) {
            throw new IllegalArgumentException("crystal must not be null");
        }
        if (!(tolerance > 0) || !(tolerance < 1)) {
            throw new IllegalArgumentException("PCG tolerance must be in (0, 1), got " + tolerance);
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("PCG maxIterations must be ≥ 1, got " + maxIterations);
        }
        this.n = n;
        this.crystal = crystal;
        this.tolerance = tolerance;
        this.maxIterations = maxIterations;
        this.nodes = (n + 1) * (n + 1);
        int dofs = 2 * nodes;
        this.compactOf = new int[dofs];
        int interior = 2 * (n - 1) * (n - 1);
        this.fullOf = new int[interior];
        int c = 0;
        for (int iy = 0; iy <= n; iy++) {
            for (int ix = 0; ix <= n; ix++) {
                boolean boundary = ix == 0 || iy == 0 || ix == n || iy == n;
                for (int d = 0; d < 2; d++) {
                    int dof = 2 * (iy * (n + 1) + ix) + d;
                    compactOf[dof] = boundary ? -1 : c;
                    if (!boundary) {
                        fullOf[c++] = dof;
                    }
                }
            }
        }
        // Interior nodes are numbered row by row, so neighbours are at most n nodes (2n + 1 dofs) apart.
        this.halfBand = Math.max(1, 2 * n + 1);
        this.elementMaterial = new int[n * n];
        this.x = new double[dofs * CASES];
        this.r = new double[dofs * CASES];
        this.z = new double[dofs * CASES];
        this.p = new double[dofs * CASES];
        this.q = new double[dofs * CASES];
        this.prescribed = new double[dofs * CASES];
        this.compact = new double[interior * CASES];
    }

    /**
     * @param angleDeg n·n lattice angles in degrees, row-major, row 0 = top of the image
     * @throws FemConvergenceException if a load case does not converge within maxIterations
     */
    public Homogenized homogenize(double[] angleDeg) {
        if (angleDeg == null || angleDeg.length != n * n) {
            throw new IllegalArgumentException("expected " + n * n + " element angles (" + n + "×" + n
                    + ", row-major), got " + (angleDeg == null ? "null" : angleDeg.length));
        }
        Map<Double, Integer> distinct = new HashMap<>();
        double[][][] materials = new double[Math.min(n * n, 1024)][][];
        for (int e = 0; e < angleDeg.length; e++) {
            double a = angleDeg[e];
            if (!Double.isFinite(a)) {
                throw new IllegalArgumentException("element angle " + e + " (row " + e / n + ", column " + e % n
                        + ") is " + a + ": expected a finite angle in degrees");
            }
            Integer m = distinct.get(a);
            if (m == null) {
                m = distinct.size();
                distinct.put(a, m);
                if (m == materials.length) {
                    materials = java.util.Arrays.copyOf(materials, 2 * m);
                }
                materials[m] = crystal.planeStressStiffness(a);
            }
            elementMaterial[e] = m;
        }
        if (reference == null) {
            reference = factorReference(orientationAverage(crystal));
        }
        return solve(java.util.Arrays.copyOf(materials, distinct.size()), reference);
    }

    /**
     * General materials (tests, other crystals): element e has stiffness {@code elementQ[e]} (3×3 Voigt,
     * engineering shear), preconditioned by a reference medium equal to their mean.
     */
    Homogenized homogenize(double[][][] elementQ) {
        if (elementQ == null || elementQ.length != n * n) {
            throw new IllegalArgumentException("expected " + n * n + " element stiffness matrices");
        }
        double[][] mean = new double[3][3];
        for (int e = 0; e < elementQ.length; e++) {
            elementMaterial[e] = e;
            Mat3.addScaled(mean, elementQ[e], 1.0 / elementQ.length);
        }
        return solve(elementQ, factorReference(mean));
    }

    /** The crystal's stiffness averaged over in-plane orientations (exact for a 4-fold average at 1° steps). */
    static double[][] orientationAverage(CubicCrystal crystal) {
        double[][] mean = new double[3][3];
        for (int deg = 0; deg < 90; deg++) {
            Mat3.addScaled(mean, crystal.planeStressStiffness(deg), 1 / 90.0);
        }
        return mean;
    }

    private BandedCholesky factorReference(double[][] qRef) {
        int interior = fullOf.length;
        if (interior == 0) {
            return null;
        }
        double[] ke = new double[64];
        QuadElement.stiffness(qRef, ke, 0);
        int w = halfBand + 1;
        double[] band = new double[interior * w];
        int[] dof = new int[8];
        for (int ey = 0; ey < n; ey++) {
            for (int ex = 0; ex < n; ex++) {
                elementDofs(ex, ey, dof);
                for (int i = 0; i < 8; i++) {
                    int ci = compactOf[dof[i]];
                    if (ci < 0) {
                        continue;
                    }
                    for (int j = 0; j < 8; j++) {
                        int cj = compactOf[dof[j]];
                        if (cj >= 0 && cj <= ci) {
                            band[ci * w + (cj - ci + halfBand)] += ke[i * 8 + j];
                        }
                    }
                }
            }
        }
        return new BandedCholesky(interior, halfBand, band);
    }

    private void elementDofs(int ex, int ey, int[] dof) {
        for (int a = 0; a < 4; a++) {
            int node = (ey + QuadElement.NODES[a][1]) * (n + 1) + ex + QuadElement.NODES[a][0];
            dof[2 * a] = 2 * node;
            dof[2 * a + 1] = 2 * node + 1;
        }
    }

    private Homogenized solve(double[][][] materials, BandedCholesky ref) {
        double[] ke = new double[materials.length * 64];
        for (int m = 0; m < materials.length; m++) {
            QuadElement.stiffness(materials[m], ke, m * 64);
        }
        // Prescribed affine displacements on the boundary for the three unit macro strains.
        java.util.Arrays.fill(prescribed, 0);
        for (int iy = 0; iy <= n; iy++) {
            for (int ix = 0; ix <= n; ix++) {
                int dof = 2 * (iy * (n + 1) + ix);
                if (compactOf[dof] >= 0) {
                    continue;
                }
                prescribed[dof * CASES] = ix;                 // ε11 = 1: u_x = x
                prescribed[(dof + 1) * CASES + 1] = iy;       // ε22 = 1: u_y = y
                prescribed[dof * CASES + 2] = 0.5 * iy;       // γ12 = 1: u_x = y/2, u_y = x/2
                prescribed[(dof + 1) * CASES + 2] = 0.5 * ix;
            }
        }
        java.util.Arrays.fill(x, 0);
        int iterations = fullOf.length == 0 ? 0 : pcg(ke, ref);
        for (int i = 0; i < x.length; i++) {
            x[i] += prescribed[i];
        }
        double[][] c = averageStress(materials);
        double e11 = 1 / Mat3.inverse(c)[0][0];
        return new Homogenized(c, e11, iterations);
    }

    /** Lockstep PCG for the three load cases; returns the largest iteration count. */
    private int pcg(double[] ke, BandedCholesky ref) {
        // b = -K u_prescribed on the interior dofs: r starts as b since x0 = 0.
        multiply(ke, prescribed, r);
        for (int i = 0; i < r.length; i++) {
            r[i] = -r[i];
        }
        double[] bNorm = norms(r);
        double[] rz = new double[CASES];
        double[] pq = new double[CASES];
        precondition(ref, r, z);
        System.arraycopy(z, 0, p, 0, z.length);
        dots(r, z, rz);
        boolean[] active = new boolean[CASES];
        int[] iters = new int[CASES];
        double[] rNorm = norms(r);
        int activeCount = 0;
        for (int k = 0; k < CASES; k++) {
            active[k] = rNorm[k] > tolerance * bNorm[k];
            activeCount += active[k] ? 1 : 0;
        }
        int it = 0;
        while (activeCount > 0) {
            if (it == maxIterations) {
                StringBuilder sb = new StringBuilder();
                for (int k = 0; k < CASES; k++) {
                    sb.append(k == 0 ? "" : ", ").append(String.format(java.util.Locale.ROOT, "%.2e",
                            rNorm[k] / bNorm[k]));
                }
                throw new FemConvergenceException("PCG on the " + n + "×" + n + " grid did not converge in "
                        + maxIterations + " iterations: relative residuals of the 3 load cases " + sb
                        + ", tolerance " + tolerance + " (raise polyvae.synth.fem.max-iterations or the tolerance)");
            }
            it++;
            multiply(ke, p, q);
            dots(p, q, pq);
            double[] alpha = new double[CASES];
            for (int k = 0; k < CASES; k++) {
                alpha[k] = active[k] ? rz[k] / pq[k] : 0;
            }
            for (int i = 0; i < x.length; i += CASES) {
                for (int k = 0; k < CASES; k++) {
                    x[i + k] += alpha[k] * p[i + k];
                    r[i + k] -= alpha[k] * q[i + k];
                }
            }
            rNorm = norms(r);
            activeCount = 0;
            for (int k = 0; k < CASES; k++) {
                if (active[k]) {
                    iters[k] = it;
                    active[k] = rNorm[k] > tolerance * bNorm[k];
                }
                activeCount += active[k] ? 1 : 0;
            }
            if (activeCount == 0) {
                break;
            }
            precondition(ref, r, z);
            double[] rzNew = new double[CASES];
            dots(r, z, rzNew);
            for (int i = 0; i < p.length; i += CASES) {
                for (int k = 0; k < CASES; k++) {
                    if (active[k]) {
                        p[i + k] = z[i + k] + rzNew[k] / rz[k] * p[i + k];
                    }
                }
            }
            System.arraycopy(rzNew, 0, rz, 0, CASES);
        }
        return Math.max(iters[0], Math.max(iters[1], iters[2]));
    }

    /** out = K v on the interior dofs (boundary entries of out are zero). */
    private void multiply(double[] ke, double[] v, double[] out) {
        java.util.Arrays.fill(out, 0);
        int[] dof = new int[8];
        double[] local = new double[8 * CASES];
        for (int ey = 0; ey < n; ey++) {
            for (int ex = 0; ex < n; ex++) {
                elementDofs(ex, ey, dof);
                int base = elementMaterial[(n - 1 - ey) * n + ex] * 64;
                for (int j = 0; j < 8; j++) {
                    int o = dof[j] * CASES;
                    local[j * CASES] = v[o];
                    local[j * CASES + 1] = v[o + 1];
                    local[j * CASES + 2] = v[o + 2];
                }
                for (int i = 0; i < 8; i++) {
                    double s0 = 0, s1 = 0, s2 = 0;
                    int row = base + i * 8;
                    for (int j = 0; j < 8; j++) {
                        double k = ke[row + j];
                        s0 += k * local[j * CASES];
                        s1 += k * local[j * CASES + 1];
                        s2 += k * local[j * CASES + 2];
                    }
                    int o = dof[i] * CASES;
                    out[o] += s0;
                    out[o + 1] += s1;
                    out[o + 2] += s2;
                }
            }
        }
        for (int dofIndex = 0; dofIndex < compactOf.length; dofIndex++) {
            if (compactOf[dofIndex] < 0) {
                int o = dofIndex * CASES;
                out[o] = 0;
                out[o + 1] = 0;
                out[o + 2] = 0;
            }
        }
    }

    private void precondition(BandedCholesky ref, double[] in, double[] out) {
        for (int c = 0; c < fullOf.length; c++) {
            System.arraycopy(in, fullOf[c] * CASES, compact, c * CASES, CASES);
        }
        ref.solveInPlace(compact, CASES);
        java.util.Arrays.fill(out, 0);
        for (int c = 0; c < fullOf.length; c++) {
            System.arraycopy(compact, c * CASES, out, fullOf[c] * CASES, CASES);
        }
    }

    private static void dots(double[] a, double[] b, double[] out) {
        double s0 = 0, s1 = 0, s2 = 0;
        for (int i = 0; i < a.length; i += CASES) {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
        }
        out[0] = s0;
        out[1] = s1;
        out[2] = s2;
    }

    private static double[] norms(double[] a) {
        double[] s = new double[CASES];
        dots(a, a, s);
        for (int k = 0; k < CASES; k++) {
            s[k] = Math.sqrt(s[k]);
        }
        return s;
    }

    /** Column j: the mean stress of load case j (each element's stress is linear, so its centre value is its mean). */
    private double[][] averageStress(double[][][] materials) {
        double[][] c = new double[3][3];
        int[] dof = new int[8];
        double[] b = QuadElement.B_CENTRE;
        for (int ey = 0; ey < n; ey++) {
            for (int ex = 0; ex < n; ex++) {
                elementDofs(ex, ey, dof);
                double[][] qe = materials[elementMaterial[(n - 1 - ey) * n + ex]];
                for (int k = 0; k < CASES; k++) {
                    double[] strain = new double[3];
                    for (int m = 0; m < 3; m++) {
                        for (int j = 0; j < 8; j++) {
                            strain[m] += b[m * 8 + j] * x[dof[j] * CASES + k];
                        }
                    }
                    for (int m = 0; m < 3; m++) {
                        c[m][k] += qe[m][0] * strain[0] + qe[m][1] * strain[1] + qe[m][2] * strain[2];
                    }
                }
            }
        }
        for (double[] row : c) {
            for (int k = 0; k < 3; k++) {
                row[k] /= (double) n * n;
            }
        }
        return c;
    }
}
