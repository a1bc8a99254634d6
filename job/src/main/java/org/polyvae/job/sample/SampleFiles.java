package org.polyvae.job.sample;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.polyvae.data.ContactSheet;
import org.polyvae.sample.Tessellation;

/**
 * Writes one sample's files into the (temporary) output folder: the raw decoded image, its tessellation
 * and an enlarged viewing copy, as 8-bit gray PNGs. Serializable: executors write their own samples.
 */
class SampleFiles implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int digits;
    private final int viewScale;
    private final boolean tessellate;
    private final int bands;
    private final int minArea;

    SampleFiles(int count, int viewScale, boolean tessellate, int bands, int minArea) {
        this.digits = Math.max(3, String.valueOf(count - 1).length());
        this.viewScale = viewScale;
        this.tessellate = tessellate;
        this.bands = bands;
        this.minArea = minArea;
    }

    String name(int index) {
        return String.format(Locale.ROOT, "sample-%0" + digits + "d.png", index);
    }

    /** Writes sample {@code index}; returns its tessellated pixels (or null). */
    byte[] write(FileSystem fs, Path dir, int index, byte[] gray, int size) throws IOException {
        png(fs, new Path(dir, name(index)), gray, size, 1);
        byte[] t = null;
        if (tessellate) {
            t = Tessellation.tessellate(gray, size, bands, minArea);
            png(fs, new Path(new Path(dir, "tessellated"), name(index)), t, size, 1);
        }
        if (viewScale > 1) {
            png(fs, new Path(new Path(dir, "view"), name(index)), gray, size, viewScale);
        }
        return t;
    }

    static void png(FileSystem fs, Path file, byte[] gray, int size, int scale) throws IOException {
        BufferedImage img = ContactSheet.gray(gray, size);
        if (scale > 1) {
            BufferedImage big = new BufferedImage(size * scale, size * scale, BufferedImage.TYPE_BYTE_GRAY);
            big.getGraphics().drawImage(img, 0, 0, size * scale, size * scale, null);
            img = big;
        }
        try (OutputStream os = fs.create(file, true)) {
            if (!ImageIO.write(img, "png", os)) {
                throw new IOException("no PNG writer for " + file);
            }
        }
    }
}
