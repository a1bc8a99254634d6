package org.polyvae.job.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.polyvae.job.output.OutputLayout;
import picocli.CommandLine;

/** The sweep table: order by the raw samples' KID ratio, then Fréchet ratio, then confidence, failed presets last, files written. */
class SweepRankingTest {
    @TempDir
    Path tmp;

    private void preset(String name, String status, Double kid, Double ratio, double confident) throws IOException {
        preset(name, status, kid, ratio, confident, "null");
    }

    /** @param agreement the raw samples' requested-class agreement (a conditional model's), JSON */
    private void preset(String name, String status, Double kid, Double ratio, double confident, String agreement)
            throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.writeString(dir.resolve("status"), status + "\n");
        if (ratio != null) {
            Files.createDirectories(dir.resolve("evaluation"));
            Files.writeString(dir.resolve("evaluation/evaluation.json"), String.format(Locale.ROOT, """
                    {"samples":"x","judge":{"accuracy":0.9},
                     "sets":[{"set":"raw","confidentShare":%s,"kid":{"ratio":%s},"frechet":{"ratio":%s},"e11":{"w1Gpa":1.5},
                              "nearestTraining":{"shareBelowHeldOutP5":0.0},"conditioning":%s,
                              "microstructure":[{"source":"generated","windowClass":"all","grainsPerImage":40.0,
                                                 "flatPixelShare":0.1,"largestGrainShare":0.25}]}]}
                    """, confident, kid, ratio, agreement.equals("null") ? "null" : "{\"agreement\":" + agreement + "}"));
        }
    }

    @Test
    void ranksByKidRatioThenFrechetRatioThenConfidenceWithFailuresLast() throws IOException {
        // beta-2 has the best Fréchet ratio but the worst KID ratio: last of the three.
        preset("beta-2", "ok", 30.0, 5.0, 0.1, "0.75");
        preset("baseline", "ok", 2.0, 9.5, 0.0);
        preset("wide", "ok", 2.0, 9.5, 0.3);
        preset("broken", "failed (exit 1, see sweep.log)", null, null, 0);
        Files.createDirectories(tmp.resolve(OutputLayout.JUDGE));
        assertEquals(0, new CommandLine(new SweepRanking()).execute(tmp.toString()));

        List<String> csv = Files.readAllLines(tmp.resolve("ranking.csv"));
        assertEquals(5, csv.size(), "header and one row per preset; the shared judge folder is not a preset");
        assertTrue(csv.get(1).startsWith("1,wide,ok,2.00000,9.50000,0.300000"), csv.get(1));
        assertTrue(csv.get(2).startsWith("2,baseline,"), csv.get(2));
        assertTrue(csv.get(3).startsWith("3,beta-2,"), csv.get(3));
        assertTrue(csv.get(4).startsWith(",broken,\"failed (exit 1, see sweep.log)\","), csv.get(4));
        try (CSVParser parsed = CSVParser.parse(tmp.resolve("ranking.csv"), StandardCharsets.UTF_8,
                CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build())) {
            List<CSVRecord> records = parsed.getRecords();
            assertEquals("failed (exit 1, see sweep.log)", records.get(3).get("status"), "a comma in a cell survives");
            assertEquals("", records.get(3).get("frechet_ratio"));
            assertEquals("", records.get(3).get("kid_ratio"));
            assertEquals(0.75, Double.parseDouble(records.get(2).get("requested_class_agreement")), 1e-12);
            assertEquals(0.25, Double.parseDouble(records.get(0).get("largest_grain_share")), 1e-12);
        }
        String md = Files.readString(tmp.resolve("ranking.md"));
        assertTrue(md.contains("| 1 | wide | 2.0 | 9.50 | 0.30 | – | – | – | 40.0 | 0.100 | 0.250 | 1.50 | 0.00 | 0.90 |"), md);
        assertTrue(md.contains("| – | broken | failed"), md);
        assertTrue(md.contains("| 3 | beta-2 | 30.0 | 5.00 | 0.10 | – | – | – | 40.0 | 0.100 | 0.250 | 1.50 | 0.00 | 0.90 | 0.75 | – |"), md);
        assertTrue(csv.get(3).endsWith(",0.750000,"), "requested-class agreement, none for tessellated: " + csv.get(3));
    }

    @Test
    void anEmptyOrMissingSweepFolderIsAnError() {
        assertEquals(2, new CommandLine(new SweepRanking()).execute(tmp.toString()));
        assertEquals(2, new CommandLine(new SweepRanking()).execute(tmp.resolve("nope").toString()));
    }

    @Test
    void aBrokenEvaluationNamesTheFile() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("p/evaluation"));
        Files.writeString(dir.resolve("evaluation.json"), "{not json");
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> SweepRanking.read(org.apache.hadoop.fs.FileSystem.getLocal(new org.apache.hadoop.conf.Configuration()),
                        new org.apache.hadoop.fs.Path(tmp.resolve("p").toUri())));
        assertTrue(e.getMessage().contains("evaluation.json is not valid JSON"), e.getMessage());
    }
}
