package org.polyvae.data;

import org.polyvae.image.JpegCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Writes small datasets in the original layout for tests. */
public final class DatasetFixture {
    private final Path root;

    DatasetFixture(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    /** A chunk with the given present image numbers and their labels (in the same order). */
    DatasetFixture chunk(WindowClass c, String chunk, int[] indices, double[] labels) throws IOException {
        Path imageDir = imageDir(c, chunk);
        Files.createDirectories(imageDir);
        for (int i : indices) {
            Files.write(imageDir.resolve(DatasetLayout.imageFileName(c, i)), grayJpeg(24, i));
        }
        labels(c, chunk, labels);
        return this;
    }

    DatasetFixture labels(WindowClass c, String chunk, double[] labels) throws IOException {
        Path chunkDir = chunkDir(c, chunk);
        Files.createDirectories(chunkDir);
        try (OutputStream out = Files.newOutputStream(chunkDir.resolve(DatasetLayout.labelsFileName(c)))) {
            LabelsCsv.write(labels, out);
        }
        return this;
    }

    Path chunkDir(WindowClass c, String chunk) {
        return root.resolve(DatasetLayout.classFolderName(c)).resolve(chunk);
    }

    Path imageDir(WindowClass c, String chunk) {
        return chunkDir(c, chunk).resolve(DatasetLayout.imageFolderName(c));
    }

    /** A gray JPEG whose content depends on {@code seed}. */
    public static byte[] grayJpeg(int size, long seed) throws IOException {
        Random random = new Random(seed);
        byte[] gray = new byte[size * size];
        random.nextBytes(gray);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JpegCodec.writeGray(gray, size, 0.95f, out);
        return out.toByteArray();
    }

    static int[] range(int from, int toInclusive) {
        int[] r = new int[toInclusive - from + 1];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }

    static double[] labelsFor(int[] indices) {
        double[] labels = new double[indices.length];
        for (int k = 0; k < indices.length; k++) {
            labels[k] = 100.0 + indices[k] / 8.0;
        }
        return labels;
    }
}
