package org.polyvae.synth;

/**
 * Test-side resampling for calibration. Area averaging stands in for the image decoding/resizing that
 * org.polyvae.data is getting; unify once that exists (the measurement must use the same downscale as
 * the judge of generated images).
 */
final class Resample {

    private Resample() {
    }

    /** Area-average downscale of a square image: each output pixel is the overlap-weighted mean. */
    static int[] areaAverage(int[] src, int from, int to) {
        double scale = (double) from / to;
        int[] out = new int[to * to];
        for (int r = 0; r < to; r++) {
            double y0 = r * scale;
            double y1 = y0 + scale;
            for (int c = 0; c < to; c++) {
                double x0 = c * scale;
                double x1 = x0 + scale;
                double sum = 0;
                double wsum = 0;
                for (int y = (int) y0; y < Math.min(from, Math.ceil(y1)); y++) {
                    double wy = Math.min(y + 1, y1) - Math.max(y, y0);
                    for (int x = (int) x0; x < Math.min(from, Math.ceil(x1)); x++) {
                        double w = wy * (Math.min(x + 1, x1) - Math.max(x, x0));
                        sum += w * src[y * from + x];
                        wsum += w;
                    }
                }
                out[r * to + c] = (int) Math.round(sum / wsum);
            }
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
