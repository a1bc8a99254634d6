package org.polyvae.job.train;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/**
 * {@code <output.dir>/metrics/train.csv}: one row per epoch. Rewritten whole (temporary file, then
 * rename) after every epoch: Hadoop's local file system cannot append, and a crash must not leave half a
 * row.
 */
public final class TrainMetrics {
    public static final String HEADER = "epoch,train_loss,train_reconstruction,train_kl,validation_loss,"
            + "validation_reconstruction,validation_kl,images_per_second,seconds,learning_rate";

    public record Row(int epoch, double trainLoss, double trainRecon, double trainKl, double valLoss, double valRecon,
               double valKl, double imagesPerSecond, double seconds, double learningRate) {
        public String csv() {
            return String.format(Locale.ROOT, "%d,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.2f,%.2f,%.6g", epoch, trainLoss,
                    trainRecon, trainKl, valLoss, valRecon, valKl, imagesPerSecond, seconds, learningRate);
        }

        static Row parse(String line, String source) {
            String[] f = line.split(",");
            if (f.length != 10) {
                throw new IllegalStateException(source + ": expected 10 columns (" + HEADER + "), got: " + line);
            }
            double[] v = new double[10];
            for (int i = 0; i < 10; i++) {
                v[i] = Double.parseDouble(f[i]);
            }
            return new Row((int) v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
        }
    }

    private final FileSystem fs;
    private final Path csv;
    private final List<Row> rows = new ArrayList<>();

    TrainMetrics(FileSystem fs, Path outputDir) {
        this.fs = fs;
        this.csv = new Path(outputDir, "metrics/train.csv");
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
        try (InputStream in = fs.open(csv)) {
            new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().skip(1).filter(l -> !l.isBlank())
                    .map(l -> Row.parse(l, csv.toString())).filter(r -> r.epoch() <= lastEpoch).forEach(rows::add);
        }
    }

    void add(Row row) throws IOException {
        rows.add(row);
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        rows.forEach(r -> sb.append(r.csv()).append('\n'));
        Path tmp = new Path(csv.getParent(), "." + csv.getName() + ".tmp");
        try (OutputStream os = fs.create(tmp, true)) {
            os.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        }
        fs.delete(csv, false);
        if (!fs.rename(tmp, csv)) {
            throw new IOException("could not rename " + tmp + " to " + csv);
        }
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
