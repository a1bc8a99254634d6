package org.polyvae.job.train;

import org.polyvae.config.UserError;

/** The loss became NaN or infinite: training stops rather than writing a broken model. */
public final class TrainingDivergedException extends RuntimeException implements UserError {
    private static final long serialVersionUID = 1L;

    TrainingDivergedException(String message) {
        super(message);
    }

    /** Throws if {@code loss} is not finite, naming the epoch and the checkpoint to resume from. */
    static void check(String what, double loss, int epoch, String lastGoodCheckpoint) {
        if (!Double.isFinite(loss)) {
            throw new TrainingDivergedException(what + " is " + loss + " in epoch " + epoch + "; last good checkpoint: "
                    + (lastGoodCheckpoint == null ? "none (it diverged in the first epoch)" : lastGoodCheckpoint)
                    + ". Lower polyvae.model.learning-rate and rerun (polyvae.train.resume=true continues from it).");
        }
    }
}
