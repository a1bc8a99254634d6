package org.polyvae.io;

import java.io.IOException;
import java.util.UUID;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.polyvae.config.UserError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a folder all-or-nothing on any Hadoop FileSystem: everything goes into a hidden temporary
 * sibling of the target ({@code .<name>.tmp-<uuid>}, same file system, so the final move is a rename),
 * and {@link #commit()} renames it into place. Until then an existing target is untouched; if the job
 * fails, {@link #close()} deletes the temporary folder. An existing non-empty target is refused at
 * {@link #begin} unless overwriting was asked for, so no work is wasted on a run that cannot publish.
 */
public final class AtomicOutput implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AtomicOutput.class);

    private final FileSystem fs;
    private final Path target;
    private final Path tmp;
    private boolean committed;

    private AtomicOutput(FileSystem fs, Path target, Path tmp) {
        this.fs = fs;
        this.target = target;
        this.tmp = tmp;
    }

    /**
     * Checks the target and creates the temporary folder.
     *
     * @param overwriteKey the config key that allows replacing a non-empty target, named in the error
     */
    public static AtomicOutput begin(FileSystem fs, Path target, boolean overwrite, String overwriteKey)
            throws IOException {
        Path qualified = fs.makeQualified(target);
        if (fs.exists(qualified)) {
            FileStatus status = fs.getFileStatus(qualified);
            if (!status.isDirectory()) {
                throw new OutputExistsException(qualified + " exists and is a file, not a folder; move it away first");
            }
            int entries = fs.listStatus(qualified).length;
            if (entries > 0 && !overwrite) {
                throw new OutputExistsException(qualified + " already exists and is not empty (" + entries
                        + " entries); set " + overwriteKey + "=true to replace it");
            }
        }
        Path parent = qualified.getParent();
        if (parent == null) {
            throw new IOException("cannot write to the file system root " + qualified + ": name a folder");
        }
        fs.mkdirs(parent);
        Path tmp = new Path(parent, "." + qualified.getName() + ".tmp-" + UUID.randomUUID());
        if (!fs.mkdirs(tmp)) {
            throw new IOException("cannot create temporary folder " + tmp);
        }
        return new AtomicOutput(fs, qualified, tmp);
    }

    /** The temporary folder to write everything into. */
    public Path tmp() {
        return tmp;
    }

    public Path target() {
        return target;
    }

    /** Moves the temporary folder into place, replacing (and then deleting) any previous target. */
    public void commit() throws IOException {
        if (committed) {
            throw new IllegalStateException("already committed: " + target);
        }
        Path old = null;
        if (fs.exists(target)) {
            // FileSystem.rename into an existing folder would nest the new one inside it: move the old aside.
            old = new Path(target.getParent(), "." + target.getName() + ".old-" + UUID.randomUUID());
            if (!fs.rename(target, old)) {
                throw new IOException("cannot move the previous " + target + " aside to " + old);
            }
        }
        if (!fs.rename(tmp, target)) {
            if (old != null && !fs.rename(old, target)) {
                throw new IOException("cannot rename " + tmp + " to " + target + ", and restoring the previous "
                        + "output from " + old + " failed too: it is still there");
            }
            throw new IOException("cannot rename " + tmp + " to " + target + " (previous output left in place)");
        }
        committed = true;
        if (old != null && !fs.delete(old, true)) {
            LOG.warn("new output is in place at {}, but the previous one at {} could not be deleted", target, old);
        }
    }

    /** Deletes the temporary folder unless the output was committed. */
    @Override
    public void close() {
        if (committed) {
            return;
        }
        try {
            fs.delete(tmp, true);
        } catch (IOException e) {
            LOG.warn("could not delete the temporary folder {}: {}", tmp, e.toString());
        }
    }

    /** The target exists and may not be replaced. */
    public static final class OutputExistsException extends IOException implements UserError {
        private static final long serialVersionUID = 1L;

        public OutputExistsException(String message) {
            super(message);
        }
    }
}
