package org.polyvae.job.batches;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.polyvae.config.PolyvaeConfig;
import org.polyvae.job.LocalSpark;
import org.polyvae.job.output.OutputLayout;
import org.polyvae.job.synth.SynthStage;

/** The exported batches are reused while dataset and split are unchanged, and rebuilt when either changes. */
class BatchExportTest {
    private static JavaSparkContext sc;
    @TempDir
    static java.nio.file.Path tmp;

    @BeforeAll
    static void start() {
        sc = LocalSpark.start("BatchExportTest");
    }

    @AfterAll
    static void stop() {
        if (sc != null) {
            sc.stop();
        }
    }

    private static PolyvaeConfig config(String... extra) {
        List<String> o = new ArrayList<>(List.of("polyvae.data.dir=" + tmp.resolve("data").toUri(),
                "polyvae.output.dir=" + tmp.resolve("out").toUri(), "polyvae.data.classes=[2, 5]",
                "polyvae.synth.count-per-class=12", "polyvae.synth.image-size=32", "polyvae.synth.label-resolution=8",
                "polyvae.synth.overwrite=true", "polyvae.data.resolution=16", "polyvae.train.batch-size=4",
                "polyvae.train.validation-fraction=0.25"));
        o.addAll(List.of(extra));
        return PolyvaeConfig.load(List.of(), o);
    }

    private static BatchExport.Batches ensure(PolyvaeConfig c) throws IOException {
        return new BatchExport(c.data(), c.train(), new OutputLayout(c)).ensure(sc);
    }

    /** When the fingerprint was written: it changes exactly when the batches are exported again. */
    private static long exported() throws IOException {
        return Files.getLastModifiedTime(tmp.resolve("out/batches/batches.conf")).toMillis();
    }

    @Test
    void reusedWhileNothingChangesRebuiltWhenTheSplitOrTheDatasetDoes() throws IOException, InterruptedException {
        new SynthStage(config()).run(sc);
        BatchExport.Batches first = ensure(config());
        assertEquals(24, first.trainImages() + first.validationImages());
        Set<String> train = new HashSet<>(first.train());
        assertTrue(first.validation().stream().noneMatch(train::contains), "the splits are disjoint");
        long t0 = exported();

        Thread.sleep(20);
        BatchExport.Batches again = ensure(config());
        assertEquals(t0, exported(), "same dataset, same split: reused");
        assertEquals(first, again);

        Thread.sleep(20);
        BatchExport.Batches other = ensure(config("polyvae.train.validation-fraction=0.5"));
        long t1 = exported();
        assertNotEquals(t0, t1, "another split: rebuilt");
        assertNotEquals(first.validationImages(), other.validationImages());

        new SynthStage(config("polyvae.synth.seed=99")).run(sc);
        Thread.sleep(20);
        ensure(config("polyvae.train.validation-fraction=0.5"));
        assertNotEquals(t1, exported(), "another dataset (other labels): rebuilt");
    }
}
