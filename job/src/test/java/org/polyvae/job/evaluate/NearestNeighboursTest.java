package org.polyvae.job.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.polyvae.job.LocalSpark;

/** Nearest-training-image distances against values worked out by hand. */
class NearestNeighboursTest {
    private static final int SIDE = 4;
    private static final int PIXELS = SIDE * SIDE;

    private static JavaSparkContext sc;
    @TempDir
    static java.nio.file.Path tmp;

    @BeforeAll
    static void start() {
        sc = LocalSpark.start("NearestNeighboursTest");
    }

    @AfterAll
    static void stop() {
        if (sc != null) {
            sc.stop();
        }
    }

    private static float[] constant(float v) {
        float[] a = new float[PIXELS];
        Arrays.fill(a, v);
        return a;
    }

    /** Alternating 0 and 1. */
    private static float[] checkerboard() {
        float[] a = new float[PIXELS];
        for (int i = 0; i < PIXELS; i++) {
            a[i] = (i / SIDE + i % SIDE) % 2;
        }
        return a;
    }

    /** A batch file as BatchExport writes it: features [n, 1, side, side], labels [[class µm, E11]]. */
    private static String batchFile(String name, float[]... images) throws IOException {
        float[] pixels = new float[images.length * PIXELS];
        float[] labels = new float[images.length * 2];
        for (int i = 0; i < images.length; i++) {
            System.arraycopy(images[i], 0, pixels, i * PIXELS, PIXELS);
            labels[2 * i] = 5;
            labels[2 * i + 1] = 150;
        }
        java.nio.file.Path file = tmp.resolve(name);
        try (OutputStream os = Files.newOutputStream(file)) {
            new MultiDataSet(Nd4j.create(pixels, new long[] {images.length, 1, SIDE, SIDE}),
                    Nd4j.create(labels, new long[] {images.length, 2})).save(os);
        }
        return file.toUri().toString();
    }

    @Test
    void distancesAreTheRmsGrayDifferenceToTheNearestTrainingImageOverAllFiles() throws IOException {
        List<String> train = List.of(batchFile("a.bin", constant(0), constant(1)), batchFile("b.bin", checkerboard()));
        float[] almostWhite = constant(0.9f);
        float[] halfOff = checkerboard();
        for (int i = 0; i < PIXELS; i += 2) {
            halfOff[i] = 0.5f; // 8 pixels off by 0.5 from the checkerboard, 8 exact
        }
        double[] d = NearestNeighbours.rmsDistances(sc, train,
                List.of(constant(0.25f), checkerboard(), almostWhite, halfOff));
        // 0.25 gray: 0.25 from black, 0.75 from white, sqrt((0.25² + 0.75²) / 2) ≈ 0.56 from the checkerboard.
        assertEquals(0.25, d[0], 1e-5);
        // A copy of a training image (in the second file): 0 up to float rounding of |q|² + |t|² − 2 q·t.
        assertEquals(0, d[1], 1e-3);
        assertEquals(0.1, d[2], 1e-5);
        assertEquals(Math.sqrt(0.5 * 0.5 / 2), d[3], 1e-5);
    }

    @Test
    void noQueriesGiveNoDistancesAndMismatchedInputsAreRefused() throws IOException {
        String file = batchFile("c.bin", constant(0));
        assertArrayEquals(new double[0], NearestNeighbours.rmsDistances(sc, List.of(file), List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> NearestNeighbours.rmsDistances(sc, List.of(), List.of(constant(0))));
        assertThrows(IllegalArgumentException.class,
                () -> NearestNeighbours.rmsDistances(sc, List.of(file), List.of(constant(0), new float[PIXELS + 1])));
    }
}
