package org.polyvae.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Command-line errors: exit code 2 and one clear line, before any Spark context starts. */
class MainTest {
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
    void helpExitsCleanly() {
        assertEquals(0, Main.run("--help"));
    }
}
