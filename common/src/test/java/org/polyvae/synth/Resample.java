package org.polyvae.synth;

import org.polyvae.image.GrayImages;

/**
 * Test-side resampling for calibration, on integer gray levels. The downscale is the dataset reader's
 * ({@link GrayImages#areaAverage}), because the measurement must see images as the model and the judge do.
 */
final class Resample {

    private Resample() {
    }

    /** Area-average downscale of a square image of gray levels, rounded back to levels. */
    static int[] areaAverage(int[] src, int from, int to) {
        float[] levels = new float[src.length];
        for (int i = 0; i < src.length; i++) {
            levels[i] = src[i];
        }
        float[] small = GrayImages.areaAverage(levels, from, from, to);
        int[] out = new int[small.length];
        for (int i = 0; i < small.length; i++) {
            out[i] = Math.round(small[i]);
        }
        return out;
    }

    /** Nearest-neighbour upscale, as the figure panels were made from 64 px images (see calibration). */
    static int[] nearest(int[] src, int from, int to) {
        int[] out = new int[to * to];
        for (int r = 0; r < to; r++) {
            int sr = (int) ((r + 0.5) * from / to);
            for (int c = 0; c < to; c++) {
                out[r * to + c] = src[sr * from + (int) ((c + 0.5) * from / to)];
            }
        }
        return out;
    }

    static int[] levels(byte[] gray) {
        int[] out = new int[gray.length];
        for (int i = 0; i < gray.length; i++) {
            out[i] = gray[i] & 0xFF;
        }
        return out;
    }
}
