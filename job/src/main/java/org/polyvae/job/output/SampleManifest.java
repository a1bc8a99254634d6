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
 * polyvae.sample.e11-target was set, column {@value #E11_TARGET_COLUMN}), how region decoding made it (a
 * region-decoding model's samples only, column {@value #REGION_DECODING_COLUMN}) and latent vector z. Written by
 * stage sample, read back by stage evaluate to know which class (and E11) each sample was drawn for and how it was
 * decoded.
 */
public final class SampleManifest {
    /** The column of a conditional sample's requested window size (µm). */
    public static final String CLASS_COLUMN = "class_um";
    /** The column of the E11 (GPa) the samples were drawn toward. */
    public static final String E11_TARGET_COLUMN = "e11_target_gpa";
    /**
     * The column of how region decoding made the samples: where it found the regions, and what it then removed
     * (polyvae.sample.regions, basin-merge, min-region-pixels, absorb-thin-regions).
     */
    public static final String REGION_DECODING_COLUMN = "region_decoding";
    /** What manifests written before polyvae.sample.regions called that column (it named a clean-up only). */
    private static final String OLD_CLEANUP_COLUMN = "decoding_cleanup";
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
     * @param regionDecoding how region decoding made every sample, in words, or null (then no column)
     */
    public static void write(FileSystem fs, Path dir, int codeLength, boolean conditional, Double e11Target,
            String regionDecoding, Iterable<Row> rows) throws IOException {
        List<String> header = new ArrayList<>(List.of("file", "seed"));
        if (conditional) {
            header.add(CLASS_COLUMN);
        }
        if (e11Target != null) {
            header.add(E11_TARGET_COLUMN);
        }
        if (regionDecoding != null) {
            header.add(REGION_DECODING_COLUMN);
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
                if (regionDecoding != null) {
                    cells.add(regionDecoding);
                }
                for (double z : r.z()) {
                    cells.add(String.format(Locale.ROOT, "%.6f", z));
                }
                csv.printRecord(cells);
            }
        }
    }

    /**
     * What stage evaluate reads of a sample folder's manifest.
     *
     * @param requestedClasses each sample's requested window size (µm) by file name; empty for an unconditional
     *                         model's samples (or without a manifest)
     * @param e11Target        the E11 (GPa) the samples were drawn toward, or null
     * @param regionDecoding   how region decoding made the samples (polyvae.sample.regions, basin-merge,
     *                         min-region-pixels, absorb-thin-regions), in words, or null for a model without it
     */
    public record Drawn(Map<String, Integer> requestedClasses, Double e11Target, String regionDecoding) {
    }

    /**
     * How the samples in {@code samplesDir} were drawn, from its manifest in one pass; all empty or null when
     * there is no manifest.
     *
     * @throws IOException naming the manifest, the line and the column of a value that does not parse
     */
    public static Drawn read(FileSystem fs, Path samplesDir) throws IOException {
        Path manifest = OutputLayout.sampleManifest(samplesDir);
        Map<String, Integer> classes = new LinkedHashMap<>();
        Double e11Target = null;
        String decoding = null;
        if (!fs.exists(manifest)) {
            return new Drawn(classes, null, null);
        }
        try (Reader r = new InputStreamReader(fs.open(manifest), StandardCharsets.UTF_8);
             CSVParser csv = CSVParser.parse(r, FORMAT.builder().setHeader().setSkipHeaderRecord(true).build())) {
            Map<String, Integer> header = csv.getHeaderMap();
            for (CSVRecord row : csv) {
                if (header.containsKey(CLASS_COLUMN)) {
                    classes.put(row.get(0), parse(fs, manifest, csv, row, CLASS_COLUMN, "a window size (µm)",
                            Integer::parseInt));
                }
                if (header.containsKey(E11_TARGET_COLUMN)) {
                    e11Target = parse(fs, manifest, csv, row, E11_TARGET_COLUMN, "an E11 in GPa", Double::parseDouble);
                }
                for (String column : List.of(REGION_DECODING_COLUMN, OLD_CLEANUP_COLUMN)) {
                    if (header.containsKey(column)) {
                        decoding = row.get(column).trim();
                    }
                }
            }
        }
        return new Drawn(classes, e11Target, decoding);
    }

    private static <T> T parse(FileSystem fs, Path manifest, CSVParser csv, CSVRecord row, String column,
            String expected, java.util.function.Function<String, T> parse) throws IOException {
        try {
            return parse.apply(row.get(column).trim());
        } catch (RuntimeException e) {
            throw new IOException(fs.makeQualified(manifest) + " line " + csv.getCurrentLineNumber() + ": expected "
                    + expected + " in column " + column + ", got '" + String.join(",", row.toList()) + "'", e);
        }
    }
}
