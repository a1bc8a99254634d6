package org.polyvae.data;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * One decoded training example: the image at model resolution together with its class and E11 label, so
 * that both travel with the pixels through every later stage. {@link #pixels()} is the internal array, not
 * a copy (it is read once per epoch by the training stage); do not modify it.
 *
 * @param number the image number i from the file name
 * @param pixels resolution² luminance values in [0,1], row-major
 */
public record LabeledImage(WindowClass windowClass, String chunk, int number, double e11, float[] pixels)
        implements Serializable {
    public LabeledImage {
        Objects.requireNonNull(windowClass, "windowClass");
        Objects.requireNonNull(chunk, "chunk");
        Objects.requireNonNull(pixels, "pixels");
        int side = (int) Math.round(Math.sqrt(pixels.length));
        if (side * side != pixels.length || side == 0) {
            throw new IllegalArgumentException("pixels must be a non-empty square image, got " + pixels.length
                    + " values");
        }
    }

    /** Side length in pixels (the model resolution the image was read at). */
    public int resolution() {
        return (int) Math.round(Math.sqrt(pixels.length));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabeledImage other && windowClass == other.windowClass && number == other.number
                && Double.compare(e11, other.e11) == 0 && chunk.equals(other.chunk)
                && Arrays.equals(pixels, other.pixels);
    }

    @Override
    public int hashCode() {
        return Objects.hash(windowClass, chunk, number, e11) * 31 + Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return "LabeledImage[" + windowClass.token() + " " + chunk + " #" + number + ", e11=" + e11 + ", "
                + resolution() + "px]";
    }
}
