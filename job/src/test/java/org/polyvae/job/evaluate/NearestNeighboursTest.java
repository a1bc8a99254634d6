package org.polyvae.job.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.polyvae.job.LocalSpark;

/** The memorisation distances against images whose distances are known by hand. */
class NearestNeighboursTest {
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

    /** Batch file k holds two flat 2x2 images: gray k/10 and (k + 0.5)/10. */
    private static List<String> training(int files) throws IOException {
        List<String> out = new ArrayList<>();
        for (int k = 0; k < files; k++) {
            float[] px = new float[8];
            for (int i = 0; i < 4; i++) {
                px[i] = k / 10f;
                px[4 + i] = (k + 0.5f) / 10f;
            }
            java.nio.file.Path f = tmp.resolve("batch-" + k + ".bin");
            try (OutputStream os = Files.newOutputStream(f)) {
                new MultiDataSet(Nd4j.create(px, new long[] {2, 1, 2, 2}), Nd4j.zeros(2, 2)).save(os);
            }
            out.add(f.toUri().toString());
        }
        return out;
    }

    private static float[] flat(float gray) {
        return new float[] {gray, gray, gray, gray};
    }

    @Test
    void rmsDistanceToTheNearestTrainingImage() throws IOException {
        List<String> train = training(10); // grays 0, 0.05, 0.1, ..., 0.95
        float[] checker = {0.2f, 0.4f, 0.2f, 0.4f};
        double[] d = NearestNeighbours.rmsDistances(sc, train, List.of(flat(0.3f), flat(0.32f), flat(0.99f),
                flat(-0.5f), checker));
        // A copy, 0.02 from 0.3, 0.04 beyond the brightest, 0.5 below the darkest; the checkerboard is 0.1 from
        // its mean 0.3 in every pixel.
        assertArrayEquals(new double[] {0, 0.02, 0.04, 0.5, 0.1}, d, 1e-4);
    }

    @Test
    void queriesOfAnotherResolutionAreRefused() throws IOException {
        List<String> train = training(2);
        assertThrows(Exception.class, () -> NearestNeighbours.rmsDistances(sc, train, List.of(new float[9])));
    }
}
