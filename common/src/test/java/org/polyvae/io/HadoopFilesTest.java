package org.polyvae.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HadoopFilesTest {
    @TempDir
    java.nio.file.Path dir;

    private final FileSystem fs;

    HadoopFilesTest() throws IOException {
        fs = FileSystem.getLocal(new Configuration());
    }

    private List<String> names() throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".crc")).sorted().toList();
        }
    }

    @Test
    void roundTripsBytesAndText() throws IOException {
        Path bin = new Path(dir.toUri().toString(), "sub/a.bin");
        byte[] bytes = {0, 1, (byte) 0xff, 42};
        HadoopFiles.writeBytes(fs, bin, bytes);
        assertArrayEquals(bytes, HadoopFiles.readBytes(fs, bin));

        Path text = new Path(dir.toUri().toString(), "t.txt");
        HadoopFiles.writeString(fs, text, "µm, ok\n");
        assertEquals("µm, ok\n", HadoopFiles.readString(fs, text));
        HadoopFiles.writeString(fs, text, "shorter");
        assertEquals("shorter", HadoopFiles.readString(fs, text), "overwritten, not appended");
    }

    @Test
    void atomicWriteReplacesTheFileAndLeavesNoTemporary() throws IOException {
        Path p = new Path(dir.toUri().toString(), "metrics.csv");
        HadoopFiles.writeStringAtomically(fs, p, "old");
        HadoopFiles.writeStringAtomically(fs, p, "new");
        assertEquals("new", HadoopFiles.readString(fs, p));
        assertEquals(List.of("metrics.csv"), names());
    }

    @Test
    void atomicWriteLeavesTheOldFileWhenTheWriterFails() throws IOException {
        Path p = new Path(dir.toUri().toString(), "metrics.csv");
        HadoopFiles.writeStringAtomically(fs, p, "old");
        IOException e = assertThrows(IOException.class, () -> HadoopFiles.writeAtomically(fs, p, out -> {
            out.write("half".getBytes());
            throw new IOException("disk full");
        }));
        assertEquals("disk full", e.getMessage());
        assertEquals("old", HadoopFiles.readString(fs, p));
        assertEquals(List.of("metrics.csv"), names(), "the temporary file is gone");
    }
}
