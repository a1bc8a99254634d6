package org.polyvae.image;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A grid of gray images with a caption under each, written as PNG: the synth stage's preview of the
 * classes, and the sample stage's sheet of generated microstructures. Tiles are scaled with
 * nearest-neighbour so grain boundaries stay as sharp (or as soft) as they really are.
 */
public final class ContactSheet {
    private static final int GAP = 6;
    private static final int CAPTION = 16;

    private ContactSheet() {
    }

    public record Tile(BufferedImage image, String caption) {
    }

    public static BufferedImage render(List<Tile> tiles, int columns, int tilePx) {
        if (tiles.isEmpty() || columns < 1 || tilePx < 1) {
            throw new IllegalArgumentException("a contact sheet needs tiles, columns >= 1 and tilePx >= 1; got "
                    + tiles.size() + " tiles, " + columns + " columns, " + tilePx + " px");
        }
        int cols = Math.min(columns, tiles.size());
        int rows = (tiles.size() + cols - 1) / cols;
        int w = GAP + cols * (tilePx + GAP);
        int h = GAP + rows * (tilePx + CAPTION + GAP);
        BufferedImage sheet = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            FontMetrics fm = g.getFontMetrics();
            for (int k = 0; k < tiles.size(); k++) {
                int x = GAP + (k % cols) * (tilePx + GAP);
                int y = GAP + (k / cols) * (tilePx + CAPTION + GAP);
                g.drawImage(tiles.get(k).image(), x, y, tilePx, tilePx, null);
                String caption = tiles.get(k).caption();
                g.setColor(Color.DARK_GRAY);
                g.drawString(caption, x + Math.max(0, (tilePx - fm.stringWidth(caption)) / 2), y + tilePx + fm.getAscent() + 2);
            }
        } finally {
            g.dispose();
        }
        return sheet;
    }

    public static void writePng(BufferedImage image, OutputStream out) throws IOException {
        if (!ImageIO.write(image, "png", out)) {
            throw new IOException("no PNG writer available in this JVM");
        }
    }

    /** An 8-bit gray image (row-major, row 0 at the top) as a BufferedImage. */
    public static BufferedImage gray(byte[] pixels, int size) {
        if (pixels.length != size * size) {
            throw new IllegalArgumentException("expected " + size + "x" + size + " = " + size * size
                    + " pixels, got " + pixels.length);
        }
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setDataElements(0, 0, size, size, pixels);
        return img;
    }
}
