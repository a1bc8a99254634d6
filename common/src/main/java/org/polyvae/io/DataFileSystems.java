package org.polyvae.io;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The FileSystem to read and write dataset files with. For file:// it is the raw local file system:
 * the checksummed one writes a {@code .name.crc} side file next to every image (the original dataset has
 * none, and a dataset should look the same whoever wrote it) and looks for one on every open, a visible
 * share of the per-image read time. HDFS keeps its own block checksums, so nothing is lost there.
 */
public final class DataFileSystems {
    private DataFileSystems() {
    }

    public static FileSystem get(Path path, Configuration conf) throws IOException {
        FileSystem fs = path.getFileSystem(conf);
        return fs instanceof LocalFileSystem local ? local.getRaw() : fs;
    }
}
