package org.polyvae.job.evaluate;

import org.polyvae.job.output.Evaluation;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.knowm.xchart.Histogram;
import org.polyvae.job.report.Block;
import org.polyvae.job.report.Block.Cell;
import org.polyvae.job.report.Block.Heading;
import org.polyvae.job.report.Block.Paragraph;
import org.polyvae.job.report.Block.Span;
import org.polyvae.job.report.Section;

/**
 * The evaluation as a report {@link Section}: its tables and text, and its charts as PNGs in
 * {@value #FIGURES}/ beside the section file.
 */
final class EvaluationReport {
    static final String TITLE = "Evaluation by the judge CNN";
    static final String FIGURES = "figures";
    static final int FIGURE_WIDTH = 520;
    static final int FIGURE_HEIGHT = 320;

    private final Evaluation e;
    private final Map<String, List<Scored>> sets;
    private final List<Scored> heldOut;
    private final Map<String, double[]> sampleNn;
    private final double[] heldOutNn;
    private final String json;

    /** @param json where evaluation.json is (named in the text: the section may be shown far from it) */
    EvaluationReport(Evaluation e, Map<String, List<Scored>> sets, List<Scored> heldOut, Map<String, double[]> sampleNn,
            double[] heldOutNn, String json) {
        this.e = e;
        this.sets = sets;
        this.heldOut = heldOut;
        this.sampleNn = sampleNn;
        this.heldOutNn = heldOutNn;
        this.json = json;
    }

    /** Writes the section file and its figures into {@code dir}. */
    void write(FileSystem fs, Path dir) throws IOException {
        Map<String, CategoryChart> charts = new LinkedHashMap<>();
        Section section = section(charts);
        for (Map.Entry<String, CategoryChart> c : charts.entrySet()) {
            try (OutputStream out = fs.create(new Path(dir, c.getKey()), true)) {
                out.write(BitmapEncoder.getBitmapBytes(c.getValue(), BitmapEncoder.BitmapFormat.PNG));
            }
        }
        section.write(fs, dir);
    }

    /** @param charts filled with the charts the section shows, by file name relative to the section */
    Section section(Map<String, CategoryChart> charts) {
        Evaluation.JudgeQuality j = e.judge();
        List<Block> b = new ArrayList<>();
        b.add(Paragraph.of(Span.text(String.format(Locale.ROOT, "A CNN trained on %d real images of the training split "
                        + "(%d epochs%s) judges the samples in ", j.trainImages(), j.epochs(), j.reused() ? ", reused" : "")),
                Span.code(e.samples()),
                Span.text(String.format(Locale.ROOT, ". On %d real images it did not train on (%d held-out, %d of the "
                                + "reference) it reaches %.1f %% class accuracy and E11 R² %.3f (MAE %.3f GPa; their E11 "
                                + "spread is %.3f GPa). Every figure, machine-readable: ",
                        j.heldOutImages() + j.referenceImages(), j.heldOutImages(), j.referenceImages(),
                        100 * j.accuracy(), j.e11R2(), j.e11MaeGpa(), j.e11StdGpa())),
                Span.code(json), Span.text(".")));
        List<List<Cell>> confusion = new ArrayList<>();
        confusion.add(row(Cell.th("true \\ predicted"), j.classes().stream().map(Cell::th).toList()));
        for (int r = 0; r < j.classes().size(); r++) {
            confusion.add(row(Cell.th(j.classes().get(r)), Arrays.stream(j.confusion()[r]).mapToObj(Cell::td).toList()));
        }
        b.add(new Block.Table(confusion));
        b.add(new Heading(3, "Summary"));
        b.add(headline(e.headline()));
        List<List<Cell>> summary = new ArrayList<>();
        summary.add(headers("set", "images", "KID gen–real", "KID real–real", "KID ratio", "Fréchet gen–real",
                "Fréchet real–real", "Fréchet ratio", "confident", "E11 W1 (GPa)", "grains/image", "flat pixels",
                "NN distance", "closer than 95 % of real"));
        for (Evaluation.SampleSet s : e.sets()) {
            Evaluation.Microstructure all = s.microstructure().stream()
                    .filter(m -> m.source().equals("generated") && m.windowClass().equals("all")).findFirst().orElseThrow();
            summary.add(cells(label(s.set()), s.images(),
                    f("%.4f", s.kid().generatedVsReal()) + " ± " + f("%.4f", s.kid().generatedStandardError()),
                    f("%.4f", s.kid().realVsReal()) + " ± " + f("%.4f", s.kid().realStandardError()),
                    f("%.1f", s.kid().ratio()), f("%.3f", s.frechet().generatedVsReal()),
                    f("%.3f", s.frechet().realVsReal()), f("%.2f", s.frechet().ratio()), f("%.2f", s.confidentShare()),
                    num(s.e11().w1Gpa(), "%.3f"), f("%.1f", all.grainsPerImage()), f("%.3f", all.flatPixelShare()),
                    f("%.4f", s.nearestTraining().median()), f("%.3f", s.nearestTraining().shareBelowHeldOutP5())));
        }
        b.add(new Block.Table(summary));
        Evaluation.Reference ref = e.reference();
        b.add(Paragraph.text(String.format(Locale.ROOT, "KID (unbiased MMD², cubic polynomial kernel, mean ± standard "
                + "error over %d subsets of %d) and Fréchet distance in the judge's penultimate features, against a "
                + "reference of %d training-split images. Real–real: as many held-out images as there are samples "
                + "(up to %d), against the same reference: the score of a generator of real images. Both the samples "
                + "and the held-out images are unseen by the judge; the KID ratio divides by the size of the real–real "
                + "KID or its standard error, whichever is larger (the unbiased estimate is near 0, either sign). Confident:", ref.kidSubsets(), ref.kidSubsetSize(),
                ref.referenceImages(), ref.realImages())
                + " share of samples whose largest class probability exceeds "
                + "the threshold. NN distance: median RMS gray difference (0..1) to the nearest training image; a "
                + "memorising generator puts many samples closer than 95 % of the held-out images are. Blurred "
                + "samples sit close to every image in this measure, so read it with the KID ratio and the "
                + "flat-pixel share."));
        for (Evaluation.SampleSet s : e.sets()) {
            sampleSet(b, s, charts);
        }
        return new Section(TITLE, b, List.of());
    }

