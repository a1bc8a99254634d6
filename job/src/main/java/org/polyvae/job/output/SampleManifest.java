package org.polyvae.job.output;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A sample folder's {@code manifest.csv}: one row per sample with its file name, seed, window class (a
 * conditional model's samples only, column {@value #CLASS_COLUMN}), the E11 it was drawn toward (only when
 * polyvae.sample.e11-target was set, column {@value #E11_TARGET_COLUMN}), what region decoding removed (only when
 * a clean-up was set, column {@value #DECODING_CLEANUP_COLUMN}) and latent vector z. Written by stage sample, read
 * back by stage evaluate to know which class (and E11) each sample was drawn for and how it was decoded.
 */
public final class SampleManifest {
    /** The column of a conditional sample's requested window size (µm). */
    public static final String CLASS_COLUMN = "class_um";
    /** The column of the E11 (GPa) the samples were drawn toward. */
    public static final String E11_TARGET_COLUMN = "e11_target_gpa";
    /** The column of the region clean-up the samples were decoded with (polyvae.sample.min-region-pixels, ...). */
    public static final String DECODING_CLEANUP_COLUMN = "decoding_cleanup";
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setRecordSeparator('\n').build();

    /**
     * One sample.
     *
     * @param classUm the window size (µm) it was drawn as; null for an unconditional model's sample
     */
    public record Row(String file, long seed, Integer classUm, double[] z) {
    }

    private SampleManifest() {
    }

    /**
     * Writes {@code manifest.csv} into {@code dir}, streaming the rows.
     *
     * @param conditional whether the rows have a class (the column is written only then)
     * @param e11Target   the E11 (GPa) every sample was drawn toward, or null (then no column)
     * @param cleanup     what region decoding removed from every sample, in words, or null (then no column)
     */
    public static void write(FileSystem fs, Path dir, int codeLength, boolean conditional, Double e11Target,
            String cleanup, Iterable<Row> rows) throws IOException {
        List<String> header = new ArrayList<>(List.of("file", "seed"));
        if (conditional) {
            header.add(CLASS_COLUMN);
        }
        if (e11Target != null) {
            header.add(E11_TARGET_COLUMN);
        }
        if (cleanup != null) {
            header.add(DECODING_CLEANUP_COLUMN);
        }
        for (int j = 0; j < codeLength; j++) {
            header.add("z" + j);
        }
        Path file = OutputLayout.sampleManifest(dir);
        try (Writer w = new OutputStreamWriter(fs.create(file, true), StandardCharsets.UTF_8);
             CSVPrinter csv = new CSVPrinter(w, FORMAT)) {
            csv.printRecord(header);
            List<Object> cells = new ArrayList<>(header.size());
            for (Row r : rows) {
                cells.clear();
                cells.add(r.file());
                cells.add(r.seed());
                if (conditional) {
                    cells.add(r.classUm());
                }
                if (e11Target != null) {
                    cells.add(e11Target);
                }
                if (cleanup != null) {
                    cells.add(cleanup);
                }
                for (double z : r.z()) {
                    cells.add(String.format(Locale.ROOT, "%.6f", z));
                }
                csv.printRecord(cells);
            }
        }
    }

    /**
     * The E11 (GPa) the samples in {@code samplesDir} were drawn toward, or null when they were not (or there
     * is no manifest).
     */
    public static Double e11Target(FileSystem fs, Path samplesDir) throws IOException {
        Map<String, Double> targets = column(fs, samplesDir, E11_TARGET_COLUMN, "an E11 in GPa", Double::parseDouble);
        return targets.isEmpty() ? null : targets.values().iterator().next();
    }

    /**
     * What region decoding removed from the samples in {@code samplesDir} (polyvae.sample.min-region-pixels,
     * absorb-thin-regions), in words, or null when nothing was (or there is no manifest).
     */
    public static String decodingCleanup(FileSystem fs, Path samplesDir) throws IOException {
        Map<String, String> cleanup = column(fs, samplesDir, DECODING_CLEANUP_COLUMN, "a decoding clean-up", v -> v);
        return cleanup.isEmpty() ? null : cleanup.values().iterator().next();
    }

    /**
     * Each sample's requested window size (µm) by file name, from {@code samplesDir}'s manifest when a
     * class-conditional model drew them; empty when there is no manifest or it has no class column.
     */
    public static Map<String, Integer> requestedClasses(FileSystem fs, Path samplesDir) throws IOException {
        return column(fs, samplesDir, CLASS_COLUMN, "a window size (µm)", Integer::parseInt);
    }

    /** One column of the manifest by file name, parsed; empty when there is no manifest or no such column. */
    private static <T> Map<String, T> column(FileSystem fs, Path samplesDir, String column, String expected,
            java.util.function.Function<String, T> parse) throws IOException {
        Path manifest = OutputLayout.sampleManifest(samplesDir);
        Map<String, T> values = new LinkedHashMap<>();
        if (!fs.exists(manifest)) {
            return values;
        }
        try (Reader r = new InputStreamReader(fs.open(manifest), StandardCharsets.UTF_8);
             CSVParser csv = CSVParser.parse(r, FORMAT.builder().setHeader().setSkipHeaderRecord(true).build())) {
            if (!csv.getHeaderMap().containsKey(column)) {
                return values;
            }
            for (CSVRecord row : csv) {
                try {
                    values.put(row.get(0), parse.apply(row.get(column).trim()));
                } catch (RuntimeException e) {
                    throw new IOException(fs.makeQualified(manifest) + " line " + csv.getCurrentLineNumber()
                            + ": expected " + expected + " in column " + column + ", got '"
                            + String.join(",", row.toList()) + "'", e);
                }
            }
        }
        return values;
    }
}
