package org.polyvae.job.explore;

import org.polyvae.job.latent.EncodedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;

/**
 * What the encoded dataset says about each latent variable: its KL per image (how much information it
 * carries; near 0 = collapsed onto the prior) and the Pearson correlation of its posterior mean with the
 * window size, E11, grains per image and mean gray.
 */
final class LatentAnalysis {
    static final String[] ATTRIBUTES = {"window size (µm)", "E11 (GPa)", "grains per image", "mean gray"};

    final double[] kl;
    /** [dimension][attribute]. */
    final double[][] correlation;
    final int[] byKl;

    LatentAnalysis(List<EncodedImage> images) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no encoded images to analyse");
        }
        int d = images.get(0).mu().length;
        int n = images.size();
        kl = new double[d];
        for (EncodedImage im : images) {
            for (int j = 0; j < d; j++) {
                double m = im.mu()[j];
                double lv = im.logvar()[j];
                kl[j] += 0.5 * (m * m + Math.exp(lv) - 1 - lv) / n;
            }
        }
        double[][] attributes = new double[ATTRIBUTES.length][n];
        for (int i = 0; i < n; i++) {
            EncodedImage im = images.get(i);
            attributes[0][i] = im.micrometres();
            attributes[1][i] = im.e11();
            attributes[2][i] = im.grains();
            attributes[3][i] = im.meanGray();
        }
        correlation = new double[d][ATTRIBUTES.length];
        double[] mu = new double[n];
        for (int j = 0; j < d; j++) {
            for (int i = 0; i < n; i++) {
                mu[i] = images.get(i).mu()[j];
            }
            for (int a = 0; a < ATTRIBUTES.length; a++) {
                correlation[j][a] = pearson(mu, attributes[a]);
            }
        }
        byKl = IntStream.range(0, d).boxed().sorted(Comparator.comparingDouble(j -> -kl[j]))
                .mapToInt(Integer::intValue).toArray();
    }

    int active(double threshold) {
        return (int) Arrays.stream(kl).filter(k -> k > threshold).count();
    }

    /** Pearson correlation; 0 when either side is constant (or has fewer than 2 values). */
    static double pearson(double[] x, double[] y) {
        if (x.length < 2) {
            return 0;
        }
        double r = new PearsonsCorrelation().correlation(x, y);
        return Double.isNaN(r) ? 0 : r;
    }

    /** latents.csv: every variable, most active first, with its KL per image and its r with each attribute. */
    void writeCsv(Appendable out) throws IOException {
        CSVFormat format = CSVFormat.DEFAULT.builder().setRecordSeparator('\n')
                .setHeader("dimension", "kl_per_image", "r_window_size", "r_e11", "r_grains", "r_mean_gray").build();
        try (CSVPrinter csv = new CSVPrinter(out, format)) {
            for (int j : byKl) {
                List<String> row = new ArrayList<>(List.of(String.valueOf(j), String.format(Locale.ROOT, "%.5f", kl[j])));
                for (double r : correlation[j]) {
                    row.add(String.format(Locale.ROOT, "%.4f", r));
                }
                csv.printRecord(row);
            }
        }
    }
}
