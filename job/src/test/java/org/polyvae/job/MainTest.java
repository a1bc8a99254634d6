package org.polyvae.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Command-line errors: exit code 2 and one clear line, before any Spark context starts; errors the user
 * causes while a stage runs: exit code 1 and their one message, without a stack trace. The test log
 * configuration follows System.err, so a logged trace would show in what these tests capture.
 */
class MainTest {
    /** What spark-submit would set; LocalSpark's loopback settings, read by Main's SparkConf. */
    private static final Map<String, String> SPARK = Map.of("spark.master", "local[2]", "spark.ui.enabled", "false",
            "spark.driver.host", "127.0.0.1", "spark.driver.bindAddress", "127.0.0.1");

    private record Result(int code, String err) {
    }

    private static Result run(String... args) {
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return new Result(Main.run(args), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(oldErr);
        }
    }

    @Test
    void unknownStageIsAUsageErrorListingTheStages() {
        Result r = run("synthesize");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("synth, train, sample, explore, evaluate"), r.err());
    }

    @Test
    void configErrorsExitWithTwoAndNameTheKey() {
        Result r = run("synth", "polyvae.synth.imagesize=3");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("did you mean polyvae.synth.image-size"), r.err());

        Result missing = run("synth", "--conf", "no/such/file.conf");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("no/such/file.conf"), missing.err());
    }

    @Test
    void aBadEvaluateSettingIsReportedBeforeSparkStarts() {
        Result r = run("evaluate", "polyvae.evaluate.channels=[]");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("polyvae.evaluate.channels must list 1..6 channel counts"), r.err());
    }

    @Test
    void aBadDatasetIsOneLineWithoutAStackTrace(@TempDir Path tmp) throws IOException {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(data.resolve("notes.txt"), "not a dataset");
        Result r = runStage("train", "polyvae.data.dir=" + data, "polyvae.output.dir=" + tmp.resolve("out"));
        assertEquals(1, r.code(), r.err());
        assertOneMessageWithoutTrace(r, "polyvae: train: dataset root ");
    }

    @Test
    void anExistingOutputIsOneLineWithoutAStackTrace(@TempDir Path tmp) throws IOException {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(data.resolve("keep.txt"), "someone's files");
        Result r = runStage("synth", "polyvae.data.dir=" + data, "polyvae.synth.count-per-class=1");
        assertEquals(1, r.code(), r.err());
        assertOneMessageWithoutTrace(r, "polyvae: synth: ");
        assertTrue(r.err().contains("polyvae.synth.overwrite"), r.err());
        assertTrue(Files.exists(data.resolve("keep.txt")));
    }

    private static void assertOneMessageWithoutTrace(Result r, String prefix) {
        assertEquals(1, r.err().lines().filter(l -> l.startsWith("polyvae: ")).count(), r.err());
        assertTrue(r.err().lines().anyMatch(l -> l.startsWith(prefix)), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        assertFalse(r.err().contains("stage failed"), r.err());
    }

    /** Runs a stage in a local Spark context, as spark-submit would. */
    private static Result runStage(String... args) {
        SPARK.forEach(System::setProperty);
        try {
            return run(args);
        } finally {
            SPARK.keySet().forEach(System::clearProperty);
        }
    }

    @Test
    void helpExitsCleanly() {
        assertEquals(0, Main.run("--help"));
    }
}
