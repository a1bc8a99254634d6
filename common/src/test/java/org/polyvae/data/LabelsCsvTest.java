package org.polyvae.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LabelsCsvTest {

    private static double[] read(String text) throws IOException {
        return LabelsCsv.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "labels.csv");
    }

    @Test
    void writeThenReadIsExact() throws IOException {
        Random random = new Random(7);
        double[] labels = new double[200];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = 50 + 200 * random.nextDouble();
        }
        labels[0] = 1e-9;
        labels[1] = -3.25e12;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LabelsCsv.write(labels, out);
        assertArrayEquals(labels, LabelsCsv.read(new ByteArrayInputStream(out.toByteArray()), "x"));
    }

    @Test
    void toleratesCrlfBomWhitespaceAndTrailingBlankLines() throws IOException {
        assertArrayEquals(new double[] {1.5, 2, -3e2, 0.25},
                read("\uFEFF1.5\r\n 2 \r\n-3e2\r\n.25\r\n\r\n\n  \n"));
    }

    @Test
    void emptyFileHasNoLabels() throws IOException {
        assertArrayEquals(new double[0], read(""));
    }

    @Test
    void nonNumericLabelNamesFileAndLine() {
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> read("1.0\n2.0\nabc\n4.0\n"));
        assertTrue(e.getMessage().contains("labels.csv") && e.getMessage().contains("line 3"), e.getMessage());
    }

    @Test
    void nonFiniteAndNonDecimalLabelsAreRejected() {
        for (String bad : new String[] {"NaN", "Infinity", "-Infinity", "1e999", "0x1p3", "2d", "1,5", "1;2"}) {
            DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> read("1\n" + bad + "\n"),
                    bad);
            assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        }
    }

    @Test
    void blankLineBetweenValuesIsAnError() {
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> read("1\n\n2\n"));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("line 3"), e.getMessage());
    }

    @Test
    void writeRejectsNonFiniteLabels() {
        assertThrows(IllegalArgumentException.class,
                () -> LabelsCsv.write(new double[] {1, Double.NaN}, new ByteArrayOutputStream()));
    }
}
