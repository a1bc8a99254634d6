package org.polyvae.job.spark;

import org.polyvae.config.UserError;

/** A loss became NaN or infinite: training stops rather than writing a broken model. */
public final class TrainingDivergedException extends RuntimeException implements UserError {
    private static final long serialVersionUID = 1L;

    private TrainingDivergedException(String message) {
        super(message);
    }

    /**
     * Throws if {@code loss} is not finite, naming what diverged and the epoch, followed by {@code advice}
     * (which setting to lower, where to resume from).
     */
    public static void check(String what, double loss, int epoch, String advice) {
        if (!Double.isFinite(loss)) {
            throw new TrainingDivergedException(what + " is " + loss + " in epoch " + epoch + "; " + advice);
        }
    }
}
