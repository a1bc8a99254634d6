package org.polyvae.image;

import java.awt.image.BufferedImage;
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

/** JPEG reading and 8-bit gray JPEG writing through TwelveMonkeys' codec, registered with ImageIO once. */
public final class JpegCodec {
    private JpegCodec() {
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
     * Writes a {@code size}×{@code size} 8-bit gray image (row-major, one byte per pixel) as a
     * single-channel baseline JPEG. Does not close {@code out}.
     *
     * @param quality JPEG quality in [0,1]; the synth stage uses at least 0.95 so that compression does not
     *                blur the grain boundaries the model has to learn
     */
    public static void writeGray(byte[] gray, int size, float quality, OutputStream out) throws IOException {
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
