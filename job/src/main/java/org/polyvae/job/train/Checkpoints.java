package org.polyvae.job.train;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.polyvae.io.HadoopFiles;
import org.polyvae.job.output.Fingerprints;

/**
 * {@code <output.dir>/checkpoints/epoch-NNN.zip} (ModelSerializer, with the updater state so a resumed
 * run continues exactly), the newest {@code keep} of them, plus {@code settings.conf}: the model and
 * training settings they were made with, which a resumed run must match. Each checkpoint is written to a
 * temporary name and renamed, so a crash never leaves a truncated "latest" checkpoint.
 */
final class Checkpoints {
    private static final Pattern NAME = Pattern.compile("epoch-(\\d{3,})\\.zip");
    static final String SETTINGS = "settings.conf";

    private final FileSystem fs;
    private final Path dir;
    private final int keep;

    Checkpoints(FileSystem fs, Path dir, int keep) {
        this.fs = fs;
        this.dir = dir;
        this.keep = keep;
    }

    Path dir() {
        return dir;
    }

    Path file(int epoch) {
        return new Path(dir, String.format(Locale.ROOT, "epoch-%03d.zip", epoch));
    }

    List<Integer> epochs() throws IOException {
        List<Integer> out = new ArrayList<>();
        if (fs.exists(dir)) {
            for (FileStatus s : fs.listStatus(dir)) {
                Matcher m = NAME.matcher(s.getPath().getName());
                if (m.matches()) {
                    out.add(Integer.parseInt(m.group(1)));
                }
            }
        }
        out.sort(null);
        return out;
    }

    OptionalInt latest() throws IOException {
        List<Integer> e = epochs();
        return e.isEmpty() ? OptionalInt.empty() : OptionalInt.of(e.get(e.size() - 1));
    }

    void save(ComputationGraph net, int epoch) throws IOException {
        HadoopFiles.writeAtomically(fs, file(epoch), os -> ModelSerializer.writeModel(net, os, true));
        List<Integer> all = epochs();
        for (int i = 0; i < all.size() - keep; i++) {
            fs.delete(file(all.get(i)), false);
        }
    }

    ComputationGraph restore(int epoch) throws IOException {
        try (InputStream in = fs.open(file(epoch))) {
            return ModelSerializer.restoreComputationGraph(in, true);
        }
    }

    void writeSettings(Config settings) throws IOException {
        Fingerprints.write(fs, new Path(dir, SETTINGS), "The model and training settings of these checkpoints.",
                settings);
    }

    /** The settings the checkpoints were made with; empty when unknown. */
    Config readSettings() throws IOException {
        return Fingerprints.read(fs, new Path(dir, SETTINGS));
    }

    void clear() throws IOException {
        if (fs.exists(dir) && !fs.delete(dir, true)) {
            throw new IOException("could not delete old checkpoints in " + dir);
        }
    }
}
