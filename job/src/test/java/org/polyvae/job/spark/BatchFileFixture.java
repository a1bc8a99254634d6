package org.polyvae.job.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Tiny batch files in the exported format: file k holds k + 1 images of 2x2 pixels, all of value k. */
final class BatchFileFixture {
    private BatchFileFixture() {
    }

    static List<String> write(Path dir, int files) throws IOException {
        Files.createDirectories(dir);
        List<String> paths = new ArrayList<>();
        for (int k = 0; k < files; k++) {
            int n = k + 1;
            Path file = dir.resolve(String.format("batch-%05d.bin", k));
            try (OutputStream os = Files.newOutputStream(file)) {
                new MultiDataSet(Nd4j.valueArrayOf(new long[] {n, 1, 2, 2}, (float) k),
                        Nd4j.valueArrayOf(new long[] {n, 2}, 5f)).save(os);
            }
            paths.add(file.toUri().toString());
        }
        return paths;
    }
}
