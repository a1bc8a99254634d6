package org.polyvae.job.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.polyvae.job.LocalSpark;
import org.polyvae.config.ConfigError;
import org.polyvae.job.output.SampleManifest;
import org.polyvae.config.PolyvaeConfig;
import org.polyvae.model.RegionDecoding;
import org.polyvae.job.evaluate.EvaluateStage;
import org.polyvae.job.explore.ExploreStage;
import org.polyvae.job.synth.SynthStage;
import org.polyvae.job.train.TrainStage;

/**
 * A class-conditional model through the stages after train: samples of requested classes (manifest,
 * statistics), the report's class figure, the judge's confusion by requested class, and whether the class
 * input steers the decoder at all. Trained long enough (24 images per class, 15 epochs) for the last two,
 * at β = 1: a model this small at 16 px needs the full KL weight to settle its codes by class in so few
 * steps (at the default 0.3 the texture test's ratio is 1.19, not 1.37).
 */
class ConditionalSamplingTest {
    private static JavaSparkContext sc;
    @TempDir
    static java.nio.file.Path tmp;

    @BeforeAll
    static void start() throws IOException {
        sc = LocalSpark.start("ConditionalSamplingTest");
        PolyvaeConfig c = config("samples");
        new SynthStage(c).run(sc);
        new TrainStage(c).run(sc);
    }

    @AfterAll
    static void stop() {
        if (sc != null) {
            sc.stop();
        }
    }

    static PolyvaeConfig config(String samples, String... extra) {
        List<String> o = new ArrayList<>(List.of("polyvae.data.dir=" + tmp.resolve("data").toUri(),
                "polyvae.output.dir=" + tmp.resolve("out").toUri(), "polyvae.synth.count-per-class=32",
                "polyvae.synth.image-size=32", "polyvae.synth.label-resolution=8", "polyvae.data.resolution=16",
                "polyvae.data.classes=[2, 5, 10]", "polyvae.model.conditional=true",
                "polyvae.model.encoder-channels=[8, 16]", "polyvae.model.learning-rate=0.01", "polyvae.model.beta=1",
                // The plain conditional VAE: its sampling machinery is what is tested here (the adversarial
                // term has its own tests in common and in TrainStageTest).
                "polyvae.model.adversarial-weight=0",
                // Per-pixel decoding: at 16 px a 10 µm grain is smaller than a pixel, a texture that one gray per
                // region (the default decoding, tested in common and by the default pipeline) does not draw.
                "polyvae.model.boundary-head=false", "polyvae.model.gray-decoding=mode",
                "polyvae.train.epochs=15",
                "polyvae.train.batch-size=8", "polyvae.train.workers=1",
                "polyvae.train.validation-fraction=0.25", "polyvae.sample.dir=" + tmp.resolve(samples).toUri(),
                "polyvae.sample.count=12", "polyvae.sample.tessellate=true",
                "polyvae.evaluate.channels=[8, 16]", "polyvae.evaluate.feature-width=16",
                "polyvae.evaluate.epochs=2", "polyvae.explore.traversal-dims=2", "polyvae.explore.traversal-steps=3"));
        o.addAll(List.of(extra));
        return PolyvaeConfig.load(List.of(), o);
    }

    @Test
    void samplesCycleThroughTheTrainedClassesAndTheStagesAfterwardsUseThem() throws IOException {
        PolyvaeConfig c = config("samples");
        new SampleStage(c).run(sc);
        java.nio.file.Path dir = tmp.resolve("samples");
        List<String> manifest = Files.readAllLines(dir.resolve("manifest.csv"));
        assertTrue(manifest.get(0).startsWith("file,seed," + SampleManifest.CLASS_COLUMN + ",z0,"), manifest.get(0));
        for (int i = 0; i < 12; i++) {
            assertEquals(String.valueOf(new int[] {2, 5, 10}[i % 3]), manifest.get(i + 1).split(",")[2], "sample " + i);
        }
        String stats = Files.readString(dir.resolve("statistics.csv"));
        for (String token : List.of("2x2", "5x5", "10x10")) {
            assertTrue(stats.contains("samples (raw) " + token + ",4,"), stats);
        }

        new ExploreStage(c).run(sc);
        String html = Files.readString(tmp.resolve("out/report/index.html"));
        for (String figure : List.of("classes.png", "samples.png", "samples-tessellated.png")) {
            assertTrue(html.contains("<img src=\"" + figure + "\""), figure);
            org.polyvae.job.report.Pngs.read(tmp.resolve("out/report/" + figure));
        }

        new EvaluateStage(c).run(sc);
        JsonNode raw = new ObjectMapper().readTree(tmp.resolve("out/evaluation/evaluation.json").toFile()).at("/sets/0");
        JsonNode cond = raw.path("conditioning");
        for (int k = 0; k < 3; k++) {
            long row = 0;
            for (JsonNode v : cond.path("confusion").path(k)) {
                row += v.asLong();
            }
            assertEquals(4, row, "4 samples requested per class: " + cond.path("confusion"));
        }
        assertEquals(3, cond.path("agreementPerClass").size());
        assertTrue(Files.readString(tmp.resolve("out/evaluation/index.html")).contains("filed as requested"));
    }

