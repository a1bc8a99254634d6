package org.polyvae.job.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.polyvae.config.PolyvaeConfig;

/** The defaults of conf/application.conf put every stage's folder under polyvae.output.dir as documented. */
class OutputLayoutTest {
    @Test
    void theConfigurableFoldersDefaultToTheLayoutsNames() {
        OutputLayout layout = new OutputLayout(PolyvaeConfig.load(List.of(), List.of("polyvae.output.dir=/runs/a")));
        assertEquals(new Path("/runs/a/samples"), layout.samples());
        assertEquals(new Path("/runs/a/report"), layout.report());
        assertEquals(new Path("/runs/a/evaluation"), layout.evaluation());
        assertEquals(new Path("/runs/a", OutputLayout.JUDGE), layout.judge(), "the sweep ranking skips this folder");
        assertEquals(new Path("/runs/a/model/decoder.zip"), OutputLayout.decoderZip(layout.model()));
        assertEquals(new Path("/runs/a/batches/validation"), OutputLayout.batches(layout.batches(), OutputLayout.VALIDATION));
        assertEquals(new Path("/runs/a/judge/judge.conf"), OutputLayout.judgeFingerprint(layout.judge()));
    }

    @Test
    void sampleNamesAreRecognised() {
        assertEquals("sample-007.png", OutputLayout.sampleName(7, 3));
        assertEquals("sample-1234.png", OutputLayout.sampleName(1234, 3));
        assertTrue(OutputLayout.isSampleName(OutputLayout.sampleName(12, 5)));
        assertFalse(OutputLayout.isSampleName("contact-sheet.png"));
        assertFalse(OutputLayout.isSampleName("sample-001.png.tmp"));
    }
}
