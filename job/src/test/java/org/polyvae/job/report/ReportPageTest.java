package org.polyvae.job.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.polyvae.config.PolyvaeConfig;
import org.polyvae.job.report.Block.Cell;
import org.polyvae.job.report.Block.Heading;
import org.polyvae.job.report.Block.Paragraph;
import org.polyvae.job.report.Block.Span;

/** The one page writer: sections from their folders, in pipeline order, escaped, figures linked or inlined. */
class ReportPageTest {
    private static final Configuration HADOOP = new Configuration();
    @TempDir
    java.nio.file.Path tmp;

    private PolyvaeConfig config() {
        return PolyvaeConfig.load(List.of(), List.of("polyvae.output.dir=" + tmp.resolve("out").toUri()));
    }

    private static FileSystem local() throws IOException {
        return FileSystem.getLocal(HADOOP);
    }

    private static Section explore() {
        return new Section("Latent space", List.of(new Heading(3, "Traversals"), new Block.Figure("t.png", "traversals", null),
                Paragraph.of(Span.text("a < b & \"c\" "), Span.code("<x>"), Span.link("latents.csv", "latents.csv"))),
                List.of(new Heading(2, "Architecture"), new Block.Preformatted("layer <1>\n  & more")));
    }

    private static Section evaluate() {
        return new Section("Evaluation by the judge CNN", List.of(new Block.Table(List.of(
                List.of(Cell.th("true \\ predicted"), Cell.th("2x2")), List.of(Cell.th("2x2"), Cell.td("3", true)))),
                new Block.Figure("figures/raw-e11.png", "E11", 520), new Block.Items(List.of("one <li>"))), List.of());
    }

    private static void png(java.nio.file.Path file, int width) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage image = new BufferedImage(width, 3, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setSample(1, 1, 0, 200);
        ImageIO.write(image, "png", file.toFile());
    }

    @Test
    void sectionsComeInPipelineOrderWhateverOrderTheyWereWrittenIn() throws IOException {
        PolyvaeConfig c = config();
        java.nio.file.Path report = tmp.resolve("out/report");
        java.nio.file.Path evaluation = tmp.resolve("out/evaluation");
        png(evaluation.resolve("figures/raw-e11.png"), 7);
        evaluate().write(local(), new Path(evaluation.toUri()));
        png(report.resolve("t.png"), 5);
        explore().write(local(), new Path(report.toUri()));

        ReportPage.publish(HADOOP, c);
        String html = Files.readString(report.resolve(ReportPage.FILE));
        int latent = html.indexOf("<h2>Latent space</h2>");
        int judge = html.indexOf("<h2>Evaluation by the judge CNN</h2>");
        int architecture = html.indexOf("<h2>Architecture</h2>");
        assertTrue(latent > 0 && latent < judge && judge < architecture,
                "explore, evaluate, then the appendix: " + latent + ", " + judge + ", " + architecture);
        assertTrue(html.contains("<img src=\"t.png\" alt=\"traversals\">"), "a figure beside the page is linked");
        String inlined = "<img src=\"data:image/png;base64,";
        int at = html.indexOf(inlined);
        assertTrue(at > judge, "another folder's figure is inlined");
        String data = html.substring(at + inlined.length(), html.indexOf('"', at + inlined.length()));
        assertEquals(7, ImageIO.read(new java.io.ByteArrayInputStream(Base64.getDecoder().decode(data))).getWidth());
        assertTrue(html.contains("\" alt=\"E11\" width=\"520\">"));
        try (var files = Files.list(report)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith("." + ReportPage.FILE + ".tmp")),
                    "no temporary file left");
        }
    }

    @Test
    void textIsEscapedWhereverItAppears() throws IOException {
        String html = ReportPage.render("a & b", List.of(explore(), evaluate()),
                List.<ReportPage.FigureSource>of(f -> f, f -> "x/" + f));
        assertTrue(html.contains("<title>a &amp; b</title>") && html.contains("<h1>a &amp; b</h1>"));
        assertTrue(html.contains("<p>a &lt; b &amp; &quot;c&quot; <code>&lt;x&gt;</code>"
                + "<a href=\"latents.csv\">latents.csv</a></p>"), html);
        assertTrue(html.contains("<pre>layer &lt;1&gt;\n  &amp; more</pre>"));
        assertTrue(html.contains("<tr><th>true \\ predicted</th><th>2x2</th></tr>"));
        assertTrue(html.contains("<tr><th>2x2</th><td class=\"strong\">3</td></tr>"));
        assertTrue(html.contains("<li>one &lt;li&gt;</li>"));
        assertTrue(html.contains("<img src=\"x/figures/raw-e11.png\""));
        assertFalse(html.contains("<x>") || html.contains("<1>"), "no text reaches the page unescaped");
    }

    @Test
    void aMissingSectionIsLeftOut() throws IOException {
        PolyvaeConfig c = config();
        java.nio.file.Path evaluation = tmp.resolve("out/evaluation");
        png(evaluation.resolve("figures/raw-e11.png"), 7);
        evaluate().write(local(), new Path(evaluation.toUri()));

        ReportPage.publish(HADOOP, c);
        String html = Files.readString(tmp.resolve("out/report").resolve(ReportPage.FILE));
        assertTrue(html.contains("<h2>Evaluation by the judge CNN</h2>"));
        assertFalse(html.contains("Latent space") || html.contains("Architecture"), "no explore section yet");

        png(tmp.resolve("out/report/t.png"), 5);
        explore().write(local(), new Path(tmp.resolve("out/report").toUri()));
        Files.delete(evaluation.resolve(Section.FILE));
        ReportPage.publish(HADOOP, c);
        html = Files.readString(tmp.resolve("out/report").resolve(ReportPage.FILE));
        assertTrue(html.contains("<h2>Latent space</h2>") && !html.contains("judge"), "the evaluation is gone again");
    }

    @Test
    void aSectionSurvivesItsJsonAndABrokenOneIsNamed() throws IOException {
        Path dir = new Path(tmp.toUri());
        explore().write(local(), dir);
        assertEquals(explore(), Section.read(local(), dir));
        assertEquals(null, Section.read(local(), new Path(tmp.resolve("nowhere").toUri())));
        Files.writeString(tmp.resolve(Section.FILE), "{\"title\": 3, \"body\": [{\"type\": \"poem\"}]}");
        IOException e = assertThrows(IOException.class, () -> Section.read(local(), dir));
        assertTrue(e.getMessage().contains(Section.FILE), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Block.Figure("../evaluation/x.png", "x", null));
    }
}
