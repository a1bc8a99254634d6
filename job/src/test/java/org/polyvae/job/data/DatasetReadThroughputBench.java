package org.polyvae.job.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.polyvae.data.DatasetLayout;
import org.polyvae.data.GrayImageDecoder;
import org.polyvae.data.GrayImages;
import org.polyvae.data.LabelsCsv;
import org.polyvae.data.WindowClass;

/**
 * Read throughput on local[2] from file://, 128 px JPEGs to 64 px. Not part of the test suite (the name
 * does not end in Test); run with
 * {@code mvn -o -q test -pl common,job -Dtest=DatasetReadThroughputBench -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class DatasetReadThroughputBench {
    private static final int IMAGES = Integer.getInteger("polyvae.bench.images", 4000);
    private static final int SIZE = 128;
    private static final int RESOLUTION = 64;

    @TempDir
    java.nio.file.Path tmp;

    /** Grain-like content: flat random-gray blocks of varying size with a little noise, like a micrograph. */
    private static byte[] grains(Random random) {
        byte[] gray = new byte[SIZE * SIZE];
        int block = 8 + random.nextInt(17);
        int[] levels = new int[(SIZE / block + 1) * (SIZE / block + 1)];
        for (int i = 0; i < levels.length; i++) {
            levels[i] = 30 + random.nextInt(190);
        }
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                int v = levels[(y / block) * (SIZE / block + 1) + x / block] + random.nextInt(9) - 4;
                gray[y * SIZE + x] = (byte) v;
            }
        }
        return gray;
    }

    @Test
    void measure() throws IOException {
        org.apache.hadoop.fs.LocalFileSystem fs = FileSystem.getLocal(new Configuration());
        Path root = fs.makeQualified(new Path(tmp.resolve("bench").toUri()));
        Random random = new Random(1);
        byte[][] samples = new byte[64][];
        WindowClass c = WindowClass.W2;
        double[] labels = new double[DatasetLayout.CHUNK_SIZE];
        for (int i = 1; i <= IMAGES; i++) {
            ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
            GrayImages.writeJpeg(grains(random), SIZE, 0.95f, jpeg);
            if (i <= samples.length) {
                samples[i - 1] = jpeg.toByteArray();
            }
            String chunk = DatasetLayout.chunkName(i);
            try (var out = fs.getRaw().create(DatasetLayout.imageFile(root, c, chunk, i), true)) {
                out.write(jpeg.toByteArray());
            }
            labels[(i - 1) % DatasetLayout.CHUNK_SIZE] = 100 + random.nextDouble();
            if (i % DatasetLayout.CHUNK_SIZE == 0 || i == IMAGES) {
                int n = (i - 1) % DatasetLayout.CHUNK_SIZE + 1;
                LabelsCsv.write(fs.getRaw(), DatasetLayout.labelsFile(root, c, chunk), java.util.Arrays.copyOf(labels, n));
            }
        }

        try (GrayImageDecoder decoder = new GrayImageDecoder()) {
            for (int round = 0; round < 2; round++) { // first round warms up the JIT
                long t0 = System.nanoTime();
                int n = 0;
                for (int k = 0; k < 3000; k++) {
                    decoder.decode(samples[k % samples.length], RESOLUTION);
                    n++;
                }
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf("decode only, 1 thread: %.0f images/s%n", n / s);
            }
        }

        JavaSparkContext sc = DatasetReaderTest.sparkContext("DatasetReadThroughputBench");
        try {
            for (int round = 0; round < 6; round++) {
                long t0 = System.nanoTime();
                DatasetRdd read = DatasetReader.read(sc, root.toString(), EnumSet.of(c), RESOLUTION, 4);
                long t1 = System.nanoTime();
                long count = read.images().count();
                long t2 = System.nanoTime();
                System.out.printf("round %d: %d images, scan %.2f s, decode %.2f s -> %.0f images/s overall "
                        + "(local[2], file://, %dpx -> %dpx)%n", round, count, (t1 - t0) / 1e9, (t2 - t1) / 1e9,
                        count / ((t2 - t0) / 1e9), SIZE, RESOLUTION);
            }
        } finally {
            sc.stop();
        }
    }
}
