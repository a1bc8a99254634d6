package org.polyvae.fem;

/**
 * Geometric multigrid V-cycle used as the PCG preconditioner. Coarse operators are exact Galerkin products
 * P^T K P with bilinear P, formed element by element (a coarse element's matrix comes from its four
 * children), so every level is again a 9-point stencil. Smoother: one forward nodal-block Gauss-Seidel
 * sweep before and one backward sweep after the coarse correction, which keeps the preconditioner
 * symmetric, as CG requires. Coarsening halves m while it is even and at least 8; the coarsest grid is
 * factored exactly when small, otherwise (large odd m) a cached homogeneous reference medium stands in
 * for the exact coarse solve. Not thread-safe: one instance per homogenizer.
 */
final class Multigrid {
    private static final int MAX_EXACT_COARSE = 32;

    private final GridOperator[] ops;
    private final double[][][] elementK;
    /** Preallocated coarse element matrices; elementK entries point here or alias a child's matrix. */
    private final double[][][] ownK;
    private final double[][] rhs;
    private final double[][] sol;
    private final double[][] res;
    private final double[] bandWork;
    private BandCholesky coarseFactor;
    private boolean coarseExact;

    Multigrid(GridOperator fine) {
        int levels = 1;
        for (int m = fine.m; m % 2 == 0 && m >= 8; m /= 2) {
            levels++;
        }
        ops = new GridOperator[levels];
        elementK = new double[levels][][];
        ownK = new double[levels][][];
        rhs = new double[levels][];
        sol = new double[levels][];
        res = new double[levels][];
        ops[0] = fine;
        for (int l = 0; l < levels; l++) {
            if (l > 0) {
                ops[l] = new GridOperator(ops[l - 1].m / 2);
                int cells = ops[l].m * ops[l].m;
                elementK[l] = new double[cells][];
                ownK[l] = new double[cells][64];
            }
            rhs[l] = new double[ops[l].size()];
            sol[l] = new double[ops[l].size()];
            res[l] = new double[ops[l].size()];
        }
        int mc = ops[levels - 1].m;
        bandWork = new double[Math.max(1, 2 * (mc - 1) * (mc - 1))];
    }

    int levels() {
        return ops.length;
    }

    /** Rebuilds the coarse levels for a fine operator already assembled from fineElementK. */
    void rebuild(double[][] fineElementK, double[][] referenceQ) {
        elementK[0] = fineElementK;
        for (int l = 1; l < ops.length; l++) {
            int mc = ops[l].m;
            int mf = ops[l - 1].m;
            double[][] fk = elementK[l - 1];
            for (int r = 0; r < mc; r++) {
                for (int c = 0; c < mc; c++) {
                    int f = 2 * r * mf + 2 * c;
                    int e = r * mc + c;
                    if (fk[f] == fk[f + 1] && fk[f] == fk[f + mf] && fk[f] == fk[f + mf + 1]) {
                        // Four identical children: in 2-D the Q4 stiffness is scale-free, so the Galerkin
                        // product of a homogeneous block is the child matrix itself (inside grains: free).
                        elementK[l][e] = fk[f];
                    } else {
                        elementK[l][e] = Q4Element.coarsen(fk[f], fk[f + 1], fk[f + mf], fk[f + mf + 1], ownK[l][e]);
                    }
                }
            }
            ops[l].assemble(elementK[l]);
        }
        GridOperator coarsest = ops[ops.length - 1];
        coarseExact = coarsest.m <= MAX_EXACT_COARSE;
        coarseFactor = coarseExact ? new BandCholesky(coarsest) : ReferenceMedium.factor(coarsest.m, referenceQ);
    }

    /** z = M^-1 r on fine-grid vectors (interior entries of z written). */
    void apply(double[] r, double[] z) {
        System.arraycopy(r, 0, rhs[0], 0, r.length);
        cycle(0);
        System.arraycopy(sol[0], 0, z, 0, z.length);
    }

    private void cycle(int l) {
        GridOperator op = ops[l];
        double[] b = rhs[l];
        double[] x = sol[l];
        boolean last = l == ops.length - 1;
        if (last && coarseExact) {
            coarseFactor.solve(b, x, bandWork);
            return;
        }
        java.util.Arrays.fill(x, 0);
        op.gaussSeidel(b, x, true);
        op.residual(b, x, res[l]);
        if (last) {
            coarseFactor.solve(res[l], res[l], bandWork);
            addInterior(op, res[l], x);
        } else {
            restrict(op, res[l], ops[l + 1], rhs[l + 1]);
            cycle(l + 1);
            prolongAdd(ops[l + 1], sol[l + 1], op, x);
        }
        op.gaussSeidel(b, x, false);
    }

    private static void addInterior(GridOperator op, double[] d, double[] x) {
        for (int i = 1; i < op.m; i++) {
            for (int j = 1; j < op.m; j++) {
                int p = 2 * (i * op.stride + j);
                x[p] += d[p];
                x[p + 1] += d[p + 1];
            }
        }
    }

    /** Full-weighting restriction, the transpose of bilinear prolongation: rc = P^T rf. */
    private static void restrict(GridOperator fine, double[] rf, GridOperator coarse, double[] rc) {
        int fs = fine.stride;
        for (int ci = 1; ci < coarse.m; ci++) {
            for (int cj = 1; cj < coarse.m; cj++) {
                int center = 2 * ci * fs + 2 * cj;
                double s0 = 0;
                double s1 = 0;
                for (int di = -1; di <= 1; di++) {
                    for (int dj = -1; dj <= 1; dj++) {
                        double w = (di == 0 ? 1.0 : 0.5) * (dj == 0 ? 1.0 : 0.5);
                        int q = 2 * (center + di * fs + dj);
                        s0 += w * rf[q];
                        s1 += w * rf[q + 1];
                    }
                }
                int pc = 2 * (ci * coarse.stride + cj);
                rc[pc] = s0;
                rc[pc + 1] = s1;
            }
        }
    }

    /** xf += P xc (bilinear interpolation; coarse boundary entries are zero). */
    private static void prolongAdd(GridOperator coarse, double[] xc, GridOperator fine, double[] xf) {
        int cs = coarse.stride;
        for (int i = 1; i < fine.m; i++) {
            int i0 = i / 2;
            int i1 = (i + 1) / 2;
            for (int j = 1; j < fine.m; j++) {
                int j0 = j / 2;
                int j1 = (j + 1) / 2;
                int a = 2 * (i0 * cs + j0);
                int b = 2 * (i0 * cs + j1);
                int c = 2 * (i1 * cs + j0);
                int d = 2 * (i1 * cs + j1);
                int p = 2 * (i * fine.stride + j);
                // For even indices i0 == i1 (or j0 == j1), so the four-point average reduces exactly.
                xf[p] += 0.25 * (xc[a] + xc[b] + xc[c] + xc[d]);
                xf[p + 1] += 0.25 * (xc[a + 1] + xc[b + 1] + xc[c + 1] + xc[d + 1]);
            }
        }
    }
}