    @Test
    void requestedClassesAreDrawnAloneAndTheSameZGivesTheSameSampleInEveryRun() throws IOException {
        new SampleStage(config("only5", "polyvae.sample.classes=[5]")).run(sc);
        List<String> manifest = Files.readAllLines(tmp.resolve("only5/manifest.csv"));
        assertEquals(13, manifest.size());
        manifest.subList(1, 13).forEach(row -> assertEquals("5", row.split(",")[2], row));
        new SampleStage(config("only5-again", "polyvae.sample.classes=[5]")).run(sc);
        assertArrayEquals(Files.readAllBytes(tmp.resolve("only5/sample-007.png")),
                Files.readAllBytes(tmp.resolve("only5-again/sample-007.png")));
    }

    @Test
    void classesTheModelCannotDrawAreRefusedNamingTheKey() {
        List<Integer> trained = List.of(2, 5, 10);
        ConfigError e = assertThrows(ConfigError.class,
                () -> SampleStage.classesToDraw(config("x", "polyvae.sample.classes=[3]").sample(), true, trained));
        assertTrue(e.getMessage().contains("polyvae.sample.classes") && e.getMessage().contains("[2, 5, 10]"), e.getMessage());
        e = assertThrows(ConfigError.class,
                () -> SampleStage.classesToDraw(config("x", "polyvae.sample.classes=[5]").sample(), false, trained));
        assertTrue(e.getMessage().contains("polyvae.model.conditional"), e.getMessage());
        assertArrayEquals(new int[0], SampleStage.classesToDraw(config("x").sample(), false, trained));
        assertArrayEquals(new int[] {2, 5, 10}, SampleStage.classesToDraw(config("x").sample(), true, trained));
        assertArrayEquals(new int[] {10, 2}, SampleStage.classesToDraw(config("x", "polyvae.sample.classes=[10, 2]").sample(),
                true, trained), "in the order asked for");
        assertThrows(ConfigError.class, () -> config("x", "polyvae.sample.classes=[4]"));
    }

    @Test
    void theSmallestGrainIsAPhysicalAreaWhenTheWindowIsKnown() {
        SampleFiles files = new SampleFiles(config("x", "polyvae.sample.tessellate-min-grain-um2=0.25",
                "polyvae.sample.tessellate-min-area=24").sample());
        assertEquals(256, files.minArea(64, 2), "0.25 µm² at 32 px per µm");
        assertEquals(10, files.minArea(64, 10), "0.25 µm² at 6.4 px per µm");
        assertEquals(24, files.minArea(64, 0), "window unknown (unconditional model): tessellate-min-area");
        assertEquals(24, new SampleFiles(config("x", "polyvae.sample.tessellate-min-grain-um2=0",
                "polyvae.sample.tessellate-min-area=24").sample()).minArea(64, 2), "0 = always tessellate-min-area");
    }

    private static int codeLength() {
        return config("samples").model().codeLength();
    }

