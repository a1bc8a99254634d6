package org.polyvae.metrics;

import java.util.Arrays;

/**
 * Grain statistics of a square gray image, used both to calibrate the synthetic generator against the
 * reference figures and to judge generated images. Pure functions; images are row-major, either 8-bit
 * (unsigned bytes) or floats in [0, 1] (mapped to levels by round(255·v)).
 *
 * <p>A "grain" is a 4-connected region in which neighbouring pixels differ by at most
 * {@code jumpThreshold} gray levels, i.e. regions are separated by jumps larger than the threshold.
 * This tolerates JPEG noise and resampling ripple inside a grain (a few levels), at the price that two
 * touching grains whose lattice angles differ by less than threshold·90/255 degrees count as one —
 * identically for reference, synthetic and generated images. Regions smaller than {@code minArea}
 * pixels are discarded: they are mostly the blended pixels along grain boundaries of downscaled
 * images, not grains.
 */
public final class GrainStatistics {

    /** The measurement the shared reference numbers use: jumps above 12 levels separate grains. */
    public static final int REFERENCE_JUMP_THRESHOLD = 12;
    /** The measurement the shared reference numbers use: regions under 3 px are not grains. */
    public static final int REFERENCE_MIN_AREA = 3;
    /** Gray levels a 3×3 neighbourhood may span and still count as flat: JPEG noise, as on the reference figure. */
    public static final int REFERENCE_FLAT_TOLERANCE = 2;

    private GrainStatistics() {
    }

    public static int countGrains(byte[] gray, int size, int jumpThreshold, int minArea) {
        return grainAreas(gray, size, jumpThreshold, minArea).length;
    }

    public static int countGrains(float[] gray, int size, int jumpThreshold, int minArea) {
        return grainAreas(gray, size, jumpThreshold, minArea).length;
    }

    /**
     * The largest grain's share of a size × size image, from its {@link #grainAreas} (largest first); 0 when it
     * has no grain. Near 1 for an image of nearly one gray, or whose grains run into one another through ramps
     * of small steps (blur).
     */
    public static double largestGrainShare(int[] areas, int size) {
        return areas.length == 0 ? 0 : areas[0] / ((double) size * size);
    }

    /** Pixel areas of the grains (regions of at least minArea px), largest first. */
    public static int[] grainAreas(byte[] gray, int size, int jumpThreshold, int minArea) {
        return grainAreas(levels(gray, size), size, jumpThreshold, minArea);
    }

    public static int[] grainAreas(float[] gray, int size, int jumpThreshold, int minArea) {
        return grainAreas(levels(gray, size), size, jumpThreshold, minArea);
    }

    /**
     * How many grains (regions of at least minArea px) have an interior pixel ({@link ConnectedRegions#withInterior}):
     * the grain count without the lines one or two pixels thick that the real images' blended boundaries
     * (JPEG, area averaging) and a decoder's specks both form, which {@link #grainAreas} counts as grains.
     */
    public static int thickGrainCount(byte[] gray, int size, int jumpThreshold, int minArea) {
        return thickGrainCount(levels(gray, size), size, jumpThreshold, minArea);
    }

    public static int thickGrainCount(int[] levels, int size, int jumpThreshold, int minArea) {
        int[] label = regionLabels(levels, size, jumpThreshold);
        boolean[] interior = ConnectedRegions.withInterior(label, size, size);
        int[] area = ConnectedRegions.areas(label);
        int thick = 0;
        for (int r = 0; r < area.length; r++) {
            thick += interior[r] && area[r] >= minArea ? 1 : 0;
        }
        return thick;
    }

    /** Region label (0..regions-1) of every pixel, before the minimum-area filter. */
    public static int[] regionLabels(int[] levels, int size, int jumpThreshold) {
        checkSize(levels.length, size);
        if (jumpThreshold < 0) {
            throw new IllegalArgumentException("jump threshold must be >= 0, got " + jumpThreshold);
        }
        return ConnectedRegions.label(size, size, p -> true,
                (p, q) -> Math.abs(levels[p] - levels[q]) <= jumpThreshold);
    }

    public static int[] grainAreas(int[] levels, int size, int jumpThreshold, int minArea) {
        int[] area = ConnectedRegions.areas(regionLabels(levels, size, jumpThreshold));
        return Arrays.stream(area).filter(a -> a >= minArea).boxed()
                .sorted((a, b) -> Integer.compare(b, a)).mapToInt(Integer::intValue).toArray();
    }

