package org.polyvae.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes image bytes to luminance at the model resolution, reusing one TwelveMonkeys JPEG reader across
 * images (a reader lookup per image costs more than decoding a small JPEG). Not thread-safe: one per
 * thread or Spark partition.
 */
public final class GrayImageDecoder implements AutoCloseable {
    // libjpeg reports missing entropy-coded data only as a warning ("Premature end of JPEG file",
    // "Corrupt JPEG data: premature end of data segment") and fills the rest with gray; a half-gray
    // microstructure must not reach training, so those warnings count as decoding failures. A missing
    // EOI marker alone, after complete image data, is harmless and tolerated.
    private static final String TRUNCATED = "premature end";

    private final ImageReader jpegReader;
    private final List<String> warnings = new ArrayList<>();

    public GrayImageDecoder() throws IOException {
        jpegReader = JpegCodec.newJpegReader();
        jpegReader.addIIOReadWarningListener((IIOReadWarningListener) (source, warning) -> warnings.add(warning));
    }

    /**
     * @return {@code resolution}² luminance values in [0,1], row-major
     * @throws IOException if the bytes are not a decodable image
     */
    public float[] decode(byte[] bytes, int resolution) throws IOException {
        BufferedImage image = read(bytes);
        float[] out = AreaAverage.resize(GrayImages.luminance(image), image.getWidth(), image.getHeight(),
                resolution);
        for (int i = 0; i < out.length; i++) {
            out[i] = GrayImages.clamp01(out[i]);
        }
        return out;
    }

    /** Decodes JPEG bytes with the TwelveMonkeys reader; anything else (a misnamed PNG) via ImageIO. */
    public BufferedImage read(byte[] bytes) throws IOException {
        if (!isJpeg(bytes)) {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
            if (image == null) {
                throw new IIOException("not a JPEG nor any other format ImageIO can read ("
                        + bytes.length + " bytes)");
            }
            return image;
        }
        warnings.clear();
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            jpegReader.setInput(in, true, true);
            BufferedImage image = jpegReader.read(0);
            for (String warning : warnings) {
                if (warning.toLowerCase(Locale.ROOT).contains(TRUNCATED)) {
                    throw new IIOException("truncated JPEG: " + warning);
                }
            }
            return image;
        } catch (RuntimeException e) {
            // Codecs signal some corrupt streams with unchecked exceptions; to callers they are the same
            // "undecodable image" as an IIOException.
            throw new IIOException("corrupt JPEG: " + e, e);
        } finally {
            jpegReader.setInput(null);
        }
    }

    private static boolean isJpeg(byte[] bytes) {
        return bytes.length >= 2 && (bytes[0] & 0xff) == 0xFF && (bytes[1] & 0xff) == 0xD8;
    }

    @Override
    public void close() {
        jpegReader.dispose();
    }
}
