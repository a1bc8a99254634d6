package org.polyvae.job.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.polyvae.job.LocalSpark;
import org.polyvae.model.NativeThreads;

class ModelPartitionsTest {
    private static JavaSparkContext sc;
    @TempDir
    static java.nio.file.Path tmp;

    @BeforeAll
    static void start() {
        sc = LocalSpark.start("ModelPartitionsTest");
    }

    @AfterAll
    static void stop() {
        if (sc != null) {
            sc.stop();
        }
    }

    /** Fewer files than cores, about as many, and more than the partition count (4 per core). */
    @Test
    void visitsEveryBatchFileOnceInFileOrder() throws IOException {
        for (int files : new int[] {1, 3, 13}) {
            List<String> paths = BatchFileFixture.write(tmp.resolve("batches-" + files), files);
            List<String> visited = ModelPartitions.of(sc, "shared", s -> s + "!")
                    .mapBatches(paths, (m, p, batch) -> List.of(m + p + "#" + batch.getFeatures(0).size(0)));
            List<String> expected = IntStream.range(0, files).mapToObj(k -> "shared!" + paths.get(k) + "#" + (k + 1))
                    .toList();
            assertEquals(expected, visited);

            long images = ModelPartitions.of(sc, 0L, s -> s).reduceBatches(paths,
                    (m, p, batch) -> List.of(batch.getFeatures(0).size(0)), Long::sum);
            assertEquals((long) files * (files + 1) / 2, images, files + " files");
        }
    }

    @Test
    void handsOutFilesInChunksOfAtMostTheGivenSize() throws IOException {
        List<String> paths = BatchFileFixture.write(tmp.resolve("chunks"), 11);
        List<String> chunks = ModelPartitions.of(sc, 3, s -> s).mapFiles(paths, 3, (chunk, ps, contents) -> {
            assertTrue(ps.size() <= chunk && ps.size() == contents.size());
            return List.of(String.join(",", ps) + " " + contents.stream().mapToInt(b -> b.length).sum());
        });
        List<String> visited = chunks.stream().flatMap(c -> List.of(c.split(" ")[0].split(",")).stream()).toList();
        assertEquals(paths, visited);
        long bytes = chunks.stream().mapToLong(c -> Long.parseLong(c.split(" ")[1])).sum();
        long expected = 0;
        for (String p : paths) {
            expected += java.nio.file.Files.size(java.nio.file.Path.of(java.net.URI.create(p)));
        }
        assertEquals(expected, bytes);
        assertTrue(chunks.size() > 1);
        assertEquals(List.of(), ModelPartitions.of(sc, "x", s -> s).mapFiles(List.of(), 3,
                (m, ps, contents) -> List.of(new String(contents.get(0), StandardCharsets.UTF_8))));
    }

    /**
     * A task thread left on another native thread count (as ND4J 1.0.0-M2 leaves the thread that initialised
     * it) scores on the configured one: every executor thread is set to a wrong count first, and Spark's
     * task threads are reused.
     */
    @Test
    void scoresOnTheConfiguredNativeThreadCountWhateverTheThreadWasLeftAt() throws IOException {
        int wrong = NativeThreads.configured() + 6;
        List<Integer> set = sc.parallelize(IntStream.range(0, 16).boxed().toList(), 16).map(k -> {
            NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(wrong);
            return NativeThreads.current();
        }).collect();
        assertTrue(set.stream().allMatch(n -> n == wrong), set.toString());
        List<String> paths = BatchFileFixture.write(tmp.resolve("threads"), 8);
        List<Integer> seen = ModelPartitions.of(sc, 0, s -> s)
                .mapBatches(paths, (m, p, batch) -> List.of(NativeThreads.current()));
        assertEquals(java.util.Collections.nCopies(8, NativeThreads.configured()), seen);
    }

    @Test
    void oneTaskPerFileUpToFourPerCoreAndNeverNone() {
        assertEquals(1, ModelPartitions.partitions(0, 2));
        assertEquals(3, ModelPartitions.partitions(3, 2));
        assertEquals(8, ModelPartitions.partitions(100, 2));
    }
}