    private static String means(Map<String, Double> byClass) {
        List<String> parts = new ArrayList<>();
        byClass.forEach((k, v) -> parts.add(k + " " + (v == null ? "–" : String.format(Locale.ROOT, "%.1f GPa", v))));
        return String.join(", ", parts);
    }

    private void sampleSet(List<Block> b, Evaluation.SampleSet s, Map<String, CategoryChart> charts) {
        b.add(new Heading(3, label(s.set()) + " samples"));
        b.add(Paragraph.text(String.format(Locale.ROOT, "Predicted E11 vs the held-out images' true E11: W1 %s GPa "
                        + "(the judge's own W1 on held-out images: %.3f GPa). Nearest training image: median %.4f "
                        + "(held-out real images: %.4f, 5th percentile %.4f).", num(s.e11().w1Gpa(), "%.3f"),
                s.e11().judgeW1OnHeldOutGpa(), s.nearestTraining().median(), s.nearestTraining().heldOutMedian(),
                s.nearestTraining().heldOutP5())));
        Evaluation.E11 judged = s.e11();
        if (judged.meanGpaPerRequestedClass() != null && !judged.meanGpaPerRequestedClass().isEmpty()) {
            b.add(Paragraph.text((judged.targetGpa() == null ? "" : String.format(Locale.ROOT,
                    "Drawn toward E11 = %.1f GPa (polyvae.sample.e11-target). ", judged.targetGpa()))
                    + "Mean E11 the judge reads off the samples, by requested class: "
                    + means(judged.meanGpaPerRequestedClass()) + "; the held-out real images' mean true E11: "
                    + means(judged.realMeanGpaPerClass()) + "."));
        }
        List<List<Cell>> micro = new ArrayList<>();
        micro.add(headers("source", "class", "images", "share", "grains/image", "with an interior",
                "mean grain area (px)", "grain-area W1", "largest grain (share of image)", "largest-grain W1",
                "flat pixels", "gray histogram L1", "S2 distance", "E11 W1 (GPa)"));
        for (Evaluation.Microstructure m : s.microstructure()) {
            boolean gen = m.source().equals("generated");
            Double share = m.windowClass().equals("all") ? Double.valueOf(1)
                    : (gen ? s.classMix() : s.realClassMix()).get(m.windowClass());
            Double w1 = gen && !m.windowClass().equals("all") ? s.e11().w1GpaPerClass().get(m.windowClass()) : null;
            micro.add(cells(m.source(), m.windowClass(), m.images(), f("%.2f", share), f("%.1f", m.grainsPerImage()),
                    f("%.1f", m.thickGrainsPerImage()), f("%.1f", m.meanGrainArea()), num(m.grainAreaW1(), "%.1f"),
                    f("%.3f", m.largestGrainShare()),
                    num(m.largestGrainShareW1(), "%.3f"), f("%.3f", m.flatPixelShare()),
                    num(m.grayHistogramL1(), "%.3f"), num(m.sameGrainDistance(), "%.3f"), num(w1, "%.3f")));
        }
        b.add(new Block.Table(micro));
        if (s.conditioning() != null) {
            conditioning(b, s.conditioning());
        }
        List<Scored> gen = sets.get(s.set());
        Map<String, double[]> e11 = new LinkedHashMap<>();
        e11.put("samples (predicted)", gen.stream().mapToDouble(Scored::e11).toArray());
        e11.put("held-out (true)", heldOut.stream().mapToDouble(Scored::trueE11).toArray());
        Map<String, double[]> nn = new LinkedHashMap<>();
        nn.put("samples", sampleNn.get(s.set()));
        nn.put("held-out real", heldOutNn);
        b.add(figure(charts, s.set() + "-class-mix.png", classMix(s), "class mix"));
        b.add(figure(charts, s.set() + "-e11.png", histogram("E11 (GPa)", e11, 20), "E11"));
        b.add(figure(charts, s.set() + "-gray-levels.png", grayHistogram(s), "gray levels"));
        b.add(figure(charts, s.set() + "-two-point.png", sameGrain(s), "two-point same-grain probability"));
        b.add(figure(charts, s.set() + "-nearest-neighbours.png", histogram("nearest training image (RMS gray)", nn, 20),
                "nearest neighbours"));
    }

