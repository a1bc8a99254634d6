package org.polyvae.synth;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.polyvae.data.WindowClass;

/** The Figure 2 panels in ../shared/reference (one 264 px panel per class), as gray levels. */
final class ReferencePanels {

    static final int PANEL_PX = 264;

    private ReferencePanels() {
    }

    static Path directory() {
        for (String candidate : new String[] {"../shared/reference", "../../shared/reference", "/work/shared/reference"}) {
            Path p = Path.of(candidate);
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        return null;
    }

    static int[] panel(WindowClass c) {
        return read(directory().resolve("figure2-" + c.token() + "um.png").toFile());
    }

    static int[] read(File f) {
        try {
            BufferedImage img = ImageIO.read(f);
            int w = img.getWidth();
            int[] out = new int[w * img.getHeight()];
            for (int y = 0; y < img.getHeight(); y++) {
                for (int x = 0; x < w; x++) {
                    out[y * w + x] = img.getRaster().getSample(x, y, 0);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
