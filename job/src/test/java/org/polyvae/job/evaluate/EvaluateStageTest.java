package org.polyvae.job.evaluate;

import org.polyvae.config.MissingInputException;
import org.polyvae.job.output.Evaluation;
import org.polyvae.job.output.OutputLayout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.polyvae.job.LocalSpark;
import org.polyvae.config.PolyvaeConfig;
import org.polyvae.image.ContactSheet;
import org.polyvae.image.GrayImages;
import org.polyvae.job.synth.SynthStage;
import org.polyvae.job.batches.BatchExport;
import org.polyvae.job.batches.VaeBatchLoader;
import org.polyvae.job.report.Block;
import org.polyvae.job.report.Pngs;
import org.polyvae.job.report.Section;

/**
 * Stage evaluate on a tiny synthetic dataset, with "samples" whose verdict is known: exact copies of
 * training images (real-looking, memorised) and blurred copies (less real).
 */
class EvaluateStageTest {
    private static final int RES = 32;
    private static JavaSparkContext sc;
    @TempDir
    static java.nio.file.Path tmp;
    private static final List<byte[]> copies = new ArrayList<>();
    private static long trainImages;

    @BeforeAll
    static void start() throws IOException {
        sc = LocalSpark.start("EvaluateStageTest");
        PolyvaeConfig c = config("copies");
        new SynthStage(c).run(sc);
        BatchExport.Batches batches = new BatchExport(c.data(), c.train(), new OutputLayout(c)).ensure(sc);
        FileSystem fs = FileSystem.getLocal(sc.hadoopConfiguration());
        trainImages = batches.trainImages();
        for (String file : batches.train()) {
            try (InputStream in = fs.open(new Path(file))) {
                float[] px = VaeBatchLoader.read(in, file).getFeatures(0).castTo(DataType.FLOAT).dup('c').data().asFloat();
                for (int i = 0; i + RES * RES <= px.length && copies.size() < 40; i += RES * RES) {
                    copies.add(GrayImages.toBytes(java.util.Arrays.copyOfRange(px, i, i + RES * RES)));
                }
            }
        }
        writeSamples(tmp.resolve("copies"), copies);
        writeSamples(tmp.resolve("blurred"), copies.stream().map(g -> blur(blur(g))).toList());
    }

    @AfterAll
    static void stop() {
        if (sc != null) {
            sc.stop();
        }
    }

    static PolyvaeConfig config(String samples, String... extra) {
        List<String> o = new ArrayList<>(List.of("polyvae.data.dir=" + tmp.resolve("data").toUri(),
                "polyvae.output.dir=" + tmp.resolve("out").toUri(), "polyvae.synth.count-per-class=40",
                "polyvae.synth.image-size=32", "polyvae.synth.label-resolution=8", "polyvae.data.resolution=" + RES,
                "polyvae.train.batch-size=16", "polyvae.train.validation-fraction=0.3",
                "polyvae.evaluate.channels=[8, 16, 32]", "polyvae.evaluate.feature-width=32",
                "polyvae.evaluate.epochs=20", "polyvae.evaluate.learning-rate=0.003", "polyvae.evaluate.reference-images=32", "polyvae.evaluate.samples=" + tmp.resolve(samples).toUri()));
        o.addAll(List.of(extra));
        return PolyvaeConfig.load(List.of(), o);
    }

    private static void writeSamples(java.nio.file.Path dir, List<byte[]> images) throws IOException {
        Files.createDirectories(dir);
        for (int i = 0; i < images.size(); i++) {
            ImageIO.write(ContactSheet.gray(images.get(i), RES), "png",
                    dir.resolve(String.format("sample-%03d.png", i)).toFile());
        }
    }

    /** 3×3 box blur, borders clamped. */
    private static byte[] blur(byte[] g) {
        byte[] out = new byte[g.length];
        for (int r = 0; r < RES; r++) {
            for (int c = 0; c < RES; c++) {
                int sum = 0;
                for (int dr = -1; dr <= 1; dr++) {
                    for (int dc = -1; dc <= 1; dc++) {
                        int rr = Math.min(RES - 1, Math.max(0, r + dr));
                        int cc = Math.min(RES - 1, Math.max(0, c + dc));
                        sum += g[rr * RES + cc] & 0xFF;
                    }
                }
                out[r * RES + c] = (byte) Math.round(sum / 9.0);
            }
        }
        return out;
    }

    private static Evaluation.Microstructure generatedAll(Evaluation.SampleSet s) {
        return s.microstructure().stream().filter(m -> m.source().equals("generated") && m.windowClass().equals("all"))
                .findFirst().orElseThrow();
    }

