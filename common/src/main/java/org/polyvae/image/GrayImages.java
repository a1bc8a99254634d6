package org.polyvae.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.OutputStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.spi.ImageWriterSpi;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Grayscale image helpers shared by the reader and the synth stage: luminance extraction, exact area
 * averaging to the model resolution, and writing 8-bit single-channel JPEGs. Pixel arrays are row-major.
 * For decoding many images use a {@link GrayImageDecoder}, which keeps one JPEG reader.
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
        return (byte) Math.round(255 * Math.min(1f, Math.max(0f, v)));
    }

    /** {@link #toByte} of every pixel. */
    public static byte[] toBytes(float[] pixels) {
        byte[] b = new byte[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            b[i] = toByte(pixels[i]);
        }
        return b;
    }

    /** Decodes any image bytes to {@code resolution}² luminance values in [0,1] (one-off use). */
    public static float[] decode(byte[] bytes, int resolution) throws IOException {
        try (GrayImageDecoder decoder = new GrayImageDecoder()) {
            return decoder.decode(bytes, resolution);
        }
    }

    /**
     * A fresh TwelveMonkeys JPEG reader. Looked up by provider class rather than by format name: when
     * ImageIO's registry was populated before the TwelveMonkeys jar reached the context class loader (as
     * on Spark executors with user jars), a name lookup silently returns the plain JDK reader.
     */
    public static ImageReader newJpegReader() throws IOException {
        return TwelveMonkeys.READER.createReaderInstance();
    }

    static ImageWriter newJpegWriter() throws IOException {
        return TwelveMonkeys.WRITER.createWriterInstance();
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

    /**
     * Exact area-averaging resize of a {@code width}×{@code height} image to {@code resolution}²: each
     * output pixel is the mean of the source area it covers, with fractional overlaps weighted by their
     * area (264→64 gives each output pixel 4.125×4.125 source pixels). Upscaling and equal size work the
     * same way (equal size is the identity). The same result as java.awt's AreaAveragingScaleFilter, but
     * in float and without the detour through packed RGB.
     */
    public static float[] areaAverage(float[] src, int width, int height, int resolution) {
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

    /**
     * Writes a {@code size}×{@code size} 8-bit gray image (row-major, one byte per pixel) as a
     * single-channel baseline JPEG. Does not close {@code out}.
     *
     * @param quality JPEG quality in [0,1]; the synth stage uses at least 0.95 so that compression does not
     *                blur the grain boundaries the model has to learn
     */
    public static void writeJpeg(byte[] gray, int size, float quality, OutputStream out) throws IOException {
        if (size < 1 || gray.length != size * size) {
            throw new IllegalArgumentException("expected " + size + "x" + size + " gray bytes, got " + gray.length);
        }
        if (!(quality >= 0f && quality <= 1f)) {
            throw new IllegalArgumentException("JPEG quality must be in [0,1], got " + quality);
        }
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setDataElements(0, 0, size, size, gray);
        ImageWriter writer = newJpegWriter();
        // Memory cache: ImageIO.createImageOutputStream may pick a temp-file cache, which is slow and
        // fails on executors without a writable java.io.tmpdir.
        try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.setOutput(ios);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
    }

    private static final class TwelveMonkeys {
        static final ImageReaderSpi READER = registered(ImageReaderSpi.class,
                com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi.class,
                new com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi());
        static final ImageWriterSpi WRITER = registered(ImageWriterSpi.class,
                com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageWriterSpi.class,
                new com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageWriterSpi());

        // Registering (not just instantiating) matters: the TwelveMonkeys providers find the JDK codec
        // they delegate to in onRegistration.
        private static <T> T registered(Class<T> category, Class<? extends T> providerClass, T fresh) {
            IIORegistry registry = IIORegistry.getDefaultInstance();
            T provider = registry.getServiceProviderByClass(providerClass);
            if (provider == null) {
                registry.registerServiceProvider(fresh, category);
                provider = registry.getServiceProviderByClass(providerClass);
            }
            if (provider == null) {
                throw new IllegalStateException("could not register " + providerClass.getName());
            }
            return provider;
        }
    }
}