    /** The raw decoder output's figures first: what the model itself draws, before any post-step. */
    private static Paragraph headline(Evaluation.Headline h) {
        StringBuilder t = new StringBuilder(String.format(Locale.ROOT, "Headline, the %s samples (the model's own "
                + "output, no post-step%s): KID ratio %.1f, Fréchet ratio %.2f", h.set(), h.regionDecoding() == null
                ? "" : "; region decoding: " + h.regionDecoding() + " (polyvae.sample.regions, basin-merge, "
                + "min-region-pixels, absorb-thin-regions)", h.kidRatio(), h.frechetRatio()));
        if (h.requestedClassAgreement() != null) {
            t.append(String.format(Locale.ROOT, ", filed under their requested class %.2f (the judge files the real "
                    + "images it did not train on under their own class %.2f: the most samples can reach)",
                    h.requestedClassAgreement(), h.realClassAgreement()));
        }
        if (h.classKidRatio() != null) {
            t.append(String.format(Locale.ROOT, ", KID ratio within classes (each requested class against its own real "
                    + "images, averaged) %.1f", h.classKidRatio()));
        }
        t.append(". Per class, flat-pixel share, grains per image, grains with an interior pixel per image (without "
                + "the one- or two-pixel lines the real images' blended boundaries form) and the largest grain's share "
                + "of the image (data in brackets):");
        h.perClass().forEach((c, x) -> t.append(String.format(Locale.ROOT,
                " %s %.2f (%.2f), %.1f (%.1f), %.1f (%.1f), %.2f (%.2f);", c, x.flatPixelShare(), x.dataFlatPixelShare(),
                x.grainsPerImage(), x.dataGrainsPerImage(), x.thickGrainsPerImage(), x.dataThickGrainsPerImage(),
                x.largestGrainShare(), x.dataLargestGrainShare())));
        return Paragraph.text(t.substring(0, t.length() - 1) + ".");
    }

    /** "raw" is the model's output; any other set is a post-step on it, labelled as such. */
    static String label(String set) {
        return set.equals("raw") ? "raw (model output)" : set + " (post-step)";
    }

    /** A conditional model's samples by requested class: how many the judge files there, and their grains. */
    private void conditioning(List<Block> b, Evaluation.Conditioning c) {
        b.add(Paragraph.text(String.format(Locale.ROOT, "Drawn by a class-conditional model: the judge files %.1f %% of "
                + "the samples under the class they were drawn for.", 100 * c.agreement())));
        List<List<Cell>> rows = new ArrayList<>();
        List<Cell> header = new ArrayList<>(headers("requested", "images", "filed as requested"));
        e.judge().classes().forEach(k -> header.add(Cell.th("predicted " + k)));
        header.addAll(headers("grains/image", "real grains/image", "with an interior", "real with an interior",
                "largest grain", "real largest grain", "flat pixels", "real flat pixels", "grain-area W1",
                "KID ratio in class"));
        rows.add(header);
        for (int r = 0; r < c.microstructure().size(); r += 2) {
            Evaluation.Microstructure gen = c.microstructure().get(r);
            Evaluation.Microstructure real = c.microstructure().get(r + 1);
            long[] counts = c.confusion()[e.judge().classes().indexOf(gen.windowClass())];
            List<Cell> row = new ArrayList<>(List.of(Cell.th(gen.windowClass()), Cell.td(gen.images()),
                    Cell.td(f("%.2f", c.agreementPerClass().get(gen.windowClass())))));
            Arrays.stream(counts).forEach(v -> row.add(Cell.td(v)));
            row.addAll(cells(f("%.1f", gen.grainsPerImage()), f("%.1f", real.grainsPerImage()),
                    f("%.1f", gen.thickGrainsPerImage()), f("%.1f", real.thickGrainsPerImage()),
                    f("%.3f", gen.largestGrainShare()), f("%.3f", real.largestGrainShare()),
                    f("%.3f", gen.flatPixelShare()), f("%.3f", real.flatPixelShare()), num(gen.grainAreaW1(), "%.1f"),
                    num(c.kidPerClass().containsKey(gen.windowClass())
                            ? c.kidPerClass().get(gen.windowClass()).ratio() : null, "%.1f")));
            rows.add(row);
        }
        b.add(new Block.Table(rows));
    }

