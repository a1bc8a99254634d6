package org.polyvae.job.sample;

import org.polyvae.config.MissingInputException;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.polyvae.config.TrainSettings.PriorOrder;
import org.polyvae.job.LocalSpark;
import org.polyvae.config.ConfigError;
import org.polyvae.config.PolyvaeConfig;
import org.polyvae.image.ContactSheet;
import org.polyvae.io.AtomicOutput;
import org.polyvae.job.report.Pngs;
import org.polyvae.job.output.OutputLayout;
import org.polyvae.job.output.SampleManifest;
import org.polyvae.job.output.TrainedModel;
import org.polyvae.model.Decoders;
import org.polyvae.model.AutoregressivePrior;
import org.polyvae.model.LatentPrior;
import org.polyvae.model.VaeBatches;
import org.polyvae.model.VaeArchitecture;

/** Stage sample: count, format, determinism (driver and executors), atomicity, local and HDFS. */
class SampleStageTest {
    private static JavaSparkContext sc;
    @TempDir
    static java.nio.file.Path tmp;

    @BeforeAll
    static void start() throws IOException {
        sc = LocalSpark.start("SampleStageTest");
        // An untrained model is enough to test the stage: the decoder's weights are what they are.
        PolyvaeConfig c = config("unused");
        VaeArchitecture arch = new VaeArchitecture(c.model());
        ComputationGraph vae = new ComputationGraph(arch.vae());
        vae.init();
        java.nio.file.Path model = tmp.resolve("out/model");
        Files.createDirectories(model);
        ModelSerializer.writeModel(vae, model.resolve("vae.zip").toFile(), false);
        ModelSerializer.writeModel(Decoders.extract(vae, arch), model.resolve("decoder.zip").toFile(), false);
        Files.writeString(model.resolve("config.conf"), c.renderResolved());
        try (var out = Files.newOutputStream(model.resolve("prior.bin"))) {
            prior(c.model().codeLength()).write(out);
        }
        try (var out = Files.newOutputStream(model.resolve("code-prior.bin"))) {
            untrainedCodePrior(c, VaeBatches.classOrder()).write(out);
        }
    }

    /** An untrained autoregressive prior of these classes: what is tested is how the stage draws from it. */
    private static AutoregressivePrior untrainedCodePrior(PolyvaeConfig c, int[] classes) {
        int channels = c.model().latentChannels();
        int size = c.model().bottleneckSize();
        ComputationGraph net = AutoregressivePrior.network(PriorOrder.RASTER, channels, size, classes.length, 16, 3, 1e-3, 5);
        float[] zeros = new float[channels];
        float[] ones = new float[channels];
        java.util.Arrays.fill(ones, 1f);
        return new AutoregressivePrior(PriorOrder.RASTER, channels, size, classes, 3, zeros, ones, net);
    }

    /** A learned prior as stage train would fit it: one Gaussian per class, class means apart. */
    private static LatentPrior prior(int codeLength) {
        java.util.Random r = new java.util.Random(1);
        List<LatentPrior.Codes> classes = new ArrayList<>();
        for (int um : new int[] {2, 3, 5, 10}) {
            LatentPrior.Codes codes = new LatentPrior.Codes(um);
            for (int i = 0; i < 30; i++) {
                float[] mu = new float[codeLength];
                for (int j = 0; j < codeLength; j++) {
                    mu[j] = (float) (um / 5.0 - 1 + r.nextGaussian());
                }
                codes.add(mu, new float[codeLength], 150 + 10 * mu[0] + r.nextGaussian());
            }
            classes.add(codes);
        }
        return LatentPrior.fit(classes);
    }

