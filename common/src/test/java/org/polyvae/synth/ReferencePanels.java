package org.polyvae.synth;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.polyvae.data.WindowClass;

/**
 * The Figure 2 panels (one 264 px panel per class), as gray levels. They live in shared/reference beside
 * the repository (../shared/reference from its root), as laid out for CI and for every session.
 */
final class ReferencePanels {

    static final int PANEL_PX = 264;

    private ReferencePanels() {
    }

    /** The reference folder; fails, naming where it looked, when it is missing. */
    static Path directory() {
        Path root = repositoryRoot();
        Path dir = root.resolve("../shared/reference").normalize();
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("reference panels not found: expected the folder " + dir
                    + " (shared/reference beside the repository " + root + ")");
        }
        return dir;
    }

    /** The nearest folder at or above the working directory (a module when run by Maven) holding conf/application.conf. */
    private static Path repositoryRoot() {
        Path start = Path.of("").toAbsolutePath();
        for (Path p = start; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("conf/application.conf"))) {
                return p;
            }
        }
        throw new IllegalStateException("no repository root (a folder with conf/application.conf) at or above " + start);
    }

    static int[] panel(WindowClass c) {
        Path file = directory().resolve("figure2-" + c.token() + "um.png");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("reference panel missing: " + file);
        }
        return read(file.toFile());
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