    /**
     * The class input steers the decoder the way the window does. The same z's decoded as 2 µm and as 10 µm
     * give different images, and z moves the image more at 2 µm: there a few large grains fill the image and
     * z sets them, while 10 µm grains are smaller than a pixel at 16 px, so the decoder draws the class's
     * texture whatever z. A sampler that ignores the class gives equal images; a model trained without
     * (or with wrong) classes does not order the two.
     */
    @Test
    void theClassInputChangesTheSamplesTheWayTheWindowDoes() throws IOException {
        byte[] decoder = Files.readAllBytes(tmp.resolve("out/model/decoder.zip"));
        int n = LatentSampler.BATCH;
        RegionDecoding.Split split = RegionDecoding.Split.of(config("samples").sample());
        byte[][] small = new LatentSampler(decoder, codeLength(), 11, 1.0, new int[] {2}, null, null, null)
                .withDecoding(split, RegionDecoding.Cleanup.NONE).decode(0, n);
        byte[][] large = new LatentSampler(decoder, codeLength(), 11, 1.0, new int[] {10}, null, null, null)
                .withDecoding(split, RegionDecoding.Cleanup.NONE).decode(0, n);
        double difference = 0;
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < small[i].length; k++) {
                difference += Math.abs((small[i][k] & 0xff) - (large[i][k] & 0xff)) / (double) (n * small[i].length);
            }
        }
        double zSmall = zDrivenVariation(small);
        double zLarge = zDrivenVariation(large);
        String values = String.format(java.util.Locale.ROOT, "mean |2 µm − 10 µm| %.2f gray; z-driven sd 2 µm %.2f, 10 µm %.2f",
                difference, zSmall, zLarge);
        assertTrue(difference > 2, values);
        // Trained runs give 1.9x to 5x (training is not bitwise repeatable); a model trained with the class
        // held constant gives about 1.3x.
        assertTrue(zSmall > 1.5 * zLarge, values);
    }

    /**
     * The learned prior and decoder together carry the class the way the data does. At 16 px after a short
     * training the samples are too rough to count grains, so the texture is measured by how unlike its
     * neighbours a pixel is ({@link #texture}): many small grains, little alike. The samples' ratio of the
     * 10 µm and 2 µm measures must lie on the data's side of 1 and cover at least 15 % of its log (the model
     * here is small and briefly trained: 38 % after 15 epochs on 32 images per class; on 24 per class it was 9 to
     * 20 %, by how many minibatches an epoch fitted); drawing both classes alike (the class ignored) gives a
     * ratio of 1.
     */
    @Test
    void learnedPriorSamplesHaveTheTextureOfTheirClasses() throws IOException {
        org.apache.hadoop.fs.FileSystem fs = org.apache.hadoop.fs.FileSystem.getLocal(sc.hadoopConfiguration());
        org.polyvae.job.output.TrainedModel model = org.polyvae.job.output.TrainedModel.load(fs,
                new org.apache.hadoop.fs.Path(tmp.resolve("out/model").toUri()));
        int[] classes = {2, 10};
        double[] steps = new double[2];
        for (int c = 0; c < 2; c++) {
            LatentSampler sampler = new LatentSampler(model.decoder(), codeLength(), 5, 1.0, new int[] {classes[c]},
                    model.prior(), null, null).withDecoding(RegionDecoding.Split.of(config("samples").sample()),
                    RegionDecoding.Cleanup.NONE);
            steps[c] = texture(sampler.decode(0, LatentSampler.BATCH));
        }
        double[] data = new double[2];
        int[] counts = new int[2];
        try (java.util.stream.Stream<java.nio.file.Path> files = Files.list(tmp.resolve("out/batches/train"))) {
            for (java.nio.file.Path f : files.filter(p -> p.toString().endsWith(".bin")).toList()) {
                org.nd4j.linalg.dataset.api.MultiDataSet batch;
                try (var in = Files.newInputStream(f)) {
                    batch = org.polyvae.job.batches.VaeBatchLoader.read(in, f.toString());
                }
                int[] um = batch.getLabels(0).getColumn(0).toIntVector();
                float[] px = batch.getFeatures(0).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data()
                        .asFloat();
                for (int i = 0; i < um.length; i++) {
                    int c = um[i] == 2 ? 0 : um[i] == 10 ? 1 : -1;
                    if (c >= 0) {
                        byte[] g = new byte[256];
                        for (int p = 0; p < 256; p++) {
                            g[p] = org.polyvae.image.GrayImages.toByte(px[i * 256 + p]);
                        }
                        data[c] += texture(new byte[][] {g});
                        counts[c]++;
                    }
                }
            }
        }
        double dataRatio = (data[1] / counts[1]) / (data[0] / counts[0]);
        double sampleRatio = steps[1] / steps[0];
        String values = String.format(java.util.Locale.ROOT, "texture (1 − neighbour correlation), 10 µm / 2 µm: "
                + "samples %.2f / %.2f = %.2f, data %.2f", steps[1], steps[0], sampleRatio, dataRatio);
        assertTrue(Math.log(sampleRatio) / Math.log(dataRatio) > 0.15, values);
    }

    /**
     * How fine the texture is: 1 − the correlation of each 16 × 16 image with itself shifted by one pixel
     * (horizontally and vertically), averaged over the images. Few large grains keep neighbours alike (near
     * 0); many small ones do not. Unlike a count of gray steps it does not mistake a decoder's pixel noise
     * for boundaries of its own accord: noise lowers the correlation of every class alike.
     */
    private static double texture(byte[][] images) {
        double sum = 0;
        for (byte[] g : images) {
            double[] a = new double[2 * 16 * 15];
            double[] b = new double[a.length];
            int k = 0;
            for (int y = 0; y < 16; y++) {
                for (int x = 0; x + 1 < 16; x++) {
                    a[k] = g[y * 16 + x] & 0xff;
                    b[k++] = g[y * 16 + x + 1] & 0xff;
                    a[k] = g[x * 16 + y] & 0xff;
                    b[k++] = g[(x + 1) * 16 + y] & 0xff;
                }
            }
            double r = new org.apache.commons.math3.stat.correlation.PearsonsCorrelation().correlation(a, b);
            sum += 1 - (Double.isNaN(r) ? 1 : r);
        }
        return sum / images.length;
    }

    /** Gray sd across samples at each pixel, averaged over pixels: how much z changes the decoded image. */
    private static double zDrivenVariation(byte[][] images) {
        int pixels = images[0].length;
        double variance = 0;
        for (int k = 0; k < pixels; k++) {
            double mean = 0;
            for (byte[] image : images) {
                mean += (image[k] & 0xff) / (double) images.length;
            }
            for (byte[] image : images) {
                double d = (image[k] & 0xff) - mean;
                variance += d * d / ((double) images.length * pixels);
            }
        }
        return Math.sqrt(variance);
    }
}