    /**
     * polyvae.sample.e11-target draws each class's codes from its Gaussian given E11, records the target in
     * the manifest for evaluate, and needs the learned prior.
     */
    @Test
    void anE11TargetMovesTheCodesAlongTheirCovarianceWithE11AndIsRecorded() throws IOException {
        java.nio.file.Path low = tmp.resolve("e11-low");
        java.nio.file.Path high = tmp.resolve("e11-high");
        new SampleStage(config(low.toUri().toString(), "polyvae.sample.count=4", "polyvae.sample.e11-target=140"))
                .run(sc);
        new SampleStage(config(high.toUri().toString(), "polyvae.sample.count=4", "polyvae.sample.e11-target=160"))
                .run(sc);
        org.apache.hadoop.fs.FileSystem fs = org.apache.hadoop.fs.FileSystem.getLocal(sc.hadoopConfiguration());
        assertEquals(140.0, SampleManifest.read(fs, new org.apache.hadoop.fs.Path(low.toUri())).e11Target());
        assertEquals(null, SampleManifest.read(fs, new org.apache.hadoop.fs.Path(tmp.resolve("a").toUri())).e11Target(),
                "no column without a target");
        LatentPrior prior = prior(config("unused").model().codeLength());
        List<String> lowRows = Files.readAllLines(low.resolve("manifest.csv"));
        List<String> highRows = Files.readAllLines(high.resolve("manifest.csv"));
        assertTrue(lowRows.get(0).startsWith("file,seed,class_um,e11_target_gpa,region_decoding,z0"), lowRows.get(0));
        for (int i = 1; i <= 4; i++) {
            String[] a = lowRows.get(i).split(",");
            String[] b = highRows.get(i).split(",");
            int um = Integer.parseInt(a[2]);
            double[] za = java.util.Arrays.stream(a, 5, a.length).mapToDouble(Double::parseDouble).toArray();
            double[] zb = java.util.Arrays.stream(b, 5, b.length).mapToDouble(Double::parseDouble).toArray();
            // Same seed, same u: the two codes differ by (160 − 140)/σ² times the code's covariance with E11.
            LatentPrior.Component c = prior.component(um);
            for (int j = 0; j < za.length; j++) {
                assertEquals(20 / c.e11Variance() * c.e11Covariance()[j], zb[j] - za[j], 1e-4, "sample " + i + " z" + j);
            }
        }
        assertThrows(ConfigError.class, () -> config("x", "polyvae.sample.e11-target=150", "polyvae.sample.prior=standard"));
    }

    @Test
    void aClassTheLearnedPriorLacksIsRefusedBeforeAnythingIsWritten() throws IOException {
        java.nio.file.Path out = tmp.resolve("prior-of-2-only");
        java.nio.file.Path model = copyModelWithoutPrior(out);
        LatentPrior.Codes two = new LatentPrior.Codes(2);
        int d = config("unused").model().codeLength();
        two.add(new float[d], new float[d]).add(new float[d], new float[d]);
        try (var os = Files.newOutputStream(model.resolve("prior.bin"))) {
            LatentPrior.fit(List.of(two)).write(os);
        }
        java.nio.file.Path samples = tmp.resolve("never-drawn");
        ConfigError e = assertThrows(ConfigError.class, () -> new SampleStage(config(samples.toUri().toString(),
                "polyvae.output.dir=" + out.toUri(), "polyvae.sample.count=3")).run(sc));
        assertTrue(e.getMessage().contains("no Gaussian for 3 µm") && e.getMessage().contains("polyvae.sample.classes"),
                e.getMessage());
        assertFalse(Files.exists(samples), "nothing written");
    }

    /** The fixture's model (VAE, decoder, config.conf) under {@code outputDir}/model, without prior.bin. */
    private static java.nio.file.Path copyModelWithoutPrior(java.nio.file.Path outputDir) throws IOException {
        java.nio.file.Path model = Files.createDirectories(outputDir.resolve("model"));
        for (String f : List.of("vae.zip", "decoder.zip", "config.conf")) {
            Files.copy(tmp.resolve("out/model").resolve(f), model.resolve(f));
        }
        return model;
    }

