package org.polyvae.data;

import java.io.Serializable;
import java.util.Objects;

/**
 * One present image of the dataset as listed by {@link DatasetScanner}: where it is and the label the
 * labels CSV gives it. Serializable because the entries are what the driver ships to the executors.
 *
 * @param windowClass the image's class (window size)
 * @param chunk       the chunk folder name, e.g. "1k"
 * @param number      the image number i from the file name
 * @param path        the fully qualified URI string of the image file, readable from any executor
 * @param e11         the E11 label (GPa) from the chunk's labels CSV
 */
public record ImageEntry(WindowClass windowClass, String chunk, int number, String path, double e11)
        implements Serializable {
    public ImageEntry {
        Objects.requireNonNull(windowClass, "windowClass");
        Objects.requireNonNull(chunk, "chunk");
        Objects.requireNonNull(path, "path");
    }

    @Override
    public String toString() {
        return "ImageEntry[" + windowClass.token() + " " + chunk + " #" + number + ", e11=" + e11 + ", " + path + "]";
    }
}
