package org.polyvae.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The labels file of a chunk: one E11 value per line, no header, one row per present image in ascending
 * image number.
 *
 * <p>Reading tolerates what Windows tools leave behind (CRLF line ends, a UTF-8 byte order mark, blank
 * lines at the end) but nothing that could shift rows: a blank line followed by more values is an error.
 * Writing uses {@link Double#toString(double)}, the shortest text that parses back to the same double, so
 * a write/read round trip is exact.
 */
public final class LabelsCsv {
    // Plain decimal or scientific notation only. Double.parseDouble alone would also accept "NaN",
    // "Infinity", hex floats and a trailing 'd'/'f', none of which belongs in a labels file.
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final char BOM = '\uFEFF';

    private LabelsCsv() {
    }

    public static double[] read(FileSystem fs, Path file) throws IOException {
        try (FSDataInputStream in = fs.open(file)) {
            return read(in, file.toString());
        }
    }

    /**
     * @param source names the file in error messages
     * @throws DatasetFormatException naming {@code source} and the 1-based line number of a value that is
     *                                not a finite decimal number
     */
    public static double[] read(InputStream in, String source) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        List<Double> values = new ArrayList<>();
        int firstBlankLine = 0;
        int lineNumber = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lineNumber++;
            if (lineNumber == 1 && !line.isEmpty() && line.charAt(0) == BOM) {
                line = line.substring(1);
            }
            String text = line.strip();
            if (text.isEmpty()) {
                if (firstBlankLine == 0) {
                    firstBlankLine = lineNumber;
                }
                continue;
            }
            if (firstBlankLine != 0) {
                throw new DatasetFormatException(source + ": blank line " + firstBlankLine
                        + " before the value on line " + lineNumber
                        + "; expected one E11 value per line with no gaps");
            }
            values.add(parse(text, source, lineNumber));
        }
        double[] result = new double[values.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = values.get(i);
        }
        return result;
    }

    private static double parse(String text, String source, int lineNumber) throws DatasetFormatException {
        double value = NUMBER.matcher(text).matches() ? Double.parseDouble(text) : Double.NaN;
        if (!Double.isFinite(value)) {
            throw new DatasetFormatException(source + ": line " + lineNumber + " is \"" + abbreviate(text)
                    + "\"; expected one finite number (the E11 label) per line");
        }
        return value;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    public static void write(FileSystem fs, Path file, double[] labels) throws IOException {
        try (OutputStream out = fs.create(file, true)) {
            write(labels, out);
        }
    }

    /** Writes one value per line with '\n' line ends; does not close {@code out}. */
    public static void write(double[] labels, OutputStream out) throws IOException {
        Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        StringBuilder line = new StringBuilder(32);
        for (int i = 0; i < labels.length; i++) {
            if (!Double.isFinite(labels[i])) {
                throw new IllegalArgumentException("label " + i + " is " + labels[i] + "; labels must be finite");
            }
            line.setLength(0);
            writer.append(line.append(labels[i]).append('\n'));
        }
        writer.flush();
    }
}