    @Test
    void aModelWithoutALearnedPriorSamplesFromTheStandardOneOnlyWhenAskedTo() throws IOException {
        java.nio.file.Path old = tmp.resolve("old-model");
        copyModelWithoutPrior(old);
        java.nio.file.Path learned = tmp.resolve("from-old-learned");
        MissingInputException e = assertThrows(MissingInputException.class, () -> new SampleStage(config(
                learned.toUri().toString(), "polyvae.output.dir=" + old.toUri(), "polyvae.sample.count=3")).run(sc));
        assertTrue(e.getMessage().contains("prior.bin is missing") && e.getMessage().contains("polyvae.sample.prior=standard"),
                e.getMessage());
        assertFalse(Files.exists(learned), "nothing written");
        java.nio.file.Path standard = tmp.resolve("from-old-standard");
        new SampleStage(config(standard.toUri().toString(), "polyvae.output.dir=" + old.toUri(), "polyvae.sample.count=3",
                "polyvae.sample.prior=standard")).run(sc);
        assertEquals(3, pngs(standard).size());
    }

    @AfterAll
    static void stop() {
        if (sc != null) {
            sc.stop();
        }
    }

    static PolyvaeConfig config(String dir, String... extra) {
        List<String> o = new ArrayList<>(List.of("polyvae.output.dir=" + tmp.resolve("out").toUri(),
                "polyvae.data.dir=" + tmp.resolve("no-data").toUri(), "polyvae.data.resolution=16",
                "polyvae.model.encoder-channels=[8, 16]", "polyvae.sample.dir=" + dir));
        o.addAll(List.of(extra));
        return PolyvaeConfig.load(List.of(), o);
    }

