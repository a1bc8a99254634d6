package org.polyvae.job.explore;

import org.polyvae.job.latent.EncodedImage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.polyvae.job.LocalSpark;
import org.polyvae.config.PolyvaeConfig;
import org.polyvae.image.ContactSheet;
import org.polyvae.job.report.Pngs;
import org.polyvae.job.synth.SynthStage;
import org.polyvae.job.train.TrainStage;

/** Stage explore on a tiny trained model: every figure, the table and the page. */
class ExploreStageTest {
    private static JavaSparkContext sc;
    @TempDir
    static java.nio.file.Path tmp;

    @BeforeAll
    static void start() {
        sc = LocalSpark.start("ExploreStageTest");
    }

    @AfterAll
    static void stop() {
        if (sc != null) {
            sc.stop();
        }
    }

    @Test
    void writesTheReportWithEveryFigure() throws IOException {
        PolyvaeConfig c = PolyvaeConfig.load(List.of(), List.of("polyvae.data.dir=" + tmp.resolve("data").toUri(),
                "polyvae.output.dir=" + tmp.resolve("out").toUri(), "polyvae.synth.count-per-class=12",
                "polyvae.synth.image-size=32", "polyvae.synth.label-resolution=8", "polyvae.data.resolution=16",
                "polyvae.model.encoder-channels=[8, 16]", "polyvae.train.epochs=1", "polyvae.train.batch-size=8",
                "polyvae.explore.traversal-dims=3", "polyvae.explore.traversal-steps=5"));
        new SynthStage(c).run(sc);
        new TrainStage(c).run(sc);
        new ExploreStage(c).run(sc);

        java.nio.file.Path report = tmp.resolve("out/report");
        String html = Files.readString(report.resolve("index.html"));
        Matcher img = Pattern.compile("<img src=\"([^\"]+)\"").matcher(html);
        Map<String, BufferedImage> figures = new LinkedHashMap<>();
        while (img.find()) {
            figures.put(img.group(1), Pngs.read(report.resolve(img.group(1))));
        }
        // The default model is conditional: the class figure and the grids at the largest class; no samples drawn.
        int classes = c.data().classes().size();
        int steps = 5;
        Map<String, int[]> expected = new LinkedHashMap<>();
        expected.put("loss.png", new int[] {800, 500});
        expected.put("classes.png", grid(ExploreFigures.CLASS_GRID_DRAWS, classes));
        expected.put("traversals.png", grid(steps, 3));
        expected.put("traversals-real.png", grid(steps, 3));
        expected.put("manifold.png", grid(steps, steps));
        expected.put("interpolations.png", grid(steps, classes - 1));
        expected.put("latent-scatter.png", new int[] {700, 550});
        assertEquals(expected.keySet(), figures.keySet(), "every figure, in page order");
        expected.forEach((f, size) -> assertArrayEquals(size,
                new int[] {figures.get(f).getWidth(), figures.get(f).getHeight()}, f));
        for (String section : List.of("<h2>Latent space of the polysilicon VAE</h2>", "<h2>Training</h2>",
                "<h2>The class condition</h2>", "<h2>Global variables</h2>", "<h3>Traversals</h3>",
                "<h3>Manifold of the two most informative global variables</h3>", "<h3>The dataset on g1 and g2</h3>",
                "<h3>Disentanglement</h3>", "<h2>Code maps: the dataset's and the priors'</h2>",
                "<h2>Interpolations between classes</h2>",
                "<h2>Activity of the code's own variables</h2>", "<h2>Architecture</h2>",
                "<h2>Resolved configuration</h2>")) {
            assertTrue(html.contains(section), section);
        }
        assertFalse(html.contains("Samples from the prior"), "no samples were drawn");
        assertTrue(html.contains("<th>r with E11 (GPa)</th>") && html.contains("Total Parameters"),
                "tables and the architecture summary");
        assertTrue(html.indexOf("Disentanglement") < html.indexOf("<h2>Architecture</h2>"), "findings before details");

        List<String> csv = Files.readAllLines(report.resolve("latents.csv"));
        int code = c.model().codeLength();
        assertEquals(1 + code, csv.size());
        double previousKl = Double.MAX_VALUE;
        for (String row : csv.subList(1, csv.size())) {
            String[] f = row.split(",");
            double kl = Double.parseDouble(f[1]);
            assertTrue(kl >= 0 && kl <= previousKl, "sorted by KL, non-negative: " + row);
            previousKl = kl;
            for (int k = 2; k < 6; k++) {
                double r = Double.parseDouble(f[k]);
                assertTrue(r >= -1 && r <= 1, row);
            }
        }

        // Per class, the dataset's codes and as many Gaussian draws (no autoregressive prior was trained).
        List<String> codeSteps = Files.readAllLines(report.resolve("code-steps.csv"));
        assertEquals("class,source,codes,small_step_share,step_excess_kurtosis", codeSteps.get(0));
        assertEquals(1 + 2 * classes, codeSteps.size());
        int encoded = 0;
        for (int k = 1; k < codeSteps.size(); k += 2) {
            String[] data = codeSteps.get(k).split(",");
            String[] drawn = codeSteps.get(k + 1).split(",");
            assertEquals(data[0], drawn[0]);
            assertEquals(CodeMapComparison.Source.ENCODED.label(), data[1]);
            assertEquals(CodeMapComparison.Source.GAUSSIAN.label(), drawn[1]);
            assertEquals(data[2], drawn[2], "as many draws as codes");
            encoded += Integer.parseInt(data[2]);
            for (String[] row : List.of(data, drawn)) {
                double share = Double.parseDouble(row[3]);
                assertTrue(share > 0 && share <= 1, String.join(",", row));
            }
        }
        assertEquals(classes * 12, encoded, "every image of every class, training and validation");

        List<String> global = Files.readAllLines(report.resolve("global-variables.csv"));
        assertEquals(1 + code, global.size(), "one global variable per code dimension");
        double share = 0;
        double previous = Double.MAX_VALUE;
        for (String row : global.subList(1, global.size())) {
            String[] f = row.split(",", -1);
            double variance = Double.parseDouble(f[1]);
            assertTrue(variance >= 0 && variance <= previous, "most variance first: " + row);
            previous = variance;
            share += Double.parseDouble(f[2]);
            for (int k = 3; k < 8; k++) {
                double r = Double.parseDouble(f[k]);
                assertTrue(r >= -1 && r <= 1, row);
            }
        }
        assertEquals(1.0, share, 1e-3, "the shares add up to the code's variance");
        assertTrue(global.get(1).split(",", -1)[8].length() > 0 && global.get(4).split(",", -1)[8].isEmpty(),
                "traversal columns for the 3 traversed variables only");
    }

