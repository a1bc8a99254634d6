package org.polyvae.job.explore;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.polyvae.data.Seeds;
import org.polyvae.data.WindowClass;
import org.polyvae.job.latent.EncodedImage;
import org.polyvae.metrics.CodeMapSteps;
import org.polyvae.model.AutoregressivePrior;
import org.polyvae.model.LatentPrior;

/**
 * The steps between adjacent code positions ({@link CodeMapSteps}), per class, of the dataset's codes (the
 * posterior means) beside as many codes drawn from the learned Gaussian prior and, when the model has one that
 * draws the class, from the autoregressive prior, at the sample stage's temperature: whether the priors draw code maps shaped like the
 * ones the decoder was trained on, measured without decoding. Only for a spatial code.
 */
record CodeMapComparison(List<Row> rows) {
    static final String CSV = "code-steps.csv";

    /** Where a row's codes come from: its name in the table and CSV, and in the log line. */
    enum Source {
        ENCODED("dataset images (posterior means)", "data"),
        GAUSSIAN("learned prior (Gaussian)", "Gaussian"),
        AUTOREGRESSIVE("autoregressive prior", "autoregressive");

        private final String label;
        private final String shortName;

        Source(String label, String shortName) {
            this.label = label;
            this.shortName = shortName;
        }

        String label() {
            return label;
        }
    }

    /** One class's codes from one source. */
    record Row(String windowClass, Source source, CodeMapSteps steps) {
    }

    /**
     * @param codePrior the autoregressive prior, or null when the model has none
     * @param blocks    per window class, the side of its code's blocks (polyvae.model.class-code-blocks): the
     *                  steps are those of the map of one value per block, the map the decoder is given
     * @param seed      the draws' seed (the sample stage's), so the table is repeatable
     */
    static CodeMapComparison of(List<EncodedImage> encoded, LatentPrior prior, AutoregressivePrior codePrior,
            int channels, int side, int[] blocks, double temperature, long seed) {
        List<Row> rows = new ArrayList<>();
        for (LatentPrior.Component c : prior.components()) {
            int um = c.micrometres();
            String name = um == LatentPrior.ALL_CLASSES ? "all" : um + " µm";
            int block = um == LatentPrior.ALL_CLASSES ? 1 : blocks[WindowClass.ofMicrometres(um).index()];
            if (side / block < 2) {
                continue; // one value per channel: no steps
            }
            UnaryOperator<double[]> grid = z -> block == 1 ? z : CodeMapSteps.blockGrid(z, channels, side, block);
            int gridSide = side / block;
            List<double[]> codes = new ArrayList<>();
            for (EncodedImage e : encoded) {
                if (um == LatentPrior.ALL_CLASSES || e.micrometres() == um) {
                    double[] z = new double[e.mu().length];
                    for (int j = 0; j < z.length; j++) {
                        z[j] = e.mu()[j];
                    }
                    codes.add(grid.apply(z));
                }
            }
            if (codes.isEmpty()) {
                continue;
            }
            rows.add(new Row(name, Source.ENCODED, CodeMapSteps.of(codes, channels, gridSide)));
            List<double[]> gaussian = new ArrayList<>();
            for (int i = 0; i < codes.size(); i++) {
                gaussian.add(grid.apply(prior.sample(um, new Random(Seeds.sample(seed ^ um, i)), temperature)));
            }
            rows.add(new Row(name, Source.GAUSSIAN, CodeMapSteps.of(gaussian, channels, gridSide)));
            if (codePrior != null && codePrior.covers(um)) {
                int[] classes = new int[codes.size()];
                java.util.Arrays.fill(classes, um);
                double[][] drawn = codePrior.sample(classes, i -> new Random(Seeds.sample(seed ^ um, i)), temperature);
                rows.add(new Row(name, Source.AUTOREGRESSIVE, CodeMapSteps.of(
                        java.util.Arrays.stream(drawn).map(grid).toList(), channels, gridSide)));
            }
        }
        return new CodeMapComparison(rows);
    }

    /** One line for the log: per class, the small-step share of the dataset's codes and of each prior's draws. */
    String summary() {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "code-map steps within σ/4 (Gaussian steps: %.2f):", CodeMapSteps.GAUSSIAN_SMALL_STEP_SHARE));
        String last = null;
        for (Row r : rows) {
            b.append(r.windowClass().equals(last) ? ", " : (last == null ? " " : "; ") + r.windowClass() + " ");
            b.append(String.format(Locale.ROOT, "%s %.2f", r.source().shortName, r.steps().smallStepShare()));
            last = r.windowClass();
        }
        return b.toString();
    }

    void writeCsv(Appendable out) throws IOException {
        CSVFormat format = CSVFormat.DEFAULT.builder().setRecordSeparator('\n')
                .setHeader("class", "source", "codes", "small_step_share", "step_excess_kurtosis").build();
        try (CSVPrinter csv = new CSVPrinter(out, format)) {
            for (Row r : rows) {
                csv.printRecord(r.windowClass(), r.source().label(), r.steps().codes(),
                        String.format(Locale.ROOT, "%.4f", r.steps().smallStepShare()),
                        String.format(Locale.ROOT, "%.3f", r.steps().excessKurtosis()));
            }
        }
    }
}
