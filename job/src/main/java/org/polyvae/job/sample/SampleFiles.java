package org.polyvae.job.sample;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import javax.imageio.ImageIO;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.polyvae.config.SampleSettings;
import org.polyvae.image.ContactSheet;
import org.polyvae.image.Tessellation;
import org.polyvae.job.output.OutputLayout;

/**
 * Writes one sample's files into the (temporary) output folder: the raw decoded image, its tessellation
 * and an enlarged viewing copy, as 8-bit gray PNGs. Serializable: executors write their own samples.
 */
class SampleFiles implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int digits;
    private final SampleSettings s;

    SampleFiles(SampleSettings settings) {
        this.s = settings;
        this.digits = Math.max(3, String.valueOf(settings.count() - 1).length());
    }

    String name(int index) {
        return OutputLayout.sampleName(index, digits);
    }

    /**
     * Writes sample {@code index}; returns its tessellated pixels (or null).
     *
     * @param windowUm the sample's window size in µm when a conditional model drew it, else 0
     */
    byte[] write(FileSystem fs, Path dir, int index, byte[] gray, int size, int windowUm) throws IOException {
        png(fs, new Path(dir, name(index)), gray, size, 1);
        byte[] t = null;
        if (s.tessellate()) {
            int minArea = minArea(size, windowUm);
            t = s.tessellateMethod() == SampleSettings.TessellateMethod.VORONOI ? Tessellation.voronoi(gray, size, s.tessellateBands(), minArea,
                    s.tessellateEqualize())
                    : Tessellation.tessellate(gray, size, s.tessellateBands(), minArea);
            png(fs, new Path(OutputLayout.tessellatedSamples(dir), name(index)), t, size, 1);
        }
        if (s.viewScale() > 1) {
            png(fs, new Path(OutputLayout.sampleViews(dir), name(index)), gray, size, s.viewScale());
        }
        return t;
    }

    /**
     * The smallest region in pixels: tessellate-min-area, or, when the window is known, the physical
     * tessellate-min-grain-um2 at this window's scale ((size / window)² pixels per µm²), since one film's
     * grains cover more pixels the smaller the window.
     */
    int minArea(int size, int windowUm) {
        if (windowUm <= 0 || s.tessellateMinGrainUm2() <= 0) {
            return s.tessellateMinArea();
        }
        double pxPerUm = (double) size / windowUm;
        return (int) Math.max(1, Math.round(s.tessellateMinGrainUm2() * pxPerUm * pxPerUm));
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
