package org.polyvae.job.explore;

import org.polyvae.job.report.Html;
import org.polyvae.job.explore.LatentAnalysis;
import org.polyvae.job.explore.ExploreStage;
import java.util.Locale;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.polyvae.config.PolyvaeConfig;

/** report/index.html: a static page over the figures the explore stage writes next to it. */
final class ReportPage {
    /** |r| above which a variable is said to follow an attribute. */
    static final double STRONG = 0.5;
    static final String TESSELLATED_SAMPLES = "samples-tessellated.png";

    private final PolyvaeConfig config;
    private final ComputationGraph vae;
    private final LatentAnalysis a;
    private final int images;
    private final boolean samples;
    private final boolean tessellatedSamples;
    private final boolean conditional;
    private final String resolvedConfig;
    private final String evaluationSection;

    /** @param evaluationSection the evaluate stage's section.html, or "" when there is none yet */
    ReportPage(PolyvaeConfig config, ComputationGraph vae, LatentAnalysis a, int images, boolean samples,
            boolean tessellatedSamples, boolean conditional, String resolvedConfig, String evaluationSection) {
        this.tessellatedSamples = tessellatedSamples;
        this.conditional = conditional;
        this.config = config;
        this.vae = vae;
        this.a = a;
        this.images = images;
        this.samples = samples;
        this.resolvedConfig = resolvedConfig;
        this.evaluationSection = evaluationSection;
    }

    String html() {
        double threshold = config.explore().activeThreshold();
        int active = a.active(threshold);
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>polyvae report</title>\n")
                .append("<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}"
                        + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}"
                        + "th{background:#eee}pre{background:#f6f6f6;padding:1em;overflow:auto;font-size:12px}"
                        + "img{max-width:100%}.strong{background:#ffe9a8}</style></head><body>\n")
                .append("<h1>polyvae: latent space of the polysilicon VAE</h1>\n")
                .append(String.format(Locale.ROOT, "<p>%d images encoded; %d parameters; latent code of %d numbers, "
                        + "%d active (mean KL per image &gt; %s nats).</p>\n", images, vae.numParams(), a.kl.length, active,
                        threshold))
                .append("<h2>Training</h2><img src=\"loss.png\" alt=\"loss curve\">\n");
        if (samples) {
            b.append("<h2>Samples from the prior</h2><img src=\"samples.png\" alt=\"samples\">\n");
            if (tessellatedSamples) {
                b.append("<p>The same samples after the tessellation post-step (polyvae.sample.tessellate-*):</p><img src=\"")
                        .append(TESSELLATED_SAMPLES).append("\" alt=\"tessellated samples\">\n");
            }
        }
        if (conditional) {
            b.append("<h2>The class condition</h2><p>A class-conditional model: each row decodes the same prior "
                    + "draws of z at one window class, so whatever changes down a column is the condition alone. "
                    + "The figures below are drawn at the largest window class.</p><img src=\"")
                    .append(ExploreStage.CLASSES_FIGURE).append("\" alt=\"the same z at every class\">\n");
        }
        b.append("<h2>Traversals</h2><p>Each row varies one of the most active variables from −")
                .append(config.explore().traversalRange()).append(" to +").append(config.explore().traversalRange())
                .append(", all others at 0.</p><img src=\"traversals.png\" alt=\"traversals\">\n")
                .append("<p>The same rows around the posterior mean of a real image of the largest window:</p>"
                        + "<img src=\"traversals-real.png\" alt=\"traversals around a real image\">\n")
                .append("<h2>Manifold of the two most active variables</h2><p>Others at 0; horizontal the most "
                        + "active, vertical the second.</p><img src=\"manifold.png\" alt=\"manifold\">\n")
                .append("<h2>Interpolations between classes</h2><p>Straight lines between the posterior means of "
                        + "real images of successive window sizes.</p><img src=\"interpolations.png\" "
                        + "alt=\"interpolations\">\n")
                .append("<h2>Posterior means by class</h2><img src=\"latent-scatter.png\" alt=\"scatter\">\n")
                .append("<h2>Activity and correlations</h2><p>Pearson r of each variable's posterior mean with the "
                        + "image attributes over the whole dataset; |r| ≥ ").append(STRONG)
                .append(" highlighted. Full table: <a href=\"latents.csv\">latents.csv</a>.</p>\n<table><tr><th>z</th>"
                        + "<th>KL per image</th>");
        for (String attr : LatentAnalysis.ATTRIBUTES) {
            b.append("<th>r with ").append(Html.esc(attr)).append("</th>");
        }
        b.append("</tr>\n");
        int rows = Math.min(a.kl.length, Math.max(16, config.explore().traversalDims()));
        for (int r = 0; r < rows; r++) {
            int j = a.byKl[r];
            b.append(String.format(Locale.ROOT, "<tr><td>%d</td><td>%.4f</td>", j, a.kl[j]));
            for (double c : a.correlation[j]) {
                b.append(String.format(Locale.ROOT, "<td%s>%+.3f</td>", Math.abs(c) >= STRONG ? " class=\"strong\"" : "", c));
            }
            b.append("</tr>\n");
        }
        b.append("</table>\n<h3>Disentanglement</h3><ul>\n").append(disentanglement()).append("</ul>\n")
                .append(evaluationSection)
                .append("<h2>Architecture</h2><pre>").append(Html.esc(vae.summary())).append("</pre>\n")
                .append("<h2>Resolved configuration</h2><pre>").append(Html.esc(resolvedConfig)).append("</pre>\n")
                .append("</body></html>\n");
        return b.toString();
    }

    /** A variable is disentangled when exactly one attribute has |r| ≥ STRONG with it. */
    private String disentanglement() {
        StringBuilder b = new StringBuilder();
        int found = 0;
        for (int j : a.byKl) {
            if (a.kl[j] <= config.explore().activeThreshold()) {
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
                found++;
                b.append(String.format(Locale.ROOT, "<li>z%d follows %s only (r = %+.2f)</li>%n", j,
                        Html.esc(LatentAnalysis.ATTRIBUTES[which]), a.correlation[j][which]));
            }
        }
        if (found == 0) {
            b.append("<li>No active variable follows exactly one attribute with |r| ≥ ").append(STRONG)
                    .append(": none is disentangled by this measure.</li>\n");
        }
        return b.toString();
    }
}
