package org.polyvae.job.train;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.knowm.xchart.BitmapEncoder;
import org.polyvae.io.HadoopFiles;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/**
 * {@code <output.dir>/metrics/train.csv}: one row per epoch. Rewritten whole and swapped in atomically
 * after every epoch: Hadoop's local file system cannot append, and a crash must not leave half a row.
 */
public final class TrainMetrics {
    static final String[] COLUMNS = {"epoch", "train_loss", "train_reconstruction", "train_kl", "validation_loss",
            "validation_reconstruction", "validation_kl", "images_per_second", "seconds", "learning_rate",
            "train_adversarial", "validation_adversarial"};
    /** Files written before the adversarial columns: read with NaN in them. */
    private static final int COLUMNS_BEFORE_ADVERSARIAL = 10;
    public static final String HEADER = String.join(",", COLUMNS);
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setRecordSeparator('\n').build();

    /**
     * One epoch. Losses are per image; {@code trainLoss}/{@code valLoss} the negative ELBO, the adversarial
     * columns the discriminator's cross-entropy (NaN without the adversarial term).
     */
    public record Row(int epoch, double trainLoss, double trainRecon, double trainKl, double valLoss, double valRecon,
               double valKl, double imagesPerSecond, double seconds, double learningRate, double trainAdversarial,
               double valAdversarial) {
        /** The CSV cells, rounded as the file keeps them. */
        List<String> csv() {
            return List.of(String.valueOf(epoch), f("%.6f", trainLoss), f("%.6f", trainRecon), f("%.6f", trainKl),
                    f("%.6f", valLoss), f("%.6f", valRecon), f("%.6f", valKl), f("%.2f", imagesPerSecond),
                    f("%.2f", seconds), f("%.6g", learningRate), f("%.6f", trainAdversarial),
                    f("%.6f", valAdversarial));
        }

        private static String f(String format, double v) {
            return String.format(Locale.ROOT, format, v);
        }

        static Row parse(CSVRecord r, String source) {
            if (r.size() != COLUMNS.length && r.size() != COLUMNS_BEFORE_ADVERSARIAL) {
                throw new IllegalStateException(source + " line " + r.getRecordNumber() + ": expected "
                        + COLUMNS.length + " columns (" + HEADER + "), got: " + String.join(",", r.toList()));
            }
            double[] v = new double[COLUMNS.length];
            java.util.Arrays.fill(v, Double.NaN);
            for (int i = 0; i < r.size(); i++) {
                v[i] = Double.parseDouble(r.get(i));
            }
            return new Row((int) v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11]);
        }
    }

    private final FileSystem fs;
    private final Path csv;
    private final List<Row> rows = new ArrayList<>();

    /** @param csv the metrics file ({@code OutputLayout#trainMetrics()}) */
    TrainMetrics(FileSystem fs, Path csv) {
        this.fs = fs;
        this.csv = csv;
    }

    List<Row> rows() {
        return rows;
    }

    /** Loads the rows of epochs up to {@code lastEpoch} (a resumed run continues after them). */
    void loadUpTo(int lastEpoch) throws IOException {
        rows.clear();
        if (!fs.exists(csv)) {
            return;
        }
        try (Reader in = new InputStreamReader(fs.open(csv), StandardCharsets.UTF_8);
             CSVParser parser = CSVParser.parse(in, FORMAT.builder().setHeader().setSkipHeaderRecord(true)
                     .setIgnoreEmptyLines(true).build())) {
            for (CSVRecord r : parser) {
                Row row = Row.parse(r, csv.toString());
                if (row.epoch() <= lastEpoch) {
                    rows.add(row);
                }
            }
        }
    }

    void add(Row row) throws IOException {
        rows.add(row);
        HadoopFiles.writeAtomically(fs, csv, os -> {
            Writer w = new OutputStreamWriter(os, StandardCharsets.UTF_8);
            CSVPrinter printer = new CSVPrinter(w, FORMAT);
            printer.printRecord((Object[]) COLUMNS);
            for (Row r : rows) {
                printer.printRecord(r.csv());
            }
            printer.flush();
        });
    }

    /** Training and validation loss (negative ELBO per image) against epoch, as a PNG. */
    byte[] lossCurvePng() throws IOException {
        XYChart chart = new XYChartBuilder().width(800).height(500).title("polyvae training")
                .xAxisTitle("epoch").yAxisTitle("negative ELBO per image").build();
        double[] x = rows.stream().mapToDouble(Row::epoch).toArray();
        chart.addSeries("train", x, rows.stream().mapToDouble(Row::trainLoss).toArray());
        chart.addSeries("train reconstruction", x, rows.stream().mapToDouble(Row::trainRecon).toArray());
        if (rows.stream().allMatch(r -> Double.isFinite(r.valLoss()))) {
            chart.addSeries("validation", x, rows.stream().mapToDouble(Row::valLoss).toArray());
        }
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }
}
