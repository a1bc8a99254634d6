package org.polyvae.job.explore;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.polyvae.config.ExploreSettings;
import org.polyvae.job.report.Block;
import org.polyvae.job.report.Block.Cell;
import org.polyvae.job.report.Block.Figure;
import org.polyvae.job.report.Block.Heading;
import org.polyvae.job.report.Block.Paragraph;
import org.polyvae.job.report.Block.Span;
import org.polyvae.job.report.Section;
import org.polyvae.metrics.CodeMapSteps;

/** The explore stage's section of the report: the figures it writes beside it, the table and the verdict. */
final class ExploreSection {
    /** |r| above which a variable is said to follow an attribute. */
    static final double STRONG = 0.5;
    static final String LOSS = "loss.png";
    static final String SAMPLES = "samples.png";
    static final String TESSELLATED_SAMPLES = "samples-tessellated.png";
    static final String CLASSES = "classes.png";
    static final String TRAVERSALS = "traversals.png";
    static final String TRAVERSALS_REAL = "traversals-real.png";
    static final String MANIFOLD = "manifold.png";
    static final String INTERPOLATIONS = "interpolations.png";
    static final String SCATTER = "latent-scatter.png";
    static final String CSV = "latents.csv";
    static final String GLOBAL_CSV = "global-variables.csv";

    private ExploreSection() {
    }

    /**
     * @param codeMaps         the code-map steps of the dataset and the priors, or null for a dense code
     * @param parameters       the VAE's parameter count
     * @param samples          whether the sample stage's contact sheet was copied in ({@link #SAMPLES})
     * @param tessellated      whether its tessellated sheet was too ({@link #TESSELLATED_SAMPLES})
     * @param conditional      whether the model is class-conditional (then {@link #CLASSES} exists)
     * @param architecture     the VAE's summary
     * @param resolvedConfig   model/config.conf as trained
     * @param modelCard        model/model-card.md, or null for a model trained without one
     */
    static Section of(ExploreSettings s, LatentAnalysis a, GlobalVariables g, ExploreFigures.Traversals t,
            CodeMapComparison codeMaps, int images, long parameters, boolean samples,
            boolean tessellated, boolean conditional, String architecture, String resolvedConfig, String modelCard) {
        List<Block> b = new ArrayList<>();
        b.add(Paragraph.text(String.format(Locale.ROOT, "%d images encoded; %d parameters; latent code of %d numbers, "
                + "%d active (mean KL per image > %s nats).", images, parameters, a.kl.length,
                a.active(s.activeThreshold()), s.activeThreshold())));
        b.add(new Heading(2, "Training"));
        b.add(figure(LOSS, "loss curve"));
        if (samples) {
            b.add(new Heading(2, "Samples from the prior"));
            b.add(figure(SAMPLES, "samples"));
            if (tessellated) {
                b.add(Paragraph.text("The same samples after the tessellation post-step (polyvae.sample.tessellate-*):"));
                b.add(figure(TESSELLATED_SAMPLES, "tessellated samples"));
            }
        }
        if (conditional) {
            b.add(new Heading(2, "The class condition"));
            b.add(Paragraph.text("A class-conditional model: each row maps the same standard-normal draws through "
                    + "one class's learned prior and decodes them at that class, so whatever changes down a column is "
                    + "the class alone."));
            b.add(figure(CLASSES, "the same draws at every class"));
        }
        b.add(new Heading(2, "Global variables"));
        b.add(Paragraph.of(Span.text("The learned prior over the code is a Gaussian per class; pooled, it is "
                + "N(m, Σ). Its principal axes are the model's global variables: z = m + Σ_k g_k·√λ_k·e_k with "
                + "independent standard-normal g_k, so each g_k moves the whole code map at once, along the "
                + "direction the training images vary most after the ones before it. Below, for the first "
                + "variables: the share of the code's variance each carries, the Pearson r of g_k (read off each "
                + "image's posterior mean) with the image attributes over the dataset, and what moving g_k from −"
                + s.traversalRange() + " to +" + s.traversalRange() + " does to the decoded images (r along the "
                + "traversal, and the value at both ends); |r| ≥ " + STRONG + " highlighted. Full table: "),
                Span.link(GLOBAL_CSV, GLOBAL_CSV), Span.text(".")));
        b.add(globalTable(g, t));
        b.add(new Heading(3, "Traversals"));
        b.add(Paragraph.text("Row k moves g_k from −" + s.traversalRange() + " to +" + s.traversalRange()
                + ", the others at the prior's mean" + (conditional ? " (decoded at the largest window class)" : "")
                + "."));
        b.add(figure(TRAVERSALS, "traversals"));
        b.add(Paragraph.text("The same rows around the posterior mean of a real image of the largest window:"));
        b.add(figure(TRAVERSALS_REAL, "traversals around a real image"));
        b.add(new Heading(3, "Manifold of the two most informative global variables"));
        b.add(Paragraph.text("Horizontal g1, vertical g2, the others at 0."));
        b.add(figure(MANIFOLD, "manifold"));
        b.add(new Heading(3, "The dataset on g1 and g2"));
        b.add(figure(SCATTER, "scatter"));
        b.add(new Heading(3, "Disentanglement"));
        b.add(new Block.Items(disentanglement(s, g)));
        if (codeMaps != null) {
            b.add(new Heading(2, "Code maps: the dataset's and the priors'"));
            b.add(Paragraph.of(Span.text(String.format(Locale.ROOT, "Steps between adjacent positions of the same "
                    + "channel of the code map, per class: the share within a quarter of their standard deviation "
                    + "and their excess kurtosis. Where a window holds a few large grains, the encoder gives each "
                    + "grain one value over the positions it covers, so most steps are near 0 and a few are jumps "
                    + "(a high share and kurtosis). Steps of a Gaussian are Gaussian (share %.2f, kurtosis 0), so "
                    + "a Gaussian prior draws a step at nearly every position, where the decoder was trained on "
                    + "maps with few. Full table: ", CodeMapSteps.GAUSSIAN_SMALL_STEP_SHARE)),
                    Span.link(CodeMapComparison.CSV, CodeMapComparison.CSV), Span.text(".")));
            b.add(codeMapTable(codeMaps));
        }
        b.add(new Heading(2, "Interpolations between classes"));
        b.add(Paragraph.text("Straight lines between the posterior means of real images of successive window sizes."));
        b.add(figure(INTERPOLATIONS, "interpolations"));
        b.add(new Heading(2, "Activity of the code's own variables"));
        b.add(Paragraph.of(Span.text("KL per image of each variable of the code (how much it carries; near 0 = "
                + "unused) and the Pearson r of its posterior mean with the image attributes; |r| ≥ " + STRONG
                + " highlighted. Full table: "), Span.link(CSV, CSV), Span.text(".")));
        b.add(correlations(s, a));
        List<Block> appendix = new ArrayList<>();
        if (modelCard != null) {
            appendix.add(new Heading(2, "Model card (model/model-card.json, as Markdown)"));
            appendix.add(new Block.Preformatted(modelCard));
        }
        appendix.addAll(List.of(new Heading(2, "Architecture"), new Block.Preformatted(architecture),
                new Heading(2, "Resolved configuration"), new Block.Preformatted(resolvedConfig)));
        return new Section("Latent space of the polysilicon VAE", b, appendix);
    }