    /**
     * Two-point same-grain probability S2(r), r = 0..maxR: the share of pixel pairs at horizontal or vertical
     * offset r that lie in one region of {@link #regionLabels} (no minimum area: every pixel belongs to a
     * region). Chosen over the gray-level autocorrelation because it measures the geometry the grain counts
     * measure (a blurred image has ramps, not jumps, so its regions merge and S2 stays high), and it does not
     * depend on which grays the grains happen to have.
     */
    public static double[] sameGrainProbability(int[] levels, int size, int jumpThreshold, int maxR) {
        if (maxR < 0 || maxR >= size) {
            throw new IllegalArgumentException("maxR must be in [0, " + (size - 1) + "], got " + maxR);
        }
        int[] label = regionLabels(levels, size, jumpThreshold);
        double[] s2 = new double[maxR + 1];
        for (int r = 0; r <= maxR; r++) {
            long same = 0;
            for (int row = 0; row < size; row++) {
                for (int c = 0; c + r < size; c++) {
                    same += label[row * size + c] == label[row * size + c + r] ? 1 : 0;
                    same += label[c * size + row] == label[(c + r) * size + row] ? 1 : 0;
                }
            }
            s2[r] = same / (2.0 * size * (size - r));
        }
        return s2;
    }

    public static double[] sameGrainProbability(byte[] gray, int size, int jumpThreshold, int maxR) {
        return sameGrainProbability(levels(gray, size), size, jumpThreshold, maxR);
    }

    /**
     * Share of pixels whose 3×3 neighbourhood (clipped at the border) spans at most {@code tol} gray
     * levels: near 1 for crisp piecewise-constant images, near 0 for noise or blur. Boundary pixels are
     * never flat, so for sharp images the share also falls as grains get smaller.
     */
    public static double flatPixelShare(byte[] gray, int size, int tol) {
        return flatPixelShare(levels(gray, size), size, tol);
    }

    public static double flatPixelShare(float[] gray, int size, int tol) {
        return flatPixelShare(levels(gray, size), size, tol);
    }

    public static double flatPixelShare(int[] levels, int size, int tol) {
        checkSize(levels.length, size);
        int flat = 0;
        for (int r = 0; r < size; r++) {
            for (int c = 0; c < size; c++) {
                int lo = Integer.MAX_VALUE;
                int hi = Integer.MIN_VALUE;
                for (int rr = Math.max(0, r - 1); rr <= Math.min(size - 1, r + 1); rr++) {
                    for (int cc = Math.max(0, c - 1); cc <= Math.min(size - 1, c + 1); cc++) {
                        int v = levels[rr * size + cc];
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                    }
                }
                if (hi - lo <= tol) {
                    flat++;
                }
            }
        }
        return flat / (double) levels.length;
    }

    /** Normalised histogram of gray levels in {@code bins} equal bins over 0..255. */
    public static double[] grayHistogram(byte[] gray, int size, int bins) {
        int[] lv = levels(gray, size);
        if (bins < 1 || bins > 256) {
            throw new IllegalArgumentException("bins must be 1..256, got " + bins);
        }
        double[] h = new double[bins];
        for (int v : lv) {
            h[v * bins / 256] += 1.0 / lv.length;
        }
        return h;
    }

    /** Unsigned 8-bit levels of a byte image. */
    public static int[] levels(byte[] gray, int size) {
        checkSize(gray.length, size);
        int[] out = new int[gray.length];
        for (int i = 0; i < gray.length; i++) {
            out[i] = gray[i] & 0xFF;
        }
        return out;
    }

    /** Levels of a [0, 1] float image; values outside are clamped, as a decoder would. */
    public static int[] levels(float[] gray, int size) {
        checkSize(gray.length, size);
        int[] out = new int[gray.length];
        for (int i = 0; i < gray.length; i++) {
            out[i] = level(gray[i]);
        }
        return out;
    }

    /** The 8-bit level of one [0, 1] gray, clamped: what every measurement here compares. */
    public static int level(float gray) {
        return Math.round(255 * Math.min(1f, Math.max(0f, gray)));
    }

    private static void checkSize(int length, int size) {
        if (size <= 0 || length != size * size) {
            throw new IllegalArgumentException("image of " + length + " pixels is not " + size + "×" + size);
        }
    }
}
