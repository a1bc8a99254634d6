package org.polyvae.fem;

/** Preconditioned conjugate gradients did not reach the tolerance within the iteration limit. */
public final class FemConvergenceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public FemConvergenceException(String message) {
        super(message);
    }
}
