package org.polyvae.job.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A stage's part of the report page, as data: {@value #FILE} in the stage's output folder, its figures
 * beside it. {@link ReportPage} renders every section present into one page.
 *
 * @param body     under the section's title, in place
 * @param appendix reference material (a model summary, a configuration) that the page puts after every
 *                 section's body, so findings come before details
 */
public record Section(String title, List<Block> body, List<Block> appendix) {
    public static final String FILE = "section.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public Section {
        body = List.copyOf(body);
        appendix = List.copyOf(appendix);
    }

    /** Writes {@value #FILE} into {@code dir}. */
    public void write(FileSystem fs, Path dir) throws IOException {
        try (OutputStream out = fs.create(new Path(dir, FILE), true)) {
            JSON.writeValue(out, this);
        }
    }

    /** The section in {@code dir}, or null when there is none. */
    public static Section read(FileSystem fs, Path dir) throws IOException {
        Path file = new Path(dir, FILE);
        if (!fs.exists(file)) {
            return null;
        }
        try (InputStream in = fs.open(file)) {
            return JSON.readValue(in, Section.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException(fs.makeQualified(file) + " is not a report section (" + e.getOriginalMessage()
                    + "); run the stage that wrote it again", e);
        }
    }
}
