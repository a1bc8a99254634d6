package org.polyvae.image;

/** Exact area-averaging resize of gray images, the one resize between a stored image and the model resolution. */
public final class AreaAverage {
    private AreaAverage() {
    }

    /**
     * Exact area-averaging resize of a {@code width}×{@code height} image to {@code resolution}²: each
     * output pixel is the mean of the source area it covers, with fractional overlaps weighted by their
     * area (264→64 gives each output pixel 4.125×4.125 source pixels). Upscaling and equal size work the
     * same way (equal size is the identity). The same result as java.awt's AreaAveragingScaleFilter, but
     * in float and without the detour through packed RGB.
     */
    public static float[] resize(float[] src, int width, int height, int resolution) {
        if (width < 1 || height < 1 || resolution < 1) {
            throw new IllegalArgumentException("sizes must be positive: " + width + "x" + height + " -> "
                    + resolution);
        }
        if (src.length != width * height) {
            throw new IllegalArgumentException("expected " + width + "x" + height + " = " + width * height
                    + " pixels, got " + src.length);
        }
        Overlaps cols = Overlaps.of(width, resolution);
        Overlaps rows = Overlaps.of(height, resolution);
        float[] tmp = new float[height * resolution];
        for (int y = 0; y < height; y++) {
            int srcRow = y * width;
            int tmpRow = y * resolution;
            for (int o = 0; o < resolution; o++) {
                int first = cols.first[o];
                float[] w = cols.weights[o];
                float sum = 0f;
                for (int k = 0; k < w.length; k++) {
                    sum += w[k] * src[srcRow + first + k];
                }
                tmp[tmpRow + o] = sum;
            }
        }
        float[] out = new float[resolution * resolution];
        for (int o = 0; o < resolution; o++) {
            int outRow = o * resolution;
            int first = rows.first[o];
            float[] w = rows.weights[o];
            for (int k = 0; k < w.length; k++) {
                float wk = w[k];
                int tmpRow = (first + k) * resolution;
                for (int x = 0; x < resolution; x++) {
                    out[outRow + x] += wk * tmp[tmpRow + x];
                }
            }
        }
        return out;
    }

    /** Per output pixel along one axis: the first source pixel it overlaps and the overlap weights. */
    private static final class Overlaps {
        final int[] first;
        final float[][] weights;

        private Overlaps(int n) {
            first = new int[n];
            weights = new float[n][];
        }

        static Overlaps of(int srcLen, int dstLen) {
            // Measured in units of 1/dstLen source pixels, source pixel j spans [j*dstLen, (j+1)*dstLen)
            // and output pixel o spans [o*srcLen, (o+1)*srcLen): all boundaries and overlaps are integers,
            // so the weights are exact ratios and always sum to one.
            Overlaps ov = new Overlaps(dstLen);
            for (int o = 0; o < dstLen; o++) {
                long lo = (long) o * srcLen;
                long hi = lo + srcLen;
                int j0 = (int) (lo / dstLen);
                int j1 = (int) ((hi - 1) / dstLen);
                float[] w = new float[j1 - j0 + 1];
                for (int j = j0; j <= j1; j++) {
                    long overlap = Math.min(hi, (long) (j + 1) * dstLen) - Math.max(lo, (long) j * dstLen);
                    w[j - j0] = (float) ((double) overlap / srcLen);
                }
                ov.first[o] = j0;
                ov.weights[o] = w;
            }
            return ov;
        }
    }

}
