package org.polyvae.job.data;

import org.polyvae.image.JpegCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.polyvae.data.DatasetLayout;
import org.polyvae.data.LabelsCsv;
import org.polyvae.data.WindowClass;

/**
 * Writes small datasets in the original layout through a Hadoop FileSystem (local or HDFS). Every image is
 * a flat gray level derived from its number and every label is derived from it too, so a test can check
 * that pixels and labels stayed paired.
 */
final class HadoopDatasetFixture {
    static final int IMAGE_SIZE = 80;

    private final FileSystem fs;
    private final Path root;

    HadoopDatasetFixture(FileSystem fs, Path root) {
        this.fs = fs;
        this.root = fs.makeQualified(root);
    }

    Path root() {
        return root;
    }

    static int grayLevel(int index) {
        return 20 + (index * 37) % 211;
    }

    static double label(WindowClass c, int index) {
        return 100 * c.micrometres() + index / 8.0;
    }

    HadoopDatasetFixture chunk(WindowClass c, String chunk, int... indices) throws IOException {
        for (int i : indices) {
            byte[] gray = new byte[IMAGE_SIZE * IMAGE_SIZE];
            Arrays.fill(gray, (byte) grayLevel(i));
            ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
            JpegCodec.writeGray(gray, IMAGE_SIZE, 0.95f, jpeg);
            write(DatasetLayout.imageFile(root, c, chunk, i), jpeg.toByteArray());
        }
        double[] labels = Arrays.stream(indices).sorted().mapToDouble(i -> label(c, i)).toArray();
        LabelsCsv.write(fs, DatasetLayout.labelsFile(root, c, chunk), labels);
        return this;
    }

    void write(Path file, byte[] bytes) throws IOException {
        try (OutputStream out = fs.create(file, true)) {
            out.write(bytes);
        }
    }
}
