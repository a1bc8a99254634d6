package org.polyvae.config;

import java.io.FileNotFoundException;

/**
 * A stage's input is not there (e.g. no trained model under polyvae.output.dir because stage train has not
 * run): the user's to fix, so the message must name the path and the stage or key that produces it.
 */
public class MissingInputException extends FileNotFoundException implements UserError {
    private static final long serialVersionUID = 1L;

    public MissingInputException(String message) {
        super(message);
    }
}
