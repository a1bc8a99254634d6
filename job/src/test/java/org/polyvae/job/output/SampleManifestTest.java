package org.polyvae.job.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What stage sample writes into manifest.csv, stage evaluate reads back in one pass; a bad value is named. */
class SampleManifestTest {
    @TempDir
    java.nio.file.Path tmp;

    private static final List<SampleManifest.Row> ROWS = List.of(
            new SampleManifest.Row("sample-000.png", 7, 2, new double[] {0.5, -1}),
            new SampleManifest.Row("sample-001.png", 8, 10, new double[] {1.5, 0.25}));

    @Test
    void readsBackTheClassesTheTargetAndTheRegionDecoding() throws IOException {
        FileSystem fs = FileSystem.getLocal(new Configuration());
        Path dir = new Path(tmp.toUri());
        String decoding = "boundary-map basins merged under 0.40 and thin regions absorbed";
        SampleManifest.write(fs, dir, 2, true, 140.0, decoding, ROWS);
        SampleManifest.Drawn drawn = SampleManifest.read(fs, dir);
        assertEquals(Map.of("sample-000.png", 2, "sample-001.png", 10), drawn.requestedClasses());
        assertEquals(140.0, drawn.e11Target());
        assertEquals(decoding, drawn.regionDecoding());
        assertTrue(java.nio.file.Files.readAllLines(tmp.resolve("manifest.csv")).get(0).contains("region_decoding"));

        SampleManifest.write(fs, dir, 2, false, null, null, ROWS);
        SampleManifest.Drawn plain = SampleManifest.read(fs, dir);
        assertTrue(plain.requestedClasses().isEmpty(), "an unconditional model's samples have no class");
        assertNull(plain.e11Target());
        assertNull(plain.regionDecoding(), "no column for a model without region decoding");

        SampleManifest.Drawn none = SampleManifest.read(fs, new Path(tmp.resolve("absent").toUri()));
        assertTrue(none.requestedClasses().isEmpty() && none.e11Target() == null && none.regionDecoding() == null);
    }

    @Test
    void aValueThatDoesNotParseIsNamedWithItsFileLineAndColumn() throws IOException {
        Files.writeString(tmp.resolve("manifest.csv"), "file,seed,class_um,z0\nsample-000.png,7,2,0.5\n"
                + "sample-001.png,8,ten,0.25\n");
        IOException e = assertThrows(IOException.class,
                () -> SampleManifest.read(FileSystem.getLocal(new Configuration()), new Path(tmp.toUri())));
        assertTrue(e.getMessage().contains("manifest.csv") && e.getMessage().contains("line 3")
                && e.getMessage().contains("class_um") && e.getMessage().contains("window size"), e.getMessage());
    }

    /** A manifest written before polyvae.sample.regions existed names its clean-up in column decoding_cleanup. */
    @Test
    void readsTheCleanupColumnOfEarlierManifests() throws IOException {
        java.nio.file.Files.writeString(tmp.resolve("manifest.csv"),
                "file,seed,class_um,decoding_cleanup,z0\nsample-000.png,7,2,thin regions absorbed,0.5\n");
        SampleManifest.Drawn drawn = SampleManifest.read(FileSystem.getLocal(new Configuration()),
                new Path(tmp.toUri()));
        assertEquals("thin regions absorbed", drawn.regionDecoding());
        assertEquals(Map.of("sample-000.png", 2), drawn.requestedClasses());
    }
}
