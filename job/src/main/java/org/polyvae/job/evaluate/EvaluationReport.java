package org.polyvae.job.evaluate;

import org.polyvae.job.output.Evaluation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.polyvae.job.report.Html;

/**
 * The evaluation as HTML: {@code section.html} (a fragment the report page embeds, figures inlined as PNG
 * data so it can be moved anywhere) and {@code index.html} (the fragment as a page of its own).
 */
final class EvaluationReport {
    static final String BEGIN = "<!-- polyvae:evaluation -->";
    static final String END = "<!-- /polyvae:evaluation -->";

    private final Evaluation e;
    private final Map<String, List<Scored>> sets;
    private final List<Scored> heldOut;
    private final Map<String, double[]> sampleNn;
    private final double[] heldOutNn;
    private final String json;

    /** @param json where evaluation.json is (named in the text: the fragment may live next to other pages) */
    EvaluationReport(Evaluation e, Map<String, List<Scored>> sets, List<Scored> heldOut, Map<String, double[]> sampleNn,
            double[] heldOutNn, String json) {
        this.e = e;
        this.sets = sets;
        this.heldOut = heldOut;
        this.sampleNn = sampleNn;
        this.heldOutNn = heldOutNn;
        this.json = json;
    }

    /** A conditional model's samples by requested class: how many the judge files there, and their grains. */
    private String conditioning(Evaluation.Conditioning c) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "<p>Drawn by a class-conditional model: the "
                + "judge files %.1f %% of the samples under the class they were drawn for.</p>%n", 100 * c.agreement()));
        b.append("<table><tr><th>requested</th><th>images</th><th>filed as requested</th>");
        e.judge().classes().forEach(k -> b.append("<th>predicted ").append(k).append("</th>"));
        b.append("<th>grains/image</th><th>real grains/image</th><th>flat pixels</th><th>real flat pixels</th>"
                + "<th>grain-area W1</th></tr>\n");
        for (int r = 0; r < c.microstructure().size(); r += 2) {
            Evaluation.Microstructure gen = c.microstructure().get(r);
            Evaluation.Microstructure real = c.microstructure().get(r + 1);
            long[] row = c.confusion()[e.judge().classes().indexOf(gen.windowClass())];
            b.append(String.format(Locale.ROOT, "<tr><th>%s</th><td>%d</td><td>%.2f</td>", gen.windowClass(),
                    gen.images(), c.agreementPerClass().get(gen.windowClass())));
            for (long v : row) {
                b.append("<td>").append(v).append("</td>");
            }
            b.append(String.format(Locale.ROOT, "<td>%.1f</td><td>%.1f</td><td>%.3f</td><td>%.3f</td><td>%s</td></tr>%n",
                    gen.grainsPerImage(), real.grainsPerImage(), gen.flatPixelShare(), real.flatPixelShare(),
                    num(gen.grainAreaW1(), "%.1f")));
        }
        return b.append("</table>\n").toString();
    }

    String page() throws IOException {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>polyvae evaluation</title>\n"
                + "<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}"
                + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}"
                + "th{background:#eee}img{max-width:100%}</style></head><body>\n" + section() + "</body></html>\n";
    }

    /** The fragment between {@link #BEGIN} and {@link #END}, markers included. */
    String section() throws IOException {
        Evaluation.JudgeQuality j = e.judge();
        StringBuilder b = new StringBuilder(BEGIN).append("\n<h2>Evaluation by the judge CNN</h2>\n");
        b.append(String.format(Locale.ROOT, "<p>A CNN trained on %d real images of the training split (%d epochs%s) "
                        + "judges the samples in <code>%s</code>. On %d held-out real images it reaches %.1f %% class "
                        + "accuracy and E11 R² %.3f (MAE %.3f GPa; the held-out E11 spread is %.3f GPa). Every figure, "
                        + "machine-readable: <code>%s</code>.</p>\n", j.trainImages(), j.epochs(),
                j.reused() ? ", reused" : "", Html.esc(e.samples()), j.heldOutImages(), 100 * j.accuracy(),
                j.e11R2(), j.e11MaeGpa(), j.e11StdGpa(), Html.esc(json)));
        b.append("<table><tr><th>true \\ predicted</th>");
        j.classes().forEach(c -> b.append("<th>").append(c).append("</th>"));
        b.append("</tr>\n");
        for (int r = 0; r < j.classes().size(); r++) {
            b.append("<tr><th>").append(j.classes().get(r)).append("</th>");
            for (long v : j.confusion()[r]) {
                b.append("<td>").append(v).append("</td>");
            }
            b.append("</tr>\n");
        }
        b.append("</table>\n<h3>Summary</h3>\n<table><tr><th>set</th><th>images</th><th>Fréchet gen–real</th>"
                + "<th>Fréchet real–real</th><th>ratio</th><th>confident</th><th>E11 W1 (GPa)</th>"
                + "<th>grains/image</th><th>flat pixels</th><th>NN distance</th><th>closer than 95 % of real</th></tr>\n");
        for (Evaluation.SampleSet s : e.sets()) {
            Evaluation.Microstructure all = s.microstructure().stream()
                    .filter(m -> m.source().equals("generated") && m.windowClass().equals("all")).findFirst().orElseThrow();
            b.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%d</td><td>%.3f</td><td>%.3f</td><td>%.2f</td>"
                            + "<td>%.2f</td><td>%s</td><td>%.1f</td><td>%.3f</td><td>%.4f</td><td>%.3f</td></tr>%n",
                    s.set(), s.images(), s.frechet().generatedVsReal(), s.frechet().realVsReal(), s.frechet().ratio(),
                    s.confidentShare(), num(s.e11().w1Gpa(), "%.3f"), all.grainsPerImage(), all.flatPixelShare(),
                    s.nearestTraining().median(), s.nearestTraining().shareBelowHeldOutP5()));
        }
        b.append("</table>\n<p>Fréchet distances in the judge's penultimate features against the held-out images; "
                + "real–real uses as many training images as there are samples, the score of a generator that "
                + "reproduced the training data. Confident: share of samples whose largest class probability exceeds "
                + "the threshold. NN distance: median RMS gray difference (0..1) to the nearest training image; a "
                + "memorising generator puts many samples closer than 95 % of the held-out images are. Blurred "
                + "samples sit close to every image in this measure, so read it with the Fréchet ratio and the "
                + "flat-pixel share.</p>\n");
        for (Evaluation.SampleSet s : e.sets()) {
            b.append("<h3>").append(Html.esc(s.set())).append(" samples</h3>\n");
            b.append(String.format(Locale.ROOT, "<p>Predicted E11 vs the held-out images' true E11: W1 %s GPa "
                            + "(the judge's own W1 on held-out images: %.3f GPa). Nearest training image: median %.4f "
                            + "(held-out real images: %.4f, 5th percentile %.4f).</p>%n", num(s.e11().w1Gpa(), "%.3f"),
                    s.e11().judgeW1OnHeldOutGpa(), s.nearestTraining().median(), s.nearestTraining().heldOutMedian(),
                    s.nearestTraining().heldOutP5()));
            b.append("<table><tr><th>source</th><th>class</th><th>images</th><th>share</th><th>grains/image</th>"
                    + "<th>mean grain area (px)</th><th>grain-area W1</th><th>flat pixels</th><th>gray histogram L1</th>"
                    + "<th>E11 W1 (GPa)</th></tr>\n");
            for (Evaluation.Microstructure m : s.microstructure()) {
                boolean gen = m.source().equals("generated");
                Double share = m.windowClass().equals("all") ? Double.valueOf(1)
                        : (gen ? s.classMix() : s.realClassMix()).get(m.windowClass());
                Double w1 = gen && !m.windowClass().equals("all") ? s.e11().w1GpaPerClass().get(m.windowClass()) : null;
                b.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td>%d</td><td>%.2f</td><td>%.1f</td>"
                                + "<td>%.1f</td><td>%s</td><td>%.3f</td><td>%s</td><td>%s</td></tr>%n", m.source(),
                        m.windowClass(), m.images(), share, m.grainsPerImage(), m.meanGrainArea(),
                        num(m.grainAreaW1(), "%.1f"), m.flatPixelShare(), num(m.grayHistogramL1(), "%.3f"),
                        num(w1, "%.3f")));
            }
            b.append("</table>\n");
            if (s.conditioning() != null) {
                b.append(conditioning(s.conditioning()));
            }
            List<Scored> gen = sets.get(s.set());
            Map<String, double[]> e11 = new LinkedHashMap<>();
            e11.put("samples (predicted)", gen.stream().mapToDouble(Scored::e11).toArray());
            e11.put("held-out (true)", heldOut.stream().mapToDouble(Scored::trueE11).toArray());
            Map<String, double[]> nn = new LinkedHashMap<>();
            nn.put("samples", sampleNn.get(s.set()));
            nn.put("held-out real", heldOutNn);
            b.append(img(classMix(s), "class mix")).append(img(histogram("E11 (GPa)", e11, 20), "E11"))
                    .append(img(grayHistogram(s), "gray levels"))
                    .append(img(histogram("nearest training image (RMS gray)", nn, 20), "nearest neighbours"));
        }
        return b.append(END).append('\n').toString();
    }

    private static String num(Double v, String format) {
        return v == null ? "–" : String.format(Locale.ROOT, format, v);
    }

    private static String img(CategoryChart chart, String alt) throws IOException {
        byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        return "<img width=\"520\" alt=\"" + alt + "\" src=\"data:image/png;base64,"
                + Base64.getEncoder().encodeToString(png) + "\">\n";
    }

    private static CategoryChart chart(String title, String x, String y) {
        CategoryChart c = new CategoryChartBuilder().width(520).height(320).title(title).xAxisTitle(x).yAxisTitle(y)
                .build();
        c.getStyler().setXAxisLabelRotation(45);
        return c;
    }

    private CategoryChart classMix(Evaluation.SampleSet s) {
        CategoryChart c = chart("class mix", "window class", "share");
        List<String> classes = new ArrayList<>(s.classMix().keySet());
        c.addSeries("samples (predicted)", classes, new ArrayList<>(s.classMix().values()));
        c.addSeries("held-out (true)", classes, new ArrayList<>(s.realClassMix().values()));
        return c;
    }

    private CategoryChart grayHistogram(Evaluation.SampleSet s) {
        CategoryChart c = chart("gray levels", "gray level bin", "share of pixels");
        Map<String, double[]> h = new LinkedHashMap<>();
        for (Evaluation.Microstructure m : s.microstructure()) {
            if (m.windowClass().equals("all")) {
                h.put(m.source().equals("generated") ? "samples" : "held-out real", m.grayHistogram());
            }
        }
        int bins = h.values().iterator().next().length;
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < bins; i++) {
            labels.add(String.valueOf(i * 256 / bins));
        }
        h.forEach((name, v) -> c.addSeries(name, labels, java.util.Arrays.stream(v).boxed().toList()));
        return c;
    }

    /** Shares of each series' values (samples first, as in every chart) in {@code bins} equal bins over the joint range. */
    static CategoryChart histogram(String x, Map<String, double[]> series, int bins) {
        CategoryChart c = chart(x, x, "share");
        double lo = series.values().stream().flatMapToDouble(java.util.Arrays::stream).min().orElse(0);
        double hi = series.values().stream().flatMapToDouble(java.util.Arrays::stream).max().orElse(1);
        double width = hi > lo ? (hi - lo) / bins : 1;
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < bins; i++) {
            labels.add(String.format(Locale.ROOT, hi - lo < 1 ? "%.3f" : "%.1f", lo + (i + 0.5) * width));
        }
        series.forEach((name, v) -> {
            double[] h = new double[bins];
            for (double d : v) {
                h[Math.min(bins - 1, (int) ((d - lo) / width))] += 1.0 / v.length;
            }
            c.addSeries(name, labels, java.util.Arrays.stream(h).boxed().toList());
        });
        return c;
    }
}
