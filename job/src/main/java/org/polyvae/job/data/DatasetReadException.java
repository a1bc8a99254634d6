package org.polyvae.job.data;

import java.io.IOException;
import java.io.UncheckedIOException;

/** A listed image could not be read from its FileSystem (as opposed to read but not decoded). */
public class DatasetReadException extends UncheckedIOException {
    private static final long serialVersionUID = 1L;

    public DatasetReadException(String message, IOException cause) {
        super(message, cause);
    }
}
