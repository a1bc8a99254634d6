package org.polyvae.synth;

import org.polyvae.image.AreaAverage;

/**
 * Test-side resampling for calibration. Downscaling is the dataset reader's area average
 * ({@link AreaAverage#resize}), so that the panels are measured through the same resize as the
 * images the model and the judge see.
 */
final class Resample {

    private Resample() {
    }

    /** Area-average downscale of a square image of gray levels, rounded back to levels. */
    static int[] areaAverage(int[] src, int from, int to) {
        float[] f = new float[src.length];
        for (int i = 0; i < src.length; i++) {
            f[i] = src[i];
        }
        float[] scaled = AreaAverage.resize(f, from, from, to);
        int[] out = new int[scaled.length];
        for (int i = 0; i < scaled.length; i++) {
            out[i] = Math.round(scaled[i]);
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
}
