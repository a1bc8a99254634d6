package org.polyvae.data;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * One decoded training example: the image at model resolution together with its class and E11 label, so
 * that both travel with the pixels through every later stage.
 *
 * <p>Kept small for Spark shuffles and caching: the class as one byte, no path. {@link #pixels()} returns
 * the internal array without copying (it is read once per epoch by the training stage); do not modify it.
 */
public final class LabeledImage implements Serializable {
    private static final long serialVersionUID = 1L;

    private final byte windowClass;
    private final String chunk;
    private final int index;
    private final double e11;
    private final float[] pixels;

    /** @param pixels resolution² luminance values in [0,1], row-major */
    public LabeledImage(WindowClass windowClass, String chunk, int index, double e11, float[] pixels) {
        this.windowClass = (byte) windowClass.ordinal();
        this.chunk = Objects.requireNonNull(chunk, "chunk");
        this.index = index;
        this.e11 = e11;
        this.pixels = Objects.requireNonNull(pixels, "pixels");
        int side = (int) Math.round(Math.sqrt(pixels.length));
        if (side * side != pixels.length || side == 0) {
            throw new IllegalArgumentException("pixels must be a non-empty square image, got " + pixels.length
                    + " values");
        }
    }

    public WindowClass windowClass() {
        return WindowClass.values()[windowClass];
    }

    public String chunk() {
        return chunk;
    }

    public int index() {
        return index;
    }

    public double e11() {
        return e11;
    }

    public float[] pixels() {
        return pixels;
    }

    /** Side length in pixels (the model resolution the image was read at). */
    public int resolution() {
        return (int) Math.round(Math.sqrt(pixels.length));
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof LabeledImage)) {
            return false;
        }
        LabeledImage other = (LabeledImage) o;
        return windowClass == other.windowClass && index == other.index
                && Double.compare(e11, other.e11) == 0 && chunk.equals(other.chunk)
                && Arrays.equals(pixels, other.pixels);
    }

    @Override
    public int hashCode() {
        return Objects.hash(windowClass, chunk, index, e11) * 31 + Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return "LabeledImage[" + windowClass().token() + " " + chunk + " #" + index + ", e11=" + e11 + ", "
                + resolution() + "px]";
    }
}
