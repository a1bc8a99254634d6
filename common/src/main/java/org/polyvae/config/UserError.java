package org.polyvae.config;

/**
 * Marks an exception the user caused and must fix (a bad config value, a malformed dataset, an output
 * folder that already exists, a missing input, a diverged training run). Its message alone says what is
 * wrong and where, so the launcher prints that message and exits non-zero, without a stack trace.
 * An interface, not a class, so that checked I/O failures ({@link java.io.IOException}s) can carry it too.
 */
public interface UserError {
    String getMessage();
}
