package org.polyvae.fem;

/** The preconditioned conjugate gradient solve did not reach its tolerance within the iteration limit. */
public final class FemConvergenceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int n;
    private final int iterations;
    private final double relativeResidual;
    private final double tolerance;

    public FemConvergenceException(int n, String loadCase, int iterations, double relativeResidual,
            double tolerance) {
        super(String.format("PCG did not converge for the %dx%d image (load case %s): relative residual "
                + "%.3e after %d iterations, tolerance %.3e; raise maxIterations or the tolerance",
                n, n, loadCase, relativeResidual, iterations, tolerance));
        this.n = n;
        this.iterations = iterations;
        this.relativeResidual = relativeResidual;
        this.tolerance = tolerance;
    }

    public int n() {
        return n;
    }

    public int iterations() {
        return iterations;
    }

    /** ||r|| / ||b|| when the solver gave up. */
    public double relativeResidual() {
        return relativeResidual;
    }

    public double tolerance() {
        return tolerance;
    }
}
