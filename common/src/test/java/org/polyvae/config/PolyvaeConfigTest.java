package org.polyvae.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.polyvae.data.WindowClass;

class PolyvaeConfigTest {
    @TempDir
    Path dir;

    private File write(String hocon) throws IOException {
        Path f = dir.resolve("user.conf");
        Files.writeString(f, hocon);
        return f.toFile();
    }

    @Test
    void defaultsMatchTheDocumentedContract() {
        PolyvaeConfig c = PolyvaeConfig.defaultsOnly();
        assertEquals("data/polysilicon", c.data().dir());
        assertEquals(64, c.data().resolution());
        assertEquals(EnumSet.allOf(WindowClass.class), c.data().classes());
        assertEquals("out", c.output().dir());
        assertNull(c.synth().countPerClass());
        assertEquals(7772, c.synth().count(WindowClass.W2));
        assertEquals(3817, c.synth().count(WindowClass.W10));
        assertEquals(128, c.synth().imageSize());
        assertEquals(false, c.synth().overwrite());
    }

    @Test
    void theJudgesImageBudgetCapsItsPassesOverALargeTrainingSplit() {
        EvaluateSettings e = PolyvaeConfig.load(List.of(), List.of("polyvae.evaluate.epochs=150",
                "polyvae.evaluate.image-budget=300000")).evaluate();
        assertEquals(150, e.judgeEpochs(580), "a small split: every pass");
        assertEquals(150, e.judgeEpochs(2000), "exactly the budget");
        assertEquals(150, e.judgeEpochs(1999), "151 passes would fit: polyvae.evaluate.epochs caps them");
        assertEquals(20, e.judgeEpochs(15_000));
        assertEquals(21, e.judgeEpochs(14_286), "300,000 / 14,286 = 20.9996: the pass that crosses the budget runs");
        assertEquals(1, e.judgeEpochs(1_000_000), "at least one pass");
        ConfigError bad = assertThrows(ConfigError.class, () -> PolyvaeConfig.load(List.of(),
                List.of("polyvae.evaluate.image-budget=0")));
        assertTrue(bad.getMessage().contains("polyvae.evaluate.image-budget"), bad.getMessage());
    }

    @Test
    void overridesWinOverTheFileWhichWinsOverDefaults() throws IOException {
        File f = write("polyvae.synth { count-per-class = 300, image-size = 96 }\npolyvae.data.resolution = 32");
        PolyvaeConfig c = PolyvaeConfig.load(f, List.of("polyvae.synth.image-size=200"));
        assertEquals(300, c.synth().count(WindowClass.W5));
        assertEquals(200, c.synth().imageSize());
        assertEquals(32, c.data().resolution());
        assertEquals(64, c.synth().labelResolution());
    }

    @Test
    void laterOverridesWinAndUrisSurviveVerbatim() {
        PolyvaeConfig c = PolyvaeConfig.load(List.of(), List.of(
                "polyvae.data.dir=hdfs://namenode:8020/polysilicon",
                "polyvae.synth.count-per-class=10",
                "polyvae.synth.count-per-class=20",
                "polyvae.data.classes=[2, 10]"));
        assertEquals("hdfs://namenode:8020/polysilicon", c.data().dir());
        assertEquals(20, c.synth().countPerClass());
        assertEquals(EnumSet.of(WindowClass.W2, WindowClass.W10), c.data().classes());
    }

    @Test
    void nullOverrideRestoresTheOriginalCounts() throws IOException {
        File f = write("polyvae.synth.count-per-class = 300");
        PolyvaeConfig c = PolyvaeConfig.load(f, List.of("polyvae.synth.count-per-class=null"));
        assertEquals(3980, c.synth().count(WindowClass.W3));
    }

    @Test
    void systemPropertiesOverrideTheFile() throws IOException {
        File f = write("polyvae.synth.image-size = 96");
        System.setProperty("polyvae.synth.image-size", "112");
        ConfigFactory.invalidateCaches();
        try {
            assertEquals(112, PolyvaeConfig.load(f, List.of()).synth().imageSize());
            assertEquals(150, PolyvaeConfig.load(f, List.of("polyvae.synth.image-size=150")).synth().imageSize());
        } finally {
            System.clearProperty("polyvae.synth.image-size");
            ConfigFactory.invalidateCaches();
        }
    }

