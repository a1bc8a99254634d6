package org.polyvae.job.batches;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.polyvae.config.PolyvaeConfig;
import org.polyvae.data.WindowClass;
import org.polyvae.job.LocalSpark;
import org.polyvae.job.data.DatasetReader;
import org.polyvae.job.synth.SynthStage;

/** The train/validation split of the exported batch files, on a tiny synthesized dataset. */
class BatchSplitTest {
    private static final int PER_CLASS = 40;
    private static final int RESOLUTION = 16;
    private static final double FRACTION = 0.25;

    private static JavaSparkContext sc;
    @TempDir
    static java.nio.file.Path tmp;

    @BeforeAll
    static void start() {
        sc = LocalSpark.start("BatchSplitTest");
    }

    @AfterAll
    static void stop() {
        if (sc != null) {
            sc.stop();
        }
    }

    private static String synth(String name, long seed) throws IOException {
        String data = tmp.resolve(name).toUri().toString();
        new SynthStage(PolyvaeConfig.load(List.of(), List.of("polyvae.data.dir=" + data,
                "polyvae.output.dir=" + tmp.resolve("synth-out").toUri(), "polyvae.synth.count-per-class=" + PER_CLASS,
                "polyvae.synth.image-size=32", "polyvae.synth.label-resolution=8", "polyvae.synth.seed=" + seed,
                "polyvae.synth.overwrite=true"))).run(sc);
        return data;
    }

    private static BatchExport.Batches export(String data, String out) throws IOException {
        PolyvaeConfig c = PolyvaeConfig.load(List.of(), List.of("polyvae.data.dir=" + data,
                "polyvae.output.dir=" + tmp.resolve(out).toUri(), "polyvae.data.resolution=" + RESOLUTION,
                "polyvae.train.batch-size=16", "polyvae.train.validation-fraction=" + FRACTION));
        return new BatchExport(c.data(), c.train(), new org.polyvae.job.output.OutputLayout(c)).ensure(sc);
    }

    /** Every image in the batch files, as its pixels (synthetic microstructures never repeat). */
    private static List<String> images(List<String> files) throws IOException {
        List<String> out = new ArrayList<>();
        for (String f : files) {
            Path p = new Path(f);
            try (InputStream in = p.getFileSystem(sc.hadoopConfiguration()).open(p)) {
                INDArray features = VaeBatchLoader.read(in, f).getFeatures(0).castTo(DataType.FLOAT);
                long n = features.size(0);
                float[] all = features.reshape(n, (long) RESOLUTION * RESOLUTION).dup('c').data().asFloat();
                int pixels = RESOLUTION * RESOLUTION;
                for (int i = 0; i < n; i++) {
                    out.add(Arrays.toString(Arrays.copyOfRange(all, i * pixels, (i + 1) * pixels)));
                }
            }
        }
        return out;
    }

    private static Set<String> dataset(String data) throws IOException {
        return new HashSet<>(DatasetReader.read(sc, data, EnumSet.allOf(WindowClass.class), RESOLUTION, 0).images()
                .map(i -> Arrays.toString(i.pixels())).collect());
    }

    @Test
    void splitIsDisjointCompleteAndOfTheConfiguredFraction() throws IOException {
        String data = synth("data", 1);
        BatchExport.Batches b = export(data, "out");
        List<String> train = images(b.train());
        List<String> validation = images(b.validation());
        Set<String> trainSet = new HashSet<>(train);
        Set<String> validationSet = new HashSet<>(validation);
        assertEquals(train.size(), trainSet.size(), "an image written twice into the training files");
        assertEquals(validation.size(), validationSet.size(), "an image written twice into the validation files");
        assertTrue(trainSet.stream().noneMatch(validationSet::contains), "an image in both splits");

        Set<String> all = new HashSet<>(trainSet);
        all.addAll(validationSet);
        assertEquals(dataset(data), all, "the splits together are the dataset");

        int n = 4 * PER_CLASS;
        double sd = Math.sqrt(n * FRACTION * (1 - FRACTION));
        assertEquals(FRACTION * n, validation.size(), 3 * sd, "validation images of " + n);
        assertEquals(train.size(), b.trainImages());
        assertEquals(validation.size(), b.validationImages());
        assertEquals(train.size(), b.trainEntries().size());
    }

}
