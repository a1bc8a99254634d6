package org.polyvae.data;

import java.io.IOException;
import org.polyvae.config.UserError;

/**
 * The dataset on disk does not have the expected layout or content. The message always names the
 * offending path and what was expected, because the user has to go and fix the files.
 */
public class DatasetFormatException extends IOException implements UserError {
    private static final long serialVersionUID = 1L;

    public DatasetFormatException(String message) {
        super(message);
    }
}