    private static Block.Figure figure(Map<String, CategoryChart> charts, String name, CategoryChart chart, String alt) {
        String file = FIGURES + "/" + name;
        charts.put(file, chart);
        return new Block.Figure(file, alt, FIGURE_WIDTH);
    }

    private static List<Cell> row(Cell first, List<Cell> rest) {
        List<Cell> row = new ArrayList<>(List.of(first));
        row.addAll(rest);
        return row;
    }

    private static List<Cell> headers(String... texts) {
        return Arrays.stream(texts).map(Cell::th).toList();
    }

    private static List<Cell> cells(Object... texts) {
        return Arrays.stream(texts).map(Cell::td).toList();
    }

    private static String f(String format, double v) {
        return String.format(Locale.ROOT, format, v);
    }

    private static String num(Double v, String format) {
        return v == null ? "–" : String.format(Locale.ROOT, format, v);
    }

    private static CategoryChart chart(String title, String x, String y) {
        CategoryChart c = new CategoryChartBuilder().width(FIGURE_WIDTH).height(FIGURE_HEIGHT).title(title).xAxisTitle(x)
                .yAxisTitle(y).build();
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
        h.forEach((name, v) -> c.addSeries(name, labels, Arrays.stream(v).boxed().toList()));
        return c;
    }

    private static final java.awt.Color[] CLASS_COLORS = {new java.awt.Color(0x1f77b4), new java.awt.Color(0xff7f0e),
            new java.awt.Color(0x2ca02c), new java.awt.Color(0xd62728), new java.awt.Color(0x9467bd),
            new java.awt.Color(0x8c564b)};

    /** S2(r) of the samples and of the real images, per class (requested class for a conditional model). */
    private CategoryChart sameGrain(Evaluation.SampleSet s) {
        CategoryChart c = chart("two-point same-grain probability S2(r)", "r (px)", "S2");
        c.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
        List<Evaluation.Microstructure> rows = s.conditioning() != null ? s.conditioning().microstructure()
                : s.microstructure();
        for (Evaluation.Microstructure m : rows) {
            if (m.windowClass().equals("all") || m.images() == 0 || m.sameGrain().length == 0) {
                continue;
            }
            List<String> r = new ArrayList<>();
            for (int i = 0; i < m.sameGrain().length; i++) {
                r.add(String.valueOf(i));
            }
            boolean real = m.source().equals("real");
            // One color per class; the real curve dashed, the samples' solid.
            java.awt.Color color = CLASS_COLORS[Math.floorMod(e.judge().classes().indexOf(m.windowClass()),
                    CLASS_COLORS.length)];
            CategorySeries series = c.addSeries(m.windowClass() + (real ? " real" : " samples"), r,
                    Arrays.stream(m.sameGrain()).boxed().toList());
            series.setLineColor(color);
            series.setMarkerColor(color);
            series.setLineStyle(real ? SeriesLines.DASH_DASH : SeriesLines.SOLID);
            series.setMarker(real ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        }
        return c;
    }

    /** Shares of each series' values (samples first, as in every chart) in {@code bins} equal bins over the joint range. */
    static CategoryChart histogram(String x, Map<String, double[]> series, int bins) {
        CategoryChart c = chart(x, x, "share");
        double lo = series.values().stream().flatMapToDouble(Arrays::stream).min().orElse(0);
        double hi = series.values().stream().flatMapToDouble(Arrays::stream).max().orElse(1);
        // All values equal: bins one unit wide from that value.
        double top = hi > lo ? hi : lo + bins;
        String label = hi - lo < 1 ? "%.3f" : "%.1f";
        List<String> labels = new Histogram(Collections.singletonList(lo), bins, lo, top).getxAxisData().stream()
                .map(centre -> String.format(Locale.ROOT, label, centre)).toList();
        series.forEach((name, v) -> c.addSeries(name, labels, v.length == 0 ? Collections.nCopies(bins, 0.0)
                : new Histogram(Arrays.stream(v).boxed().toList(), bins, lo, top).getyAxisData().stream()
                        .map(n -> n / v.length).toList()));
        return c;
    }
}