    /** A figure shown at its own size. */
    static Figure figure(String file, String alt) {
        return new Figure(file, alt, null);
    }

    private static Block.Table correlations(ExploreSettings s, LatentAnalysis a) {
        List<List<Cell>> rows = new ArrayList<>();
        List<Cell> header = new ArrayList<>(List.of(Cell.th("z"), Cell.th("KL per image")));
        for (String attr : LatentAnalysis.ATTRIBUTES) {
            header.add(Cell.th("r with " + attr));
        }
        rows.add(header);
        int count = Math.min(a.kl.length, Math.max(16, s.traversalDims()));
        for (int r = 0; r < count; r++) {
            int j = a.byKl[r];
            List<Cell> row = new ArrayList<>(List.of(Cell.td(j), Cell.td(String.format(Locale.ROOT, "%.4f", a.kl[j]))));
            for (double c : a.correlation[j]) {
                row.add(Cell.td(String.format(Locale.ROOT, "%+.3f", c), Math.abs(c) >= STRONG));
            }
            rows.add(row);
        }
        return new Block.Table(rows);
    }

    private static Block.Table codeMapTable(CodeMapComparison c) {
        List<List<Cell>> rows = new ArrayList<>();
        rows.add(List.of(Cell.th("class"), Cell.th("codes of"), Cell.th("count"), Cell.th("steps within σ/4"),
                Cell.th("step excess kurtosis")));
        for (CodeMapComparison.Row r : c.rows()) {
            rows.add(List.of(Cell.td(r.windowClass()), Cell.td(r.source().label()), Cell.td(r.steps().codes()),
                    Cell.td(String.format(Locale.ROOT, "%.2f", r.steps().smallStepShare())),
                    Cell.td(String.format(Locale.ROOT, "%.2f", r.steps().excessKurtosis()))));
        }
        return new Block.Table(rows);
    }

