package org.polyvae.job.explore;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.polyvae.config.ExploreSettings;
import org.polyvae.job.report.Block;
import org.polyvae.job.report.Block.Cell;
import org.polyvae.job.report.Block.Figure;
import org.polyvae.job.report.Block.Heading;
import org.polyvae.job.report.Block.Paragraph;
import org.polyvae.job.report.Block.Span;
import org.polyvae.job.report.Section;

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

    private ExploreSection() {
    }

    /**
     * @param parameters       the VAE's parameter count
     * @param samples          whether the sample stage's contact sheet was copied in ({@link #SAMPLES})
     * @param tessellated      whether its tessellated sheet was too ({@link #TESSELLATED_SAMPLES})
     * @param conditional      whether the model is class-conditional (then {@link #CLASSES} exists)
     * @param architecture     the VAE's summary
     * @param resolvedConfig   model/config.conf as trained
     */
    static Section of(ExploreSettings s, LatentAnalysis a, int images, long parameters, boolean samples,
            boolean tessellated, boolean conditional, String architecture, String resolvedConfig) {
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
            b.add(Paragraph.text("A class-conditional model: each row decodes the same prior draws of z at one window "
                    + "class, so whatever changes down a column is the condition alone. The figures below are drawn at "
                    + "the largest window class."));
            b.add(figure(CLASSES, "the same z at every class"));
        }
        b.add(new Heading(2, "Traversals"));
        b.add(Paragraph.text("Each row varies one of the most active variables from −" + s.traversalRange() + " to +"
                + s.traversalRange() + ", all others at 0."));
        b.add(figure(TRAVERSALS, "traversals"));
        b.add(Paragraph.text("The same rows around the posterior mean of a real image of the largest window:"));
        b.add(figure(TRAVERSALS_REAL, "traversals around a real image"));
        b.add(new Heading(2, "Manifold of the two most active variables"));
        b.add(Paragraph.text("Others at 0; horizontal the most active, vertical the second."));
        b.add(figure(MANIFOLD, "manifold"));
        b.add(new Heading(2, "Interpolations between classes"));
        b.add(Paragraph.text("Straight lines between the posterior means of real images of successive window sizes."));
        b.add(figure(INTERPOLATIONS, "interpolations"));
        b.add(new Heading(2, "Posterior means by class"));
        b.add(figure(SCATTER, "scatter"));
        b.add(new Heading(2, "Activity and correlations"));
        b.add(Paragraph.of(Span.text("Pearson r of each variable's posterior mean with the image attributes over the "
                + "whole dataset; |r| ≥ " + STRONG + " highlighted. Full table: "), Span.link(CSV, CSV), Span.text(".")));
        b.add(correlations(s, a));
        b.add(new Heading(3, "Disentanglement"));
        b.add(new Block.Items(disentanglement(s, a)));
        List<Block> appendix = List.of(new Heading(2, "Architecture"), new Block.Preformatted(architecture),
                new Heading(2, "Resolved configuration"), new Block.Preformatted(resolvedConfig));
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

    /** A variable is disentangled when exactly one attribute has |r| ≥ STRONG with it. */
    private static List<String> disentanglement(ExploreSettings s, LatentAnalysis a) {
        List<String> items = new ArrayList<>();
        for (int j : a.byKl) {
            if (a.kl[j] <= s.activeThreshold()) {
                continue;
            }
            int strong = 0;
            int which = -1;
            for (int k = 0; k < LatentAnalysis.ATTRIBUTES.length; k++) {
                if (Math.abs(a.correlation[j][k]) >= STRONG) {
                    strong++;
                    which = k;
                }
            }
            if (strong == 1) {
                items.add(String.format(Locale.ROOT, "z%d follows %s only (r = %+.2f)", j, LatentAnalysis.ATTRIBUTES[which],
                        a.correlation[j][which]));
            }
        }
        if (items.isEmpty()) {
            items.add("No active variable follows exactly one attribute with |r| ≥ " + STRONG
                    + ": none is disentangled by this measure.");
        }
        return items;
    }
}
