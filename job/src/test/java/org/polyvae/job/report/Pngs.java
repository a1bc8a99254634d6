package org.polyvae.job.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Test checks of written figures: a PNG that decodes, of the expected size, not one flat colour. */
public final class Pngs {
    private Pngs() {
    }

    /** The image in {@code file}, failing unless it decodes and shows something (not a single colour). */
    public static BufferedImage read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return check(ImageIO.read(in), file.toString());
        }
    }

    /** As {@link #read(Path)}, and of {@code width} × {@code height} pixels. */
    public static BufferedImage read(Path file, int width, int height) throws IOException {
        BufferedImage image = read(file);
        assertEquals(width + "x" + height, image.getWidth() + "x" + image.getHeight(), file + ": size");
        return image;
    }

    public static BufferedImage check(BufferedImage image, String what) {
        assertNotNull(image, what + " is not an image ImageIO can read");
        assertFalse(constant(image), what + " is a single colour");
        return image;
    }

    private static boolean constant(BufferedImage image) {
        int first = image.getRGB(0, 0);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if (image.getRGB(x, y) != first) {
                    return false;
                }
            }
        }
        return true;
    }
}