    private static Block.Table globalTable(GlobalVariables g, ExploreFigures.Traversals t) {
        List<List<Cell>> rows = new ArrayList<>();
        List<Cell> header = new ArrayList<>(List.of(Cell.th("variable"), Cell.th("variance share")));
        for (String attr : GlobalVariables.ATTRIBUTES) {
            header.add(Cell.th("r with " + attr));
        }
        for (String m : ExploreFigures.Traversals.MEASURES) {
            header.add(Cell.th("traversal: " + m));
        }
        rows.add(header);
        for (int k = 0; k < t.r().length; k++) {
            List<Cell> row = new ArrayList<>(List.of(Cell.td("g" + (k + 1)),
                    Cell.td(String.format(Locale.ROOT, "%.3f", g.explained(k)))));
            for (double c : g.correlation[k]) {
                row.add(Cell.td(String.format(Locale.ROOT, "%+.2f", c), Math.abs(c) >= STRONG));
            }
            for (int m = 0; m < t.r()[k].length; m++) {
                row.add(Cell.td(String.format(Locale.ROOT, "r %+.2f (%.1f → %.1f)", t.r()[k][m], t.from()[k][m],
                        t.to()[k][m]), Math.abs(t.r()[k][m]) >= STRONG));
            }
            rows.add(row);
        }
        return new Block.Table(rows);
    }

    /** global-variables.csv: every global variable with its variance share, r with the attributes and, for the traversed ones, r along its traversal. */
    static void writeGlobalCsv(Appendable out, GlobalVariables g, ExploreFigures.Traversals t) throws IOException {
        List<String> header = new ArrayList<>(List.of("variable", "variance", "variance_share", "r_window_size",
                "r_e11", "r_grains", "r_mean_grain_area", "r_mean_gray", "traversal_r_grains",
                "traversal_r_mean_grain_area", "traversal_r_mean_gray"));
        CSVFormat format = CSVFormat.DEFAULT.builder().setRecordSeparator('\n').setHeader(header.toArray(String[]::new))
                .build();
        try (CSVPrinter csv = new CSVPrinter(out, format)) {
            for (int k = 0; k < g.count(); k++) {
                List<String> row = new ArrayList<>(List.of("g" + (k + 1), String.format(Locale.ROOT, "%.6g", g.variance[k]),
                        String.format(Locale.ROOT, "%.5f", g.explained(k))));
                for (double c : g.correlation[k]) {
                    row.add(String.format(Locale.ROOT, "%.4f", c));
                }
                for (int m = 0; m < ExploreFigures.Traversals.MEASURES.length; m++) {
                    row.add(k < t.r().length ? String.format(Locale.ROOT, "%.4f", t.r()[k][m]) : "");
                }
                csv.printRecord(row);
            }
        }
    }

    /**
     * One line for the log: how many of the traversed global variables follow at least two of grains per
     * image, mean grain area, E11 and mean gray with |r| ≥ STRONG over the dataset, and the strongest.
     */
    static String summary(GlobalVariables g, ExploreFigures.Traversals t) {
        int rows = t.r().length;
        StringBuilder best = new StringBuilder();
        double bestR = -1;
        for (int k = 0; k < rows; k++) {
            for (int a = 0; a < GlobalVariables.ATTRIBUTES.length; a++) {
                if (Math.abs(g.correlation[k][a]) > bestR) {
                    bestR = Math.abs(g.correlation[k][a]);
                    best.setLength(0);
                    best.append(String.format(Locale.ROOT, "g%d with %s r = %+.2f", k + 1, GlobalVariables.ATTRIBUTES[a],
                            g.correlation[k][a]));
                }
            }
        }
        return String.format(Locale.ROOT, "global variables: g1 carries %.0f %% of the code's variance; strongest %s",
                100 * g.explained(0), best);
    }

    /** A global variable is disentangled when exactly one attribute has |r| ≥ STRONG with it. */
    private static List<String> disentanglement(ExploreSettings s, GlobalVariables g) {
        List<String> items = new ArrayList<>();
        for (int k = 0; k < Math.min(s.traversalDims(), g.count()); k++) {
            int strong = 0;
            int which = -1;
            for (int a = 0; a < GlobalVariables.ATTRIBUTES.length; a++) {
                if (Math.abs(g.correlation[k][a]) >= STRONG) {
                    strong++;
                    which = a;
                }
            }
            if (strong == 1) {
                items.add(String.format(Locale.ROOT, "g%d follows %s only (r = %+.2f)", k + 1,
                        GlobalVariables.ATTRIBUTES[which], g.correlation[k][which]));
            }
        }
        if (items.isEmpty()) {
            items.add("No traversed global variable follows exactly one attribute with |r| ≥ " + STRONG
                    + ": none is disentangled by this measure.");
        }
        return items;
    }
}
