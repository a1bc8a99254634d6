package org.polyvae.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Whole small files on any Hadoop FileSystem: read, write, and replace atomically. Folders written
 * all-or-nothing go through {@link AtomicOutput}; this is the single-file counterpart.
 */
public final class HadoopFiles {
    private HadoopFiles() {
    }

    /** The writer of a file's content; may fail, in which case {@link #writeAtomically} leaves the old file. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    public static byte[] readBytes(FileSystem fs, Path path) throws IOException {
        try (InputStream in = fs.open(path)) {
            return in.readAllBytes();
        }
    }

    public static String readString(FileSystem fs, Path path) throws IOException {
        return new String(readBytes(fs, path), StandardCharsets.UTF_8);
    }

    /** Creates or overwrites {@code path} (and its parent folders) with {@code bytes}. */
    public static void writeBytes(FileSystem fs, Path path, byte[] bytes) throws IOException {
        write(fs, path, out -> out.write(bytes));
    }

    /** Creates or overwrites {@code path} with {@code text} in UTF-8. */
    public static void writeString(FileSystem fs, Path path, String text) throws IOException {
        writeBytes(fs, path, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Creates or overwrites {@code path} with what {@code writer} writes. */
    public static void write(FileSystem fs, Path path, Writer writer) throws IOException {
        try (OutputStream out = fs.create(path, true)) {
            writer.write(out);
        }
    }

    /** Replaces {@code path} with {@code text} (UTF-8) as {@link #writeAtomically} does: never half a file. */
    public static void writeStringAtomically(FileSystem fs, Path path, String text) throws IOException {
        writeAtomically(fs, path, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Replaces {@code path} with what {@code writer} writes: the content goes to a hidden temporary sibling
     * (same folder, so the move is a rename) that is renamed over the target once complete. If the writer
     * fails, the temporary file is deleted and an existing target is left as it was.
     */
    public static void writeAtomically(FileSystem fs, Path path, Writer writer) throws IOException {
        Path parent = path.getParent();
        if (parent == null) {
            throw new IOException("cannot write the file system root " + path + ": name a file");
        }
        Path tmp = new Path(parent, "." + path.getName() + ".tmp-" + UUID.randomUUID());
        boolean moved = false;
        try {
            write(fs, tmp, writer);
            // Hadoop's rename does not replace an existing file: delete it first (the window between the two
            // leaves no file rather than half a file).
            if (fs.exists(path) && !fs.delete(path, false)) {
                throw new IOException("cannot replace " + path + ": deleting the previous file failed");
            }
            if (!fs.rename(tmp, path)) {
                throw new IOException("cannot rename " + tmp + " to " + path);
            }
            moved = true;
        } finally {
            if (!moved) {
                fs.delete(tmp, false);
            }
        }
    }
}
