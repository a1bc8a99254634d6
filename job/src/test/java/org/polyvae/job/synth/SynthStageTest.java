package org.polyvae.job.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.polyvae.job.LocalSpark;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.polyvae.config.PolyvaeConfig;
import org.polyvae.data.DatasetLayout;
import org.polyvae.data.LabeledImage;
import org.polyvae.data.Seeds;
import org.polyvae.data.WindowClass;
import org.polyvae.fem.CubicCrystal;
import org.polyvae.fem.PlaneStressHomogenizer;
import org.polyvae.io.AtomicOutput;
import org.polyvae.job.data.DatasetReader;
import org.polyvae.synth.GrainProcess;
import org.polyvae.synth.MicrostructureGenerator;

/**
 * The synth stage end to end on Spark local[2]: the original layout, labels aligned with the present
 * images, reproducibility whatever the partitioning, the overwrite guard, and the size effect.
 */
class SynthStageTest {
    private static final int PER_CLASS = 12;
    private static final int LABEL_RESOLUTION = 24;
    private static JavaSparkContext sc;

    @TempDir
    java.nio.file.Path tmp;

    @BeforeAll
    static void startSpark() {
        // Kryo: the stage's RDD elements must survive it, as the DL4J stages turn it on.
        sc = LocalSpark.start("SynthStageTest");
    }

    @AfterAll
    static void stopSpark() {
        if (sc != null) {
            sc.stop();
        }
    }

    private PolyvaeConfig config(String data, String... extra) {
        List<String> overrides = new ArrayList<>(List.of(
                "polyvae.data.dir=" + tmp.resolve(data).toUri(),
                "polyvae.output.dir=" + tmp.resolve("out").toUri(),
                "polyvae.synth.count-per-class=" + PER_CLASS,
                "polyvae.synth.image-size=48",
                "polyvae.synth.label-resolution=" + LABEL_RESOLUTION,
                "polyvae.synth.missing-fraction=0.1",
                "polyvae.synth.images-per-task=5"));
        overrides.addAll(List.of(extra));
        return PolyvaeConfig.load(List.of(), overrides);
    }

    private static List<java.nio.file.Path> files(java.nio.file.Path root) throws IOException {
        try (Stream<java.nio.file.Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Test
    void writesTheOriginalLayoutWithAlignedLabelsAndShowsTheSizeEffect() throws IOException {
        PolyvaeConfig config = config("data");
        SynthSummary summary = new SynthStage(config).run(sc);

        java.nio.file.Path root = tmp.resolve("data");
        List<java.nio.file.Path> written = files(root);
        assertTrue(written.stream().noneMatch(p -> p.getFileName().toString().endsWith(".crc")),
                "no Hadoop checksum side files in the dataset: " + written);
        assertTrue(Files.isRegularFile(root.resolve(DatasetLayout.SYNTH_PROVENANCE)));
        assertTrue(Files.isRegularFile(tmp.resolve("out/synth/classes.png")));
        try (Stream<java.nio.file.Path> siblings = Files.list(tmp)) {
            assertTrue(siblings.noneMatch(p -> p.getFileName().toString().contains(".tmp-")), "temporary folder left");
        }
        assertTrue(Files.isRegularFile(root.resolve(
                "Generated_Images_10x10/1k/Dataset Original 10x10/rve-10x10-reg2-1-1.jpg"))
                || Files.isRegularFile(root.resolve(
                "Generated_Images_10x10/1k/Dataset Original 10x10/rve-10x10-reg2-2-1.jpg")));
        assertTrue(Files.isRegularFile(root.resolve("Generated_Images_3x3/1k/Labels-displacement-3x3.csv")));

        // The reader of the original layout reads it back, every label next to its own image: the label
        // recomputed from the image's seed must equal the one the reader paired with it.
        List<LabeledImage> images = DatasetReader.read(sc, root.toUri().toString(),
                EnumSet.allOf(WindowClass.class), 32, 4).images().collect();
        assertEquals(4 * PER_CLASS, images.size());
        long missing = summary.classes().values().stream().mapToLong(SynthSummary.ClassStats::missingNumbers).sum();
        assertTrue(missing > 0, "with missing-fraction 0.1 some numbers are left out, as in the original");
        var settings = config.synth();
        MicrostructureGenerator generator = new MicrostructureGenerator(GrainProcess.of(settings));
        PlaneStressHomogenizer fem = new PlaneStressHomogenizer(LABEL_RESOLUTION, CubicCrystal.SILICON,
                settings.femTolerance(), settings.femMaxIterations());
        for (LabeledImage image : images) {
            long seed = Seeds.image(settings.seed(), image.windowClass(), image.number());
            double e11 = fem.homogenize(generator.generate(image.windowClass(), seed)
                    .elementAngles(LABEL_RESOLUTION)).e11();
            assertEquals(e11, image.e11(), 1e-4, image.toString());
        }

        // Size effect: a larger window averages over more grains, so E11 scatters less.
        var w2 = summary.classes().get(WindowClass.W2);
        var w10 = summary.classes().get(WindowClass.W10);
        assertEquals(PER_CLASS, w2.images());
        assertTrue(w10.e11Std() < 0.5 * w2.e11Std(), "E11 std 2x2 " + w2.e11Std() + " vs 10x10 " + w10.e11Std());
        assertTrue(w10.grainsMean() > 5 * w2.grainsMean());
        for (var s : summary.classes().values()) {
            assertTrue(s.e11Mean() > 130.1 && s.e11Mean() < 169.1, "E11 within the single-crystal extremes");
        }
    }

    @Test
    void theDatasetIsTheSameWhateverThePartitioning() throws IOException {
        new SynthStage(config("a", "polyvae.synth.images-per-task=3")).run(sc);
        new SynthStage(config("b", "polyvae.synth.images-per-task=50")).run(sc);
        List<java.nio.file.Path> a = files(tmp.resolve("a"));
        List<java.nio.file.Path> b = files(tmp.resolve("b"));
        assertEquals(a.stream().map(p -> tmp.resolve("a").relativize(p)).toList(),
                b.stream().map(p -> tmp.resolve("b").relativize(p)).toList());
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i).getFileName().toString().equals(DatasetLayout.SYNTH_PROVENANCE)) {
                continue; // records the time and the settings, which differ by design
            }
            assertArrayEquals(Files.readAllBytes(a.get(i)), Files.readAllBytes(b.get(i)), a.get(i).toString());
        }
    }

    @Test
    void anExistingDatasetIsNeverOverwrittenUnlessAsked() throws IOException {
        java.nio.file.Path root = tmp.resolve("existing");
        Files.createDirectories(root);
        Files.writeString(root.resolve("precious.txt"), "keep me");

        AtomicOutput.OutputExistsException e = assertThrows(AtomicOutput.OutputExistsException.class,
                () -> new SynthStage(config("existing")).run(sc));
        assertTrue(e.getMessage().contains("polyvae.synth.overwrite"), e.getMessage());
        assertEquals("keep me", Files.readString(root.resolve("precious.txt")));
        assertTrue(new SynthStage(config("existing")).datasetExists(sc));

        new SynthStage(config("existing", "polyvae.synth.overwrite=true", "polyvae.data.classes=[2]")).run(sc);
        assertFalse(Files.exists(root.resolve("precious.txt")));
        assertTrue(Files.isDirectory(root.resolve("Generated_Images_2x2")));
        assertFalse(Files.exists(root.resolve("Generated_Images_10x10")));
    }
}
