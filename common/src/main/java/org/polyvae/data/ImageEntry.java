package org.polyvae.data;

import java.io.Serializable;
import java.util.Objects;

/**
 * One present image of the dataset as listed by {@link DatasetScanner}: where it is and the label the
 * labels CSV gives it. Serializable because the entries are what the driver ships to the executors.
 *
 * <p>A plain class rather than a record on purpose: Spark's Kryo serializer (which DL4J setups enable)
 * cannot serialize records ("can't get field offset on a record class").
 */
public final class ImageEntry implements Serializable {
    private static final long serialVersionUID = 1L;

    private final WindowClass windowClass;
    private final String chunk;
    private final int index;
    private final String path;
    private final double e11;

    /**
     * @param windowClass the image's class (window size)
     * @param chunk       the chunk folder name, e.g. "1k"
     * @param index       the image number i from the file name
     * @param path        the fully qualified URI string of the image file, readable from any executor
     * @param e11         the E11 label (GPa) from the chunk's labels CSV
     */
    public ImageEntry(WindowClass windowClass, String chunk, int index, String path, double e11) {
        this.windowClass = Objects.requireNonNull(windowClass, "windowClass");
        this.chunk = Objects.requireNonNull(chunk, "chunk");
        this.index = index;
        this.path = Objects.requireNonNull(path, "path");
        this.e11 = e11;
    }

    public WindowClass windowClass() {
        return windowClass;
    }

    public String chunk() {
        return chunk;
    }

    public int index() {
        return index;
    }

    public String path() {
        return path;
    }

    public double e11() {
        return e11;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ImageEntry)) {
            return false;
        }
        ImageEntry other = (ImageEntry) o;
        return windowClass == other.windowClass && index == other.index && Double.compare(e11, other.e11) == 0
                && chunk.equals(other.chunk) && path.equals(other.path);
    }

    @Override
    public int hashCode() {
        return Objects.hash(windowClass, chunk, index, path, e11);
    }

    @Override
    public String toString() {
        return "ImageEntry[" + windowClass.token() + " " + chunk + " #" + index + ", e11=" + e11 + ", " + path + "]";
    }
}
