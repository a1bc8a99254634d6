package org.polyvae.job.sample;

import org.polyvae.job.sample.SampleFiles;
import org.polyvae.data.Seeds;
import org.polyvae.job.sample.LatentSampler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A sample folder's {@code manifest.csv}: one row per sample with its file name, seed, window class (a
 * conditional model's samples only, column {@value #CLASS_COLUMN}) and latent vector z. Written by stage
 * sample, read back by stage evaluate to know which class each sample was drawn for.
 */
public final class SampleManifest {
    public static final String FILE = "manifest.csv";
    /** The column of a conditional sample's requested window size (µm). */
    public static final String CLASS_COLUMN = "class_um";

    private SampleManifest() {
    }

    static void write(FileSystem fs, Path dir, int count, long seed, SampleFiles files, LatentSampler sampler)
            throws IOException {
        try (OutputStream os = fs.create(new Path(dir, FILE), true)) {
            StringBuilder header = new StringBuilder("file,seed");
            if (sampler.conditional()) {
                header.append(',').append(CLASS_COLUMN);
            }
            for (int j = 0; j < sampler.codeLength(); j++) {
                header.append(",z").append(j);
            }
            os.write(header.append('\n').toString().getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < count; i++) {
                StringBuilder row = new StringBuilder(files.name(i)).append(',').append(Seeds.sample(seed, i));
                if (sampler.conditional()) {
                    row.append(',').append(sampler.windowClass(i));
                }
                for (double z : sampler.latent(i)) {
                    row.append(',').append(String.format(Locale.ROOT, "%.6f", z));
                }
                os.write(row.append('\n').toString().getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    /**
     * Each sample's requested window size (µm) by file name, from {@code samplesDir}'s manifest when a
     * class-conditional model drew them; empty when there is no manifest or it has no class column.
     */
    public static Map<String, Integer> requestedClasses(FileSystem fs, Path samplesDir) throws IOException {
        Path manifest = new Path(samplesDir, FILE);
        Map<String, Integer> requested = new LinkedHashMap<>();
        if (!fs.exists(manifest)) {
            return requested;
        }
        List<String> lines;
        try (InputStream in = fs.open(manifest)) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        int column = lines.isEmpty() ? -1 : Arrays.asList(lines.get(0).split(",")).indexOf(CLASS_COLUMN);
        if (column < 0) {
            return requested;
        }
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",");
            try {
                requested.put(cells[0], Integer.parseInt(cells[column].trim()));
            } catch (RuntimeException e) {
                throw new IOException(fs.makeQualified(manifest) + " line " + (i + 1) + ": expected a window size (µm) in "
                        + "column " + CLASS_COLUMN + ", got '" + lines.get(i) + "'", e);
            }
        }
        return requested;
    }
}