    @Test
    void theJudgeLearnsAndCopiesOfTrainingImagesScoreAsRealAndMemorised() throws IOException {
        // An explore section already in the report: the evaluation goes after it, before its appendix.
        java.nio.file.Path report = tmp.resolve("out/report");
        new Section("Latent space", List.of(Block.Paragraph.text("explored")),
                List.of(new Block.Heading(2, "Architecture"))).write(FileSystem.getLocal(sc.hadoopConfiguration()),
                new Path(report.toUri()));

        Evaluation copied = new EvaluateStage(config("copies")).run(sc);
        Evaluation.JudgeQuality judge = copied.judge();
        assertTrue(judge.accuracy() > 0.45, "4 classes, chance 0.25: " + judge.accuracy());
        assertTrue(judge.heldOutImages() > 20, "held-out split: " + judge.heldOutImages());
        assertTrue(judge.referenceImages() > 0, "reference: " + judge.referenceImages());
        assertEquals(judge.heldOutImages() + judge.referenceImages(),
                java.util.Arrays.stream(judge.confusion()).flatMapToLong(java.util.Arrays::stream).sum());
        assertFalse(judge.reused());

        Evaluation.SampleSet c = copied.sets().get(0);
        assertEquals("raw", c.set());
        assertEquals(copies.size(), c.images());
        int n = c.frechet().realImages();
        assertTrue(n >= 10 && n <= Math.min(copies.size(), judge.heldOutImages()), "held-out images with the "
                + "reference's class mix, no more than there are samples: " + n);
        assertEquals(n, c.frechet().generatedImages());
        assertEquals(n, c.kid().realImages());
        int reference = c.kid().referenceImages();
        assertTrue(reference >= 16 && reference <= trainImages / 2, "whole batch files, at most half: " + reference);
        assertEquals(trainImages, judge.trainImages() + reference, "the reference is kept from the judge");
        assertEquals(reference, copied.reference().referenceImages());
        assertTrue(c.nearestTraining().median() < 0.003, "copies sit on training images: " + c.nearestTraining());
        assertEquals(1.0, c.nearestTraining().shareBelowHeldOutP5(), "every copy is flagged as memorised");
        assertTrue(c.nearestTraining().heldOutMedian() > 0.02, c.nearestTraining().toString());
        assertEquals(1.0, c.classMix().values().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);

        // The page, the JSON and the report section.
        java.nio.file.Path dir = tmp.resolve("out/evaluation");
        JsonNode json = new ObjectMapper().readTree(dir.resolve("evaluation.json").toFile());
        assertEquals(c.frechet().ratio(), json.at("/sets/0/frechet/ratio").asDouble(), 1e-9);
        assertEquals(c.kid().ratio(), json.at("/headline/kidRatio").asDouble(), 1e-9, "the raw samples lead");
        assertEquals(reference, json.at("/reference/referenceImages").asInt());
        assertEquals(judge.accuracy(), json.at("/judge/accuracy").asDouble(), 1e-12);
        String page = Files.readString(report.resolve("index.html"));
        assertTrue(page.indexOf("explored") < page.indexOf("<h2>Evaluation by the judge CNN</h2>")
                && page.indexOf("Evaluation by") < page.indexOf("<h2>Architecture</h2>"),
                "in the report after the explore section, before its appendix");
        assertEquals(5, count(page, "<img src=\"data:image/png;base64,"),
                "5 charts per sample set (here raw only), inlined: the report is in another folder");
        assertTrue(page.contains("Headline, the raw samples"), "the raw samples lead the summary");
        String own = Files.readString(dir.resolve("index.html"));
        Matcher img = Pattern.compile("<img src=\"([^\"]+)\"").matcher(own);
        int charts = 0;
        while (img.find()) {
            Pngs.read(dir.resolve(img.group(1)), EvaluationReport.FIGURE_WIDTH, EvaluationReport.FIGURE_HEIGHT);
            charts++;
        }
        assertEquals(5, charts, "the evaluation's own page links its charts: " + own);
        assertTrue(own.contains("<h2>Evaluation by the judge CNN</h2>") && !own.contains("explored"));

        Evaluation blurred = new EvaluateStage(config("blurred")).run(sc);
        assertTrue(blurred.judge().reused(), "same batches, same settings: the saved judge is reused");
        assertEquals(judge.accuracy(), blurred.judge().accuracy(), 1e-12);
        Evaluation.SampleSet b = blurred.sets().get(0);
        assertTrue(b.frechet().generatedVsReal() > c.frechet().generatedVsReal(),
                "blurred " + b.frechet() + " vs copies " + c.frechet());
        assertTrue(b.kid().ratio() > c.kid().ratio(), "blurred " + b.kid() + " vs copies " + c.kid());
        assertTrue(generatedAll(b).flatPixelShare() < generatedAll(c).flatPixelShare());
        assertTrue(b.nearestTraining().median() > c.nearestTraining().median());
        String again = Files.readString(report.resolve("index.html"));
        assertEquals(1, count(again, "Evaluation by the judge CNN"), "the section is replaced, not added twice");

        Evaluation retrained = new EvaluateStage(config("copies", "polyvae.evaluate.epochs=2")).run(sc);
        assertFalse(retrained.judge().reused(), "other settings: the judge is trained again");
        assertEquals(2, retrained.judge().epochs());
        Evaluation capped = new EvaluateStage(config("copies", "polyvae.evaluate.epochs=2",
                "polyvae.evaluate.image-budget=1")).run(sc);
        assertFalse(capped.judge().reused(), "fewer passes: the judge is trained again");
        assertEquals(1, capped.judge().epochs(), "a budget of one image: one pass");
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void missingSamplesAreReportedBeforeTheJudgeTrains() {
        MissingInputException e = assertThrows(MissingInputException.class,
                () -> new EvaluateStage(config("nowhere")).run(sc));
        assertTrue(e.getMessage().contains("polyvae.evaluate.samples") && e.getMessage().contains("run stage sample"),
                e.getMessage());
    }
}