    private static List<java.nio.file.Path> pngs(java.nio.file.Path dir) throws IOException {
        try (Stream<java.nio.file.Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("sample-\\d+\\.png")).sorted().toList();
        }
    }

    @Test
    void writesGrayPngsAManifestAndSheetsReproducibly() throws IOException {
        java.nio.file.Path a = tmp.resolve("a");
        new SampleStage(config(a.toUri().toString(), "polyvae.sample.count=7", "polyvae.sample.view-scale=3",
                "polyvae.sample.tessellate=true")).run(sc);
        List<java.nio.file.Path> files = pngs(a);
        assertEquals(7, files.size());
        assertEquals("sample-000.png", files.get(0).getFileName().toString());
        BufferedImage img = ImageIO.read(files.get(3).toFile());
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, img.getType());
        assertEquals(16, img.getWidth());
        assertEquals(48, ImageIO.read(a.resolve("view/sample-003.png").toFile()).getWidth());
        assertTrue(Files.exists(a.resolve("tessellated/sample-006.png")));
        BufferedImage sheet = ContactSheet.render(java.util.Collections.nCopies(7, new ContactSheet.Tile(img, "")), 3, 16);
        for (String f : List.of("contact-sheet.png", "contact-sheet-tessellated.png")) {
            Pngs.read(a.resolve(f), sheet.getWidth(), sheet.getHeight());
        }
        statisticsOfTheSevenSamples(a.resolve("statistics.csv"));
        List<String> manifest = Files.readAllLines(a.resolve("manifest.csv"));
        assertEquals(8, manifest.size());
        assertTrue(manifest.get(0).startsWith("file,seed," + SampleManifest.CLASS_COLUMN + ","
                + SampleManifest.REGION_DECODING_COLUMN + ",z0,"), manifest.get(0));
        assertEquals(4 + 4 * 4 * 4, manifest.get(1).split(",").length,
                "file, seed, class (the default model is conditional), region decoding and a 4-channel 4x4 spatial code");

        java.nio.file.Path b = tmp.resolve("b");
        new SampleStage(config(b.toUri().toString(), "polyvae.sample.count=7")).run(sc);
        for (int i = 0; i < 7; i++) {
            assertArrayEquals(Files.readAllBytes(files.get(i)), Files.readAllBytes(pngs(b).get(i)), "same seed, same bytes");
        }
        java.nio.file.Path c = tmp.resolve("c");
        new SampleStage(config(c.toUri().toString(), "polyvae.sample.count=7", "polyvae.sample.seed=99")).run(sc);
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(files.get(0)), Files.readAllBytes(pngs(c).get(0))));
    }

    /** One row per set of the samples themselves, and per drawn class (the default model is conditional). */
    private static void statisticsOfTheSevenSamples(java.nio.file.Path file) throws IOException {
        Map<String, Integer> images = new LinkedHashMap<>();
        try (CSVParser csv = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build()
                .parse(Files.newBufferedReader(file))) {
            assertEquals(List.of("set", "images", "flat_pixel_share", "grains_per_image"), csv.getHeaderNames());
            for (CSVRecord r : csv) {
                images.put(r.get("set"), Integer.parseInt(r.get("images")));
                double flat = Double.parseDouble(r.get("flat_pixel_share"));
                assertTrue(flat >= 0 && flat <= 1, r.toString());
                assertTrue(Double.parseDouble(r.get("grains_per_image")) >= 0, r.toString());
            }
        }
        Map<String, Integer> expected = new LinkedHashMap<>();
        expected.put("samples (raw)", 7);
        expected.put("samples (tessellated)", 7);
        // Classes 2, 3, 5, 10 µm in turn: 2, 2, 2 and 1 of the 7.
        for (String c : List.of("2x2", "3x3", "5x5", "10x10")) {
            int n = c.equals("10x10") ? 1 : 2;
            expected.put("samples (raw) " + c, n);
            expected.put("samples (tessellated) " + c, n);
        }
        assertEquals(expected, images, "real images are the evaluate stage's to compare with");
    }

    @Test
    void theTrainedModelsSettingsComeFromItsConfigConf() throws IOException {
        // A later run may change polyvae.model.*: what counts is what trained the model.
        PolyvaeConfig now = config("unused", "polyvae.model.latent-channels=7", "polyvae.data.classes=[3]");
        FileSystem fs = FileSystem.getLocal(new Configuration());
        TrainedModel model = TrainedModel.load(fs, new OutputLayout(now).model());
        assertEquals(config("unused").model(), model.settings());
        assertEquals(List.of(2, 3, 5, 10), model.classes());
        assertEquals(4 * 4 * 4, model.settings().codeLength());
        var z = org.nd4j.linalg.factory.Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1,
                model.settings().codeLength());
        assertArrayEquals(new long[] {1, 1, 16, 16}, model.decoder().output(false, z,
                org.polyvae.model.VaeBatches.oneHot(new int[] {5}))[0].shape(), "the decoder takes z of that length");
    }

    @Test
    void withoutATrainedModelTheErrorNamesTheFolderAndStageTrain() {
        java.nio.file.Path empty = tmp.resolve("untrained");
        PolyvaeConfig c = config(tmp.resolve("never").toUri().toString(), "polyvae.output.dir=" + empty.toUri());
        MissingInputException e = assertThrows(MissingInputException.class, () -> new SampleStage(c).run(sc));
        assertTrue(e.getMessage().contains(empty.resolve("model").toString()) && e.getMessage().contains("run stage train"),
                e.getMessage());
        assertFalse(Files.exists(tmp.resolve("never")), "nothing written");
    }

    /**
     * prior = autoregressive: the codes come from model/code-prior.bin, drawn a whole aligned batch at a time,
     * so the executors write the driver's images and the manifest records the codes the images were decoded
     * from; a model without the file is refused by name before anything is written.
     */
    @Test
    void theAutoregressivePriorDrawsTheSameSamplesOnExecutorsAsOnTheDriver() throws IOException {
        java.nio.file.Path driver = tmp.resolve("ar-driver");
        java.nio.file.Path executors = tmp.resolve("ar-executors");
        java.nio.file.Path gaussian = tmp.resolve("ar-gaussian");
        new SampleStage(config(driver.toUri().toString(), "polyvae.sample.count=60",
                "polyvae.sample.prior=autoregressive")).run(sc);
        new SampleStage(config(executors.toUri().toString(), "polyvae.sample.count=60",
                "polyvae.sample.prior=autoregressive", "polyvae.sample.driver-max=0",
                "polyvae.sample.images-per-task=50")).run(sc);
        new SampleStage(config(gaussian.toUri().toString(), "polyvae.sample.count=60", "polyvae.sample.prior=learned"))
                .run(sc);
        List<java.nio.file.Path> d = pngs(driver);
        List<java.nio.file.Path> e = pngs(executors);
        assertEquals(60, e.size());
        for (int i = 0; i < d.size(); i++) {
            assertArrayEquals(Files.readAllBytes(d.get(i)), Files.readAllBytes(e.get(i)), d.get(i).toString());
        }
        List<String> manifest = Files.readAllLines(driver.resolve("manifest.csv"));
        assertEquals(manifest, Files.readAllLines(executors.resolve("manifest.csv")));
        assertNotEquals(manifest, Files.readAllLines(gaussian.resolve("manifest.csv")), "drawn from the other prior");

        // The manifest's code of a sample in the second batch is the prior's draw for it, decoded to its image.
        TrainedModel model = TrainedModel.load(FileSystem.getLocal(new Configuration()),
                new Path(tmp.resolve("out/model").toUri()));
        int index = 57;
        int[] um = new int[LatentSampler.BATCH];
        for (int i = 0; i < um.length; i++) {
            um[i] = new int[] {2, 3, 5, 10}[(LatentSampler.BATCH + i) % 4];
        }
        double[] z = model.codePrior().sample(um, i -> new java.util.Random(
                org.polyvae.data.Seeds.sample(config("unused").sample().seed(), LatentSampler.BATCH + i)), 1.0)[index - LatentSampler.BATCH];
        String[] row = manifest.get(1 + index).split(",");
        for (int j = 0; j < z.length; j++) {
            assertEquals(z[j], Double.parseDouble(row[row.length - z.length + j]), 1e-5, "z[" + j + "]");
        }

        // A model trained without an autoregressive prior is refused; one whose run asked for it but had none of
        // its classes (no code-prior.bin) draws every class from the Gaussian.
        java.nio.file.Path old = tmp.resolve("ar-old-model");
        java.nio.file.Path oldModel = copyModelWithoutPrior(old);
        Files.writeString(oldModel.resolve("config.conf"), config("unused", "polyvae.train.prior.autoregressive=false")
                .renderResolved());
        java.nio.file.Path none = tmp.resolve("ar-none-of-its-classes");
        java.nio.file.Path noneModel = copyModelWithoutPrior(none);
        Files.copy(tmp.resolve("out/model/prior.bin"), noneModel.resolve("prior.bin"));
        Files.writeString(noneModel.resolve("config.conf"), config("unused", "polyvae.train.prior.autoregressive=true")
                .renderResolved());
        java.nio.file.Path fallback = tmp.resolve("ar-fallback");
        new SampleStage(config(fallback.toUri().toString(), "polyvae.output.dir=" + none.toUri(),
                "polyvae.sample.count=60", "polyvae.sample.prior=autoregressive")).run(sc);
        assertEquals(Files.readAllLines(gaussian.resolve("manifest.csv")),
                Files.readAllLines(fallback.resolve("manifest.csv")), "every class from the Gaussian");
        java.nio.file.Path refused = tmp.resolve("ar-refused");
        MissingInputException missing = assertThrows(MissingInputException.class, () -> new SampleStage(config(
                refused.toUri().toString(), "polyvae.output.dir=" + old.toUri(), "polyvae.sample.count=3",
                "polyvae.sample.prior=autoregressive")).run(sc));
        assertTrue(missing.getMessage().contains("code-prior.bin is missing")
                && missing.getMessage().contains("polyvae.train.prior.autoregressive"), missing.getMessage());
        assertFalse(Files.exists(refused), "nothing written");
    }

    /**
     * An autoregressive prior trained on some classes only (polyvae.train.prior.classes): prior = autoregressive
     * draws those classes from it, exactly as a prior of every class draws them, and the others from the learned
     * Gaussian, exactly as prior = learned draws them; the executors write the driver's images.
     */
    @Test
    void anAutoregressivePriorOfSomeClassesLeavesTheOthersToTheGaussian() throws IOException {
        java.nio.file.Path out = tmp.resolve("ar-small-classes");
        java.nio.file.Path model = copyModelWithoutPrior(out);
        Files.copy(tmp.resolve("out/model/prior.bin"), model.resolve("prior.bin"));
        PolyvaeConfig c = config("unused");
        AutoregressivePrior small = untrainedCodePrior(c, new int[] {2, 3});
        try (var os = Files.newOutputStream(model.resolve("code-prior.bin"))) {
            small.write(os);
        }
        java.nio.file.Path mixed = tmp.resolve("ar-mixed");
        java.nio.file.Path mixedOnExecutors = tmp.resolve("ar-mixed-executors");
        java.nio.file.Path learned = tmp.resolve("ar-mixed-learned");
        new SampleStage(config(mixed.toUri().toString(), "polyvae.output.dir=" + out.toUri(), "polyvae.sample.count=60",
                "polyvae.sample.prior=autoregressive")).run(sc);
        new SampleStage(config(mixedOnExecutors.toUri().toString(), "polyvae.output.dir=" + out.toUri(),
                "polyvae.sample.count=60", "polyvae.sample.prior=autoregressive", "polyvae.sample.driver-max=0",
                "polyvae.sample.images-per-task=50")).run(sc);
        new SampleStage(config(learned.toUri().toString(), "polyvae.output.dir=" + out.toUri(),
                "polyvae.sample.count=60", "polyvae.sample.prior=learned")).run(sc);
        List<String> m = Files.readAllLines(mixed.resolve("manifest.csv"));
        List<String> g = Files.readAllLines(learned.resolve("manifest.csv"));
        assertEquals(m, Files.readAllLines(mixedOnExecutors.resolve("manifest.csv")));
        List<java.nio.file.Path> d = pngs(mixed);
        List<java.nio.file.Path> e = pngs(mixedOnExecutors);
        for (int i = 0; i < d.size(); i++) {
            assertArrayEquals(Files.readAllBytes(d.get(i)), Files.readAllBytes(e.get(i)), d.get(i).toString());
        }
        int[] order = {2, 3, 5, 10};
        for (int index : new int[] {0, 1, 2, 3, 53, 54, 55, 56}) {
            int um = order[index % 4];
            if (um == 5 || um == 10) {
                assertEquals(g.get(1 + index), m.get(1 + index), "sample " + index + " (" + um + " µm): the Gaussian's");
                continue;
            }
            assertNotEquals(g.get(1 + index), m.get(1 + index), "sample " + index + " (" + um + " µm)");
            // Its code is the autoregressive prior's draw for it, the batch's samples of its classes drawn together.
            int batch = index / LatentSampler.BATCH;
            int[] at = java.util.stream.IntStream.range(0, LatentSampler.BATCH)
                    .filter(i -> order[(batch * LatentSampler.BATCH + i) % 4] <= 3).toArray();
            int[] classes = java.util.Arrays.stream(at).map(i -> order[(batch * LatentSampler.BATCH + i) % 4]).toArray();
            double[] z = small.sample(classes, k -> new java.util.Random(org.polyvae.data.Seeds.sample(
                    c.sample().seed(), batch * LatentSampler.BATCH + at[k])), 1.0)[
                    java.util.Arrays.binarySearch(at, index % LatentSampler.BATCH)];
            String[] row = m.get(1 + index).split(",");
            for (int j = 0; j < z.length; j++) {
                assertEquals(z[j], Double.parseDouble(row[row.length - z.length + j]), 1e-5, index + ": z[" + j + "]");
            }
        }
    }

    @Test
    void executorsWriteTheSameSamplesAsTheDriver() throws IOException {
        java.nio.file.Path driver = tmp.resolve("driver");
        java.nio.file.Path executors = tmp.resolve("executors");
        new SampleStage(config(driver.toUri().toString(), "polyvae.sample.count=130")).run(sc);
        new SampleStage(config(executors.toUri().toString(), "polyvae.sample.count=130",
                "polyvae.sample.driver-max=0", "polyvae.sample.images-per-task=50")).run(sc);
        List<java.nio.file.Path> d = pngs(driver);
        List<java.nio.file.Path> e = pngs(executors);
        assertEquals(130, e.size());
        for (int i = 0; i < d.size(); i++) {
            assertArrayEquals(Files.readAllBytes(d.get(i)), Files.readAllBytes(e.get(i)), d.get(i).toString());
        }
        assertEquals(Files.readAllLines(driver.resolve("manifest.csv")), Files.readAllLines(executors.resolve("manifest.csv")));
    }

    /**
     * polyvae.sample.regions, basin-merge, min-region-pixels and absorb-thin-regions reach the decoding on the
     * driver and on the executors alike, change what is drawn and are named in the manifest (for stage evaluate's
     * headline); a model that does not decode by regions refuses a clean-up before anything is written.
     */
    @Test
    void theRegionDecodingSettingsReachDriverAndExecutorsAndNeedRegionDecoding() throws IOException {
        java.nio.file.Path plain = tmp.resolve("regions-all");
        new SampleStage(config(plain.toUri().toString(), "polyvae.sample.count=60")).run(sc);
        List<java.nio.file.Path> p = pngs(plain);
        FileSystem local = FileSystem.getLocal(new Configuration());
        String basins = "boundary-map basins merged under 0.40";
        assertEquals(basins, SampleManifest.read(local, new Path(plain.toUri())).regionDecoding(), "the default");
        Map<String, String> described = Map.of(
                "polyvae.sample.regions=marks", "regions at the boundary marks",
                "polyvae.sample.basin-merge=0.2", "boundary-map basins merged under 0.20",
                "polyvae.sample.min-region-pixels=12", basins + " and regions under 12 px absorbed",
                "polyvae.sample.absorb-thin-regions=true", basins + " and thin regions absorbed");
        for (String setting : described.keySet()) {
            String key = setting.substring(0, setting.indexOf('='));
            String name = key.substring(key.lastIndexOf('.') + 1);
            java.nio.file.Path driver = tmp.resolve(name + "-driver");
            java.nio.file.Path executors = tmp.resolve(name + "-executors");
            new SampleStage(config(driver.toUri().toString(), "polyvae.sample.count=60", setting)).run(sc);
            new SampleStage(config(executors.toUri().toString(), "polyvae.sample.count=60", setting,
                    "polyvae.sample.driver-max=0")).run(sc);
            List<java.nio.file.Path> d = pngs(driver);
            List<java.nio.file.Path> e = pngs(executors);
            int changed = 0;
            for (int i = 0; i < d.size(); i++) {
                assertArrayEquals(Files.readAllBytes(d.get(i)), Files.readAllBytes(e.get(i)), d.get(i).toString());
                changed += java.util.Arrays.equals(Files.readAllBytes(p.get(i)), Files.readAllBytes(d.get(i))) ? 0 : 1;
            }
            assertTrue(changed > 0, setting + " changed no sample");
            assertEquals(described.get(setting), SampleManifest.read(local, new Path(executors.toUri())).regionDecoding());
        }

        java.nio.file.Path out = tmp.resolve("mode-decoding");
        java.nio.file.Path model = Files.createDirectories(out.resolve("model"));
        PolyvaeConfig mode = config("unused", "polyvae.model.gray-decoding=mode");
        VaeArchitecture arch = new VaeArchitecture(mode.model());
        ComputationGraph vae = new ComputationGraph(arch.vae());
        vae.init();
        ModelSerializer.writeModel(vae, model.resolve("vae.zip").toFile(), false);
        ModelSerializer.writeModel(Decoders.extract(vae, arch), model.resolve("decoder.zip").toFile(), false);
        Files.writeString(model.resolve("config.conf"), mode.renderResolved());
        java.nio.file.Path samples = tmp.resolve("mode-never-drawn");
        for (String[] setting : new String[][] {{"polyvae.sample.min-region-pixels=12", "min-region-pixels = 0"},
                {"polyvae.sample.absorb-thin-regions=true", "absorb-thin-regions = false"}}) {
            ConfigError refused = assertThrows(ConfigError.class, () -> new SampleStage(config(samples.toUri()
                    .toString(), "polyvae.output.dir=" + out.toUri(), "polyvae.sample.prior=standard", setting[0]))
                    .run(sc));
            assertTrue(refused.getMessage().contains(setting[1])
                    && refused.getMessage().contains("gray-decoding = mode"), refused.getMessage());
            assertFalse(Files.exists(samples), "nothing written");
        }
    }

    @Test
    void aFailureMidWriteLeavesThePreviousOutputIntact() throws IOException {
        java.nio.file.Path target = tmp.resolve("atomic");
        String uri = target.toUri().toString();
        new SampleStage(config(uri, "polyvae.sample.count=5")).run(sc);
        byte[] before = Files.readAllBytes(target.resolve("sample-002.png"));

        AtomicOutput.OutputExistsException refused = assertThrows(AtomicOutput.OutputExistsException.class,
                () -> new SampleStage(config(uri, "polyvae.sample.count=5")).run(sc));
        assertTrue(refused.getMessage().contains("polyvae.sample.overwrite"), refused.getMessage());

        PolyvaeConfig overwrite = config(uri, "polyvae.sample.count=9", "polyvae.sample.seed=5",
                "polyvae.sample.overwrite=true");
        SampleFiles failing = new SampleFiles(overwrite.sample()) {
            private int written;

            @Override
            byte[] write(FileSystem fs, Path dir, int index, byte[] gray, int size, int windowUm) throws IOException {
                if (++written > 3) {
                    throw new IOException("injected: disk full");
                }
                return super.write(fs, dir, index, gray, size, windowUm);
            }
        };
        IOException e = assertThrows(IOException.class, () -> new SampleStage(overwrite, failing).run(sc));
        assertTrue(e.getMessage().contains("injected"));
        assertEquals(5, pngs(target).size(), "the previous 5 samples are still there");
        assertArrayEquals(before, Files.readAllBytes(target.resolve("sample-002.png")));
        try (Stream<java.nio.file.Path> s = Files.list(tmp)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".atomic.tmp")), "no temporary folder left");
        }
        new SampleStage(overwrite).run(sc);
        assertEquals(9, pngs(target).size());
    }

    @Test
    void writesToHdfs(@TempDir File base) throws IOException {
        MiniDFSCluster cluster = new MiniDFSCluster.Builder(new Configuration(), base).numDataNodes(1).build();
        try {
            cluster.waitActive();
            FileSystem hdfs = cluster.getFileSystem();
            String dir = hdfs.getUri() + "/samples";
            // Executors write (count > driver-max); every HDFS file costs a block allocation, so few files.
            new SampleStage(config(dir, "polyvae.sample.count=20", "polyvae.sample.driver-max=5",
                    "polyvae.sample.images-per-task=10", "polyvae.sample.tessellate=false")).run(sc);
            int count = 0;
            for (var st : hdfs.listStatus(new Path(dir))) {
                if (st.getPath().getName().matches("sample-\\d+\\.png")) {
                    try (InputStream in = hdfs.open(st.getPath())) {
                        BufferedImage img = ImageIO.read(in);
                        assertEquals(16, img.getWidth());
                        assertEquals(BufferedImage.TYPE_BYTE_GRAY, img.getType());
                    }
                    count++;
                }
            }
            assertEquals(20, count);
            assertTrue(hdfs.exists(new Path(dir, "manifest.csv")));
        } finally {
            cluster.shutdown();
        }
    }
}
