package org.polyvae.job.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
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

/** A fingerprint read back equals the one written, whatever its layout; any changed value makes it differ. */
class FingerprintsTest {
    @TempDir
    java.nio.file.Path tmp;

    private static Config fingerprint(double fraction) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", "hdfs://nn:8020/data/polysilicon");
        m.put("images", 480);
        m.put("label-sum", 81234.567891);
        m.put("validation-fraction", fraction);
        m.put("split-seed", 7L);
        m.put("channels", List.of(16, 32));
        return ConfigFactory.parseMap(m, "test");
    }

    @Test
    void roundTripsAndComparesByValue() throws IOException {
        FileSystem fs = FileSystem.getLocal(new Configuration());
        Path file = new Path(tmp.toUri().toString(), "batches.conf");
        Config written = fingerprint(0.2).withValue("train-images", ConfigFactory.parseString("n = 384").getValue("n"));
        Fingerprints.write(fs, file, "what the batches were made from", written);

        Config read = Fingerprints.read(fs, file);
        assertEquals(written, read);
        assertEquals(fingerprint(0.2), read.withoutPath("train-images"), "a documented subset: without the counts");
        assertNotEquals(fingerprint(0.25), read.withoutPath("train-images"), "another split");
        assertTrue(Files.readString(tmp.resolve("batches.conf")).startsWith("# what the batches were made from\n"));

        // Written by hand, in another order and style: still the same fingerprint.
        Files.writeString(tmp.resolve("hand.conf"), "channels = [16, 32]\nsplit-seed = 7, images = 480\n"
                + "validation-fraction = 0.2\nlabel-sum = 81234.567891\ndataset = \"hdfs://nn:8020/data/polysilicon\"\n");
        assertEquals(fingerprint(0.2), Fingerprints.read(fs, new Path(tmp.toUri().toString(), "hand.conf")));
    }

    @Test
    void aMissingOrBrokenFileMatchesNothing() throws IOException {
        FileSystem fs = FileSystem.getLocal(new Configuration());
        assertTrue(Fingerprints.read(fs, new Path(tmp.toUri().toString(), "absent.conf")).isEmpty());
        Files.writeString(tmp.resolve("broken.conf"), "dataset = {");
        assertTrue(Fingerprints.read(fs, new Path(tmp.toUri().toString(), "broken.conf")).isEmpty());
    }
}
