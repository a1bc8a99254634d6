package org.polyvae.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;

/**
 * Gray levels: luminance of any decoded image in [0, 1], and [0, 1] intensities as 8-bit levels. Pixel
 * arrays are row-major. Resizing is {@link AreaAverage}'s, JPEG coding {@link JpegCodec}'s; for decoding
 * many images use a {@link GrayImageDecoder}, which keeps one JPEG reader.
 */
public final class GrayImages {
    // Rec. 601 luma: the weights JPEG's own YCbCr uses, so an RGB-encoded gray JPEG comes back unchanged.
    private static final double LUMA_R = 0.299;
    private static final double LUMA_G = 0.587;
    private static final double LUMA_B = 0.114;

    private GrayImages() {
    }

    /** A [0, 1] intensity as an 8-bit gray level (unsigned byte), clamped as a decoder's output would be. */
    public static byte toByte(float v) {
        return (byte) org.polyvae.metrics.GrainStatistics.level(v);
    }

    /** {@link #toByte} of every pixel. */
    public static byte[] toBytes(float[] pixels) {
        byte[] b = new byte[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            b[i] = toByte(pixels[i]);
        }
        return b;
    }

    /** 8-bit gray levels (unsigned bytes) as [0, 1] intensities: the inverse of {@link #toBytes}. */
    public static float[] fromBytes(byte[] gray) {
        float[] p = new float[gray.length];
        for (int i = 0; i < gray.length; i++) {
            p[i] = (gray[i] & 0xFF) / 255f;
        }
        return p;
    }

    /** Decodes any image bytes to {@code resolution}² luminance values in [0,1] (one-off use). */
    public static float[] decode(byte[] bytes, int resolution) throws IOException {
        try (GrayImageDecoder decoder = new GrayImageDecoder()) {
            return decoder.decode(bytes, resolution);
        }
    }

    /**
     * The luminance of every pixel in [0,1]: gray images give their samples unchanged (no gamma
     * conversion, unlike {@link BufferedImage#getRGB}), RGB images give Rec. 601 luma.
     */
    public static float[] luminance(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        Raster raster = image.getRaster();
        ColorModel cm = image.getColorModel();
        int colorSpace = cm.getColorSpace().getType();
        float[] out = new float[w * h];
        if (cm instanceof IndexColorModel) {
            return luminanceFromRgb(image, out);
        }
        if (colorSpace == ColorSpace.TYPE_GRAY) {
            int[] samples = raster.getSamples(0, 0, w, h, 0, (int[]) null);
            float scale = 1f / maxSample(raster, 0);
            for (int i = 0; i < samples.length; i++) {
                out[i] = samples[i] * scale;
            }
            return out;
        }
        if (colorSpace == ColorSpace.TYPE_RGB && cm.getNumColorComponents() == 3) {
            int[] r = raster.getSamples(0, 0, w, h, 0, (int[]) null);
            int[] g = raster.getSamples(0, 0, w, h, 1, (int[]) null);
            int[] b = raster.getSamples(0, 0, w, h, 2, (int[]) null);
            double sr = LUMA_R / maxSample(raster, 0);
            double sg = LUMA_G / maxSample(raster, 1);
            double sb = LUMA_B / maxSample(raster, 2);
            for (int i = 0; i < out.length; i++) {
                out[i] = clamp01((float) (r[i] * sr + g[i] * sg + b[i] * sb));
            }
            return out;
        }
        return luminanceFromRgb(image, out);
    }

    private static float[] luminanceFromRgb(BufferedImage image, float[] out) {
        int w = image.getWidth();
        int[] argb = image.getRGB(0, 0, w, image.getHeight(), null, 0, w);
        for (int i = 0; i < argb.length; i++) {
            int p = argb[i];
            double y = LUMA_R * ((p >> 16) & 0xff) + LUMA_G * ((p >> 8) & 0xff) + LUMA_B * (p & 0xff);
            out[i] = clamp01((float) (y / 255));
        }
        return out;
    }

    private static int maxSample(Raster raster, int band) {
        return (1 << raster.getSampleModel().getSampleSize(band)) - 1;
    }

    static float clamp01(float v) {
        return v < 0f ? 0f : (v > 1f ? 1f : v);
    }

}
