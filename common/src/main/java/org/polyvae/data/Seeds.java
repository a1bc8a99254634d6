package org.polyvae.data;

/**
 * The seeds that make datasets, splits and samples reproducible: each is a pure function of a base seed
 * and the item's identity (window class and image number, or sample number), so no result depends on the
 * partitioning, the number of executors or a retried task. Changing any derivation here changes every
 * synthetic dataset, split and sample.
 */
public final class Seeds {
    /** Salt of the sample stream, so that sample i and image i of the same base seed are unrelated. */
    private static final long SAMPLE_SALT = 0x73616D706CL;

    private Seeds() {
    }

    /** Seed of image {@code number} of class {@code c} in the stream of {@code base}. */
    public static long image(long base, WindowClass c, int number) {
        return mix64(mix64(base) ^ mix64(((long) c.micrometres() << 32) | number));
    }

    /** Seed of sample {@code index} in the stream of {@code base}. */
    public static long sample(long base, int index) {
        return mix64(base ^ mix64(SAMPLE_SALT + index));
    }

    /** A hash's top 53 bits as a uniform double in [0, 1). */
    public static double uniform(long hash) {
        return (hash >>> 11) * 0x1.0p-53;
    }

    /** SplitMix64's finaliser: a bijective 64-bit mix with full avalanche. */
    public static long mix64(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