    @Test
    void unknownKeyNamesTheNearestValidOne() throws IOException {
        File f = write("polyvae.synth.imagesize = 96");
        ConfigError e = assertThrows(ConfigError.class, () -> PolyvaeConfig.load(f, List.of()));
        assertTrue(e.getMessage().contains("polyvae.synth.imagesize"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean polyvae.synth.image-size"), e.getMessage());
        assertTrue(e.getMessage().contains("user.conf"), e.getMessage());

        ConfigError fromOverride = assertThrows(ConfigError.class,
                () -> PolyvaeConfig.load(List.of(), List.of("polyvae.dta.dir=/x")));
        assertTrue(fromOverride.getMessage().contains("did you mean polyvae.data.dir"), fromOverride.getMessage());
    }

    @Test
    void keysOutsidePolyvaeAreNotOurs() {
        assertEquals(64, PolyvaeConfig.load(List.of(), List.of("spark.foo=1")).data().resolution());
    }

    @Test
    void wrongTypeNamesKeyValueAndExpectation() {
        ConfigError e = assertThrows(ConfigError.class,
                () -> PolyvaeConfig.load(List.of(), List.of("polyvae.synth.image-size=large")));
        assertTrue(e.getMessage().contains("polyvae.synth.image-size"), e.getMessage());
        assertTrue(e.getMessage().contains("large"), e.getMessage());
        assertTrue(e.getMessage().contains("an integer in [16, 4096]"), e.getMessage());

        ConfigError bool = assertThrows(ConfigError.class,
                () -> PolyvaeConfig.load(List.of(), List.of("polyvae.synth.overwrite=maybe")));
        assertTrue(bool.getMessage().contains("true or false"), bool.getMessage());
    }

    @Test
    void outOfRangeNamesTheAllowedRange() {
        ConfigError e = assertThrows(ConfigError.class,
                () -> PolyvaeConfig.load(List.of(), List.of("polyvae.synth.jpeg-quality=0.5")));
        assertTrue(e.getMessage().contains("polyvae.synth.jpeg-quality = \"0.5\""), e.getMessage());
        assertTrue(e.getMessage().contains("[0.95, 1.0]"), e.getMessage());

        ConfigError cls = assertThrows(ConfigError.class,
                () -> PolyvaeConfig.load(List.of(), List.of("polyvae.data.classes=[2, 4]")));
        assertTrue(cls.getMessage().contains("no window class of 4"), cls.getMessage());

        ConfigError zero = assertThrows(ConfigError.class,
                () -> PolyvaeConfig.load(List.of(), List.of("polyvae.synth.grain-density=0")));
        assertTrue(zero.getMessage().contains("(0.0, 1000.0]"), zero.getMessage());
    }

    @Test
    void badFilesAndBadOverridesAreClear() throws IOException {
        ConfigError missing = assertThrows(ConfigError.class,
                () -> PolyvaeConfig.load(dir.resolve("nope.conf").toFile(), List.of()));
        assertTrue(missing.getMessage().contains("nope.conf"), missing.getMessage());

        File broken = write("polyvae { synth { image-size = ");
        ConfigError syntax = assertThrows(ConfigError.class, () -> PolyvaeConfig.load(broken, List.of()));
        assertTrue(syntax.getMessage().contains("user.conf"), syntax.getMessage());

        ConfigError noEquals = assertThrows(ConfigError.class,
                () -> PolyvaeConfig.load(List.of(), List.of("polyvae.synth.seed")));
        assertTrue(noEquals.getMessage().contains("not key=value"), noEquals.getMessage());
    }

    @Test
    void sectionReplacedByAScalarIsAnError() {
        ConfigError e = assertThrows(ConfigError.class,
                () -> PolyvaeConfig.load(List.of(), List.of("polyvae.synth=3")));
        assertTrue(e.getMessage().contains("polyvae.synth"), e.getMessage());
    }

    @Test
    void renderedConfigLoadsBackToTheSameSettings() throws IOException {
        PolyvaeConfig c = PolyvaeConfig.load(List.of(), List.of("polyvae.synth.count-per-class=42"));
        File f = write(c.renderResolved());
        PolyvaeConfig again = PolyvaeConfig.load(f, List.of());
        assertEquals(c.synth(), again.synth());
        assertEquals(c.data(), again.data());
    }

    @Test
    void optionValuesAreEnumsReadFromTheValuesUsersWrite() {
        PolyvaeConfig c = PolyvaeConfig.load(List.<File>of(), List.of("polyvae.model.decoder=upsample-conv",
                "polyvae.model.weight-init=lecun-normal", "polyvae.train.repartition=num-partitions-workers-differs",
                "polyvae.train.storage-level=MEMORY_AND_DISK", "polyvae.sample.tessellate-method=bands"));
        assertEquals(ModelSettings.Decoder.UPSAMPLE_CONV, c.model().decoder());
        assertEquals(ModelSettings.WeightInit.LECUN_NORMAL, c.model().weightInit());
        assertEquals(TrainSettings.Repartitioning.NUM_PARTITIONS_WORKERS_DIFFERS, c.train().repartition());
        assertEquals(TrainSettings.StorageLevel.MEMORY_AND_DISK, c.train().storageLevel());
        assertEquals(SampleSettings.TessellateMethod.BANDS, c.sample().tessellateMethod());
        assertEquals(ModelSettings.Latent.SPATIAL, PolyvaeConfig.defaultsOnly().model().latent());

        ConfigError e = assertThrows(ConfigError.class,
                () -> PolyvaeConfig.load(List.<File>of(), List.of("polyvae.model.decoder=PIXEL_SHUFFLE")));
        assertTrue(e.getMessage().startsWith("polyvae.model.decoder = \"PIXEL_SHUFFLE\" (command-line override"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("expected one of deconv, upsample-conv, pixel-shuffle"), e.getMessage());
        assertThrows(ConfigError.class,
                () -> PolyvaeConfig.load(List.<File>of(), List.of("polyvae.train.storage-level=memory_only")));
    }

    @Test
    void integersAreNotTruncatedNorClamped() {
        ConfigError e = assertThrows(ConfigError.class,
                () -> PolyvaeConfig.load(List.<File>of(), List.of("polyvae.train.epochs=2.5")));
        assertTrue(e.getMessage().contains("polyvae.train.epochs"), e.getMessage());
        assertThrows(ConfigError.class, () -> PolyvaeConfig.load(List.<File>of(), List.of("polyvae.model.seed=1e30")));
        assertEquals(3, PolyvaeConfig.load(List.<File>of(), List.of("polyvae.train.epochs=3.0")).train().epochs());
    }
}
