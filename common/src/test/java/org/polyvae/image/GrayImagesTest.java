package org.polyvae.image;

import org.polyvae.data.DatasetFixture;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Image;
import java.awt.image.BufferedImage;
import java.awt.image.PixelGrabber;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GrayImagesTest {

    /** Random 8-bit gray levels, so the AWT reference sees exactly the same input. */
    private static float[] randomLevels(int w, int h, long seed) {
        Random random = new Random(seed);
        float[] px = new float[w * h];
        for (int i = 0; i < px.length; i++) {
            px[i] = random.nextInt(256) / 255f;
        }
        return px;
    }

    private static float[] awtAreaAverage(float[] src, int w, int h, int res) throws InterruptedException {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = Math.round(src[y * w + x] * 255);
                image.setRGB(x, y, (v << 16) | (v << 8) | v);
            }
        }
        Image scaled = image.getScaledInstance(res, res, Image.SCALE_AREA_AVERAGING);
        int[] argb = new int[res * res];
        PixelGrabber grabber = new PixelGrabber(scaled, 0, 0, res, res, argb, 0, res);
        assertTrue(grabber.grabPixels(10_000), "AWT scaling did not finish");
        float[] out = new float[argb.length];
        for (int i = 0; i < argb.length; i++) {
            out[i] = (argb[i] & 0xff) / 255f;
        }
        return out;
    }

    private static double mean(float[] px) {
        double sum = 0;
        for (float v : px) {
            sum += v;
        }
        return sum / px.length;
    }

    @ParameterizedTest
    @CsvSource({"264,264,64", "128,128,64", "100,100,64", "65,65,64", "97,131,40", "48,48,64", "7,7,64"})
    void areaAverageMatchesAwtAreaAveragingScaleFilter(int w, int h, int res) throws InterruptedException {
        float[] src = randomLevels(w, h, w * 31L + h);
        float[] ours = AreaAverage.resize(src, w, h, res);
        float[] awt = awtAreaAverage(src, w, h, res);
        float maxDiff = 0;
        for (int i = 0; i < ours.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(ours[i] - awt[i]));
        }
        // AWT rounds to 8 bits; anything beyond one level would be a different weighting.
        assertTrue(maxDiff <= 1.01f / 255, "max difference " + maxDiff * 255 + " gray levels");
    }

    @ParameterizedTest
    @CsvSource({"264,64", "100,64", "64,64", "13,64", "200,7"})
    void constantImageStaysConstant(int size, int res) {
        float[] src = new float[size * size];
        Arrays.fill(src, 0.3f);
        for (float v : AreaAverage.resize(src, size, size, res)) {
            assertEquals(0.3f, v, 1e-6f);
        }
    }

    @ParameterizedTest
    @CsvSource({"128,64", "256,64", "192,64", "64,64"})
    void integerFactorsPreserveTheMeanAndAverageBlocks(int size, int res) {
        float[] src = randomLevels(size, size, size);
        float[] out = AreaAverage.resize(src, size, size, res);
        assertEquals(mean(src), mean(out), 1e-6);
        int f = size / res;
        double block = 0;
        for (int y = 0; y < f; y++) {
            for (int x = 0; x < f; x++) {
                block += src[y * size + x];
            }
        }
        assertEquals(block / (f * f), out[0], 1e-6);
    }

    @Test
    void bytesAndIntensitiesRoundTrip() {
        byte[] every = new byte[256];
        for (int v = 0; v < 256; v++) {
            every[v] = (byte) v;
        }
        float[] p = GrayImages.fromBytes(every);
        assertEquals(0f, p[0]);
        assertEquals(1f, p[255]);
        assertEquals(128 / 255f, p[128], "unsigned: level 128 is not negative");
        assertArrayEquals(every, GrayImages.toBytes(p));
    }

    @Test
    void equalSizeIsTheIdentity() {
        float[] src = randomLevels(64, 64, 3);
        assertArrayEquals(src, AreaAverage.resize(src, 64, 64, 64), 1e-7f);
    }

    @Test
    void integerUpscalingReplicatesPixels() {
        float[] out = AreaAverage.resize(new float[] {0f, 1f, 0.5f, 0.25f}, 2, 2, 4);
        assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0, 1, 1, 0.5f, 0.5f, 0.25f, 0.25f, 0.5f, 0.5f, 0.25f, 0.25f},
                out, 1e-7f);
    }

    @Test
    void jpegReaderIsTwelveMonkeys() throws IOException {
        assertTrue(JpegCodec.newJpegReader().getClass().getName().startsWith("com.twelvemonkeys."),
                JpegCodec.newJpegReader().getClass().getName());
    }

    @Test
    void writeJpegWritesOneChannelThatReadsBack() throws IOException {
        int size = 96;
        byte[] gray = new byte[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                gray[y * size + x] = (byte) (x < size / 2 ? 40 : 210); // two grains, one sharp boundary
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JpegCodec.writeGray(gray, size, 0.95f, out);
        byte[] jpeg = out.toByteArray();
        assertEquals(1, sofComponentCount(jpeg));

        float[] back = GrayImages.decode(jpeg, size);
        double maxError = 0;
        for (int i = 0; i < back.length; i++) {
            maxError = Math.max(maxError, Math.abs(back[i] * 255 - (gray[i] & 0xff)));
        }
        assertTrue(maxError < 12, "max error " + maxError + " gray levels at quality 0.95");
        assertEquals(40, back[size * 10 + 10] * 255, 2);
        assertEquals(210, back[size * 10 + size - 10] * 255, 2);
    }

    @Test
    void decodeResizesToTheModelResolution() throws IOException {
        byte[] gray = new byte[128 * 128];
        Arrays.fill(gray, (byte) 128);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JpegCodec.writeGray(gray, 128, 1f, out);
        float[] px = GrayImages.decode(out.toByteArray(), 64);
        assertEquals(64 * 64, px.length);
        for (float v : px) {
            assertEquals(128 / 255f, v, 1.5f / 255);
        }
    }

    /** The component count in the JPEG's start-of-frame header. */
    private static int sofComponentCount(byte[] jpeg) {
        for (int i = 2; i + 9 < jpeg.length; ) {
            assertEquals(0xFF, jpeg[i] & 0xff, "marker expected at " + i);
            int marker = jpeg[i + 1] & 0xff;
            int length = ((jpeg[i + 2] & 0xff) << 8) | (jpeg[i + 3] & 0xff);
            if (marker >= 0xC0 && marker <= 0xC3) {
                return jpeg[i + 9] & 0xff;
            }
            i += 2 + length;
        }
        throw new AssertionError("no SOF marker");
    }

    @Test
    void rgbEncodedGrayDecodesToItsLuminance() throws IOException {
        int size = 80;
        BufferedImage rgb = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int v = y < size / 2 ? 60 : 190;
                rgb.setRGB(x, y, (v << 16) | (v << 8) | v);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageWriter writer = JpegCodec.newJpegWriter();
        try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(1f);
            writer.setOutput(ios);
            writer.write(null, new IIOImage(rgb, null, null), param);
        } finally {
            writer.dispose();
        }
        assertEquals(3, sofComponentCount(out.toByteArray()));
        float[] px = GrayImages.decode(out.toByteArray(), size);
        assertEquals(60, px[5 * size + 5] * 255, 2);
        assertEquals(190, px[(size - 5) * size + 5] * 255, 2);
    }

    @Test
    void corruptAndTruncatedJpegsAreIoErrors() throws IOException {
        assertThrows(IOException.class, () -> GrayImages.decode("not an image".getBytes(), 16));
        assertThrows(IOException.class, () -> GrayImages.decode(new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3}, 16));
        byte[] jpeg = DatasetFixture.grayJpeg(64, 1);
        assertThrows(IOException.class, () -> GrayImages.decode(Arrays.copyOf(jpeg, jpeg.length / 2), 16));
    }

    @Test
    void aMissingEndMarkerAfterCompleteDataIsTolerated() throws IOException {
        byte[] jpeg = DatasetFixture.grayJpeg(64, 1);
        assertArrayEquals(GrayImages.decode(jpeg, 16), GrayImages.decode(Arrays.copyOf(jpeg, jpeg.length - 2), 16));
    }

    @Test
    void writeJpegRejectsBadArguments() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThrows(IllegalArgumentException.class, () -> JpegCodec.writeGray(new byte[10], 3, 0.95f, out));
        assertThrows(IllegalArgumentException.class, () -> JpegCodec.writeGray(new byte[9], 3, 1.5f, out));
        assertThrows(IllegalArgumentException.class, () -> JpegCodec.writeGray(new byte[9], 3, Float.NaN, out));
    }
}
