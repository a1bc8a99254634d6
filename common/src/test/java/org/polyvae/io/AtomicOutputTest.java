package org.polyvae.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicOutputTest {
    @TempDir
    java.nio.file.Path dir;

    private final FileSystem fs;

    AtomicOutputTest() throws IOException {
        fs = FileSystem.getLocal(new Configuration());
    }

    private void write(Path p, String text) throws IOException {
        try (FSDataOutputStream out = fs.create(p, true)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private String[] siblings() throws IOException {
        return Files.list(dir).map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
    }

    @Test
    void nothingIsVisibleUntilCommit() throws IOException {
        Path target = new Path(dir.toUri().toString(), "dataset");
        try (AtomicOutput out = AtomicOutput.begin(fs, target, false, "polyvae.synth.overwrite")) {
            write(new Path(out.tmp(), "a/b.txt"), "new");
            assertFalse(fs.exists(target));
            out.commit();
        }
        assertTrue(fs.exists(new Path(target, "a/b.txt")));
        assertEquals(1, siblings().length, Arrays.toString(siblings()));
    }

    @Test
    void existingOutputIsRefusedWithoutOverwriteAndNamesTheKey() throws IOException {
        Path target = new Path(dir.toUri().toString(), "dataset");
        write(new Path(target, "old.txt"), "old");
        IOException e = assertThrows(AtomicOutput.OutputExistsException.class,
                () -> AtomicOutput.begin(fs, target, false, "polyvae.synth.overwrite"));
        assertTrue(e.getMessage().contains("polyvae.synth.overwrite=true"), e.getMessage());
        assertTrue(e.getMessage().contains("dataset"), e.getMessage());
    }

    @Test
    void failureBeforeCommitLeavesThePreviousOutputIntact() throws IOException {
        Path target = new Path(dir.toUri().toString(), "dataset");
        write(new Path(target, "old.txt"), "old");
        try (AtomicOutput out = AtomicOutput.begin(fs, target, true, "k")) {
            write(new Path(out.tmp(), "new.txt"), "new");
            // the job dies here: no commit
        }
        assertTrue(fs.exists(new Path(target, "old.txt")));
        assertFalse(fs.exists(new Path(target, "new.txt")));
        assertEquals(1, siblings().length, "temporary folder must be removed: " + Arrays.toString(siblings()));
    }

    @Test
    void overwriteReplacesTheWholeFolder() throws IOException {
        Path target = new Path(dir.toUri().toString(), "dataset");
        write(new Path(target, "old.txt"), "old");
        try (AtomicOutput out = AtomicOutput.begin(fs, target, true, "k")) {
            write(new Path(out.tmp(), "new.txt"), "new");
            out.commit();
        }
        assertFalse(fs.exists(new Path(target, "old.txt")), "old files must not survive next to new ones");
        assertTrue(fs.exists(new Path(target, "new.txt")));
        assertEquals(1, siblings().length, Arrays.toString(siblings()));
    }

    @Test
    void anEmptyExistingFolderNeedsNoOverwrite() throws IOException {
        Path target = new Path(dir.toUri().toString(), "dataset");
        fs.mkdirs(target);
        try (AtomicOutput out = AtomicOutput.begin(fs, target, false, "k")) {
            write(new Path(out.tmp(), "x"), "x");
            out.commit();
        }
        assertTrue(fs.exists(new Path(target, "x")));
    }

    @Test
    void aFileInTheWayIsAnError() throws IOException {
        Path target = new Path(dir.toUri().toString(), "dataset");
        write(target, "not a folder");
        IOException e = assertThrows(AtomicOutput.OutputExistsException.class,
                () -> AtomicOutput.begin(fs, target, true, "k"));
        assertTrue(e.getMessage().contains("is a file"), e.getMessage());
    }
}
