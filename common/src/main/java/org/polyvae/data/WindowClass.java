package org.polyvae.data;

import java.util.Arrays;

/**
 * The four window sizes of the polysilicon dataset. The window (side length in µm) is the image's
 * "class"; {@link #originalCount()} is how many images the original dataset holds for it.
 */
public enum WindowClass {
    W2(2, 7772),
    W3(3, 3980),
    W5(5, 3854),
    W10(10, 3817);

    private final int micrometres;
    private final int originalCount;

    WindowClass(int micrometres, int originalCount) {
        this.micrometres = micrometres;
        this.originalCount = originalCount;
    }

    /** Side length of the square window in µm (2, 3, 5 or 10). */
    public int micrometres() {
        return micrometres;
    }

    /** Number of images of this class in the original dataset. */
    public int originalCount() {
        return originalCount;
    }

    /** "2x2", "10x10": the token the original file and folder names use. */
    public String token() {
        return micrometres + "x" + micrometres;
    }

    /** Class index 0..3 in ascending window size (the order of {@link #values()}). */
    public int index() {
        return ordinal();
    }

    public static WindowClass ofMicrometres(int micrometres) {
        for (WindowClass c : values()) {
            if (c.micrometres == micrometres) {
                return c;
            }
        }
        throw new IllegalArgumentException("no window class of " + micrometres + " µm; expected one of "
                + Arrays.toString(Arrays.stream(values()).mapToInt(WindowClass::micrometres).toArray()));
    }
}