    /** The size of a contact sheet of {@code columns} × {@code rows} tiles at the figures' tile size. */
    private static int[] grid(int columns, int rows) {
        List<ContactSheet.Tile> tiles = java.util.Collections.nCopies(columns * rows,
                new ContactSheet.Tile(new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY), ""));
        BufferedImage sheet = ContactSheet.render(tiles, columns, 64);
        return new int[] {sheet.getWidth(), sheet.getHeight()};
    }

    @Test
    void correlationAndKlOnKnownCases() {
        assertEquals(1.0, LatentAnalysis.pearson(new double[] {1, 2, 3}, new double[] {2, 4, 6}), 1e-12);
        assertEquals(-1.0, LatentAnalysis.pearson(new double[] {1, 2, 3}, new double[] {3, 2, 1}), 1e-12);
        assertEquals(0.0, LatentAnalysis.pearson(new double[] {1, 1, 1}, new double[] {3, 2, 1}), 1e-12);
        // A prior-matching posterior carries no information: KL 0; mu = 1, logvar = 0 gives 0.5 nats.
        LatentAnalysis a = new LatentAnalysis(List.of(
                new EncodedImage(2, 150, 100, 5, 800, new float[] {0, 1}, new float[] {0, 0}),
                new EncodedImage(10, 149, 120, 90, 45, new float[] {0, 1}, new float[] {0, 0})));
        assertEquals(0.0, a.kl[0], 1e-12);
        assertEquals(0.5, a.kl[1], 1e-12);
        assertEquals(1, a.byKl[0]);
        assertEquals(1, a.active(0.01));
    }
}
