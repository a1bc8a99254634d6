package org.polyvae.job.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The card reads back as written, takes the evaluation's headline without losing the rest, and says so in Markdown. */
class ModelCardTest {
    @TempDir
    java.nio.file.Path tmp;

    private static ModelCard card() {
        Map<String, Long> perClass = new LinkedHashMap<>();
        perClass.put("2x2", 240L);
        perClass.put("10x10", 240L);
        return new ModelCard("2026-12-02T12:00:00Z",
                new ModelCard.Architecture(1_234_567, 345_678, 256, 64, true, "categorical",
                        List.of(new ModelCard.Layer("enc-0", "FastConvolution", 160))),
                Map.of("model", Map.of("beta", 0.3)),
                new ModelCard.Dataset("file:/data", perClass, 480, 120, "ab".repeat(32), null),
                new ModelCard.Training(30, 612.5, 85.2, new ModelCard.Losses(7600, 7000, 600, 66),
                        new ModelCard.Losses(7593, 6990, 603, Double.NaN)),
                new ModelCard.Onnx(13, 7, Map.of("decoder.onnx", "z [batch, 256] → image"), null), null);
    }

    @Test
    void readsBackAndTakesTheEvaluationHeadline() throws IOException {
        FileSystem fs = FileSystem.getLocal(new Configuration());
        Path model = new Path(tmp.toUri());
        card().writeInto(fs, model);
        ModelCard read = ModelCard.read(fs, OutputLayout.modelCard(model));
        assertEquals(card().architecture(), read.architecture());
        assertEquals(card().dataset(), read.dataset());
        assertEquals(card().onnx(), read.onnx());
        assertTrue(Double.isNaN(read.training().finalValidation().adversarial()));
        assertNull(read.evaluation());
        String md = Files.readString(tmp.resolve(ModelCard.MARKDOWN));
        assertTrue(md.contains("1,234,567 parameters") && md.contains("2x2 µm: 240") && md.contains("decoder.onnx")
                && md.contains("file list SHA-256 " + "ab".repeat(32)), md);

        Evaluation.Headline headline = new Evaluation.Headline("raw", 4.9, 3.17, 0.76, 0.91, 2.1, Map.of(), null);
        read.withEvaluation(headline).writeInto(fs, model);
        ModelCard evaluated = ModelCard.read(fs, OutputLayout.modelCard(model));
        assertEquals(headline, evaluated.evaluation());
        assertEquals(card().training().finalTrain(), evaluated.training().finalTrain());
        assertTrue(Files.readString(tmp.resolve(ModelCard.MARKDOWN)).contains("(raw samples): KID ratio 4.90"));
        read.withEvaluation(new Evaluation.Headline("raw", 4.9, 3.17, 0.76, 0.91, 2.1, Map.of(),
                "thin regions absorbed")).writeInto(fs, model);
        assertTrue(Files.readString(tmp.resolve(ModelCard.MARKDOWN)).contains("(raw samples; region decoding: thin regions absorbed)"),
                "the card says how the evaluated samples were decoded");
        try (var files = Files.list(tmp)) {
            // (Hadoop's local file system keeps a .crc checksum beside each file.)
            assertEquals(List.of(ModelCard.FILE, ModelCard.MARKDOWN), files.map(f -> f.getFileName().toString())
                    .filter(n -> !n.endsWith(".crc")).sorted().toList(), "no temporary file left beside the card");
        }
    }

    @Test
    void aFileThatIsNotACardIsNamed() throws IOException {
        FileSystem fs = FileSystem.getLocal(new Configuration());
        java.nio.file.Path file = tmp.resolve(ModelCard.FILE);
        Files.writeString(file, "{\"architecture\": [1, 2]");
        IOException e = assertThrows(IOException.class, () -> ModelCard.read(fs, new Path(file.toUri())));
        assertTrue(e.getMessage().contains(ModelCard.FILE) && e.getMessage().contains("model card"), e.getMessage());
    }
}
