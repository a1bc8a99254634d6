package org.polyvae.job.explore;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.TreeSet;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.polyvae.config.ExploreSettings;
import org.polyvae.image.ContactSheet;
import org.polyvae.image.GrayImages;
import org.polyvae.model.VaeBatches;

/**
 * The explore stage's figures, as PNG bytes: decoded grids (traversals, manifold, interpolations, the class
 * figure) and the scatter of posterior means. For a class-conditional decoder every grid is decoded at a
 * class input; {@code c == null} means an unconditional one.
 */
final class ExploreFigures {
    /** Prior draws per class in the class figure. */
    static final int CLASS_GRID_DRAWS = 8;

    private final ComputationGraph decoder;
    private final ExploreSettings s;

    ExploreFigures(ComputationGraph decoder, ExploreSettings settings) {
        this.decoder = decoder;
        this.s = settings;
    }

    static float[] oneHot(int micrometres) {
        return VaeBatches.oneHot(new int[] {micrometres}).toFloatVector();
    }

    /** One row per window class of the data, the same prior draws z (seeded) in every row. */
    byte[] classGrid(int codeLength, List<EncodedImage> encoded, long seed) throws IOException {
        Random r = new Random(seed);
        List<float[]> draws = new ArrayList<>();
        for (int k = 0; k < CLASS_GRID_DRAWS; k++) {
            float[] z = new float[codeLength];
            for (int j = 0; j < codeLength; j++) {
                z[j] = (float) r.nextGaussian();
            }
            draws.add(z);
        }
        List<float[]> zs = new ArrayList<>();
        List<float[]> cs = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        for (int um : classes(encoded)) {
            for (int k = 0; k < draws.size(); k++) {
                zs.add(draws.get(k));
                cs.add(oneHot(um));
                captions.add(um + " µm, z" + k);
            }
        }
        return decodeGrid(zs, cs, captions, CLASS_GRID_DRAWS);
    }

    /** One row per most-active variable: z = base except z_j from -range to +range. */
    byte[] traversals(LatentAnalysis a, float[] base, float[] c) throws IOException {
        int rows = Math.min(s.traversalDims(), a.kl.length);
        int steps = s.traversalSteps();
        List<float[]> zs = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < steps; k++) {
                float[] z = base.clone();
                double v = -s.traversalRange() + 2 * s.traversalRange() * k / (steps - 1);
                z[a.byKl[r]] = (float) v;
                zs.add(z);
                captions.add(String.format(Locale.ROOT, "z%d=%+.1f", a.byKl[r], v));
            }
        }
        return decodeGrid(zs, repeat(c, zs.size()), captions, steps);
    }

    /** The two most active variables on a grid over [-range, range]², the others at 0. */
    byte[] manifold(LatentAnalysis a, float[] c) throws IOException {
        int steps = s.traversalSteps();
        int x = a.byKl[0];
        int y = a.byKl[Math.min(1, a.byKl.length - 1)];
        List<float[]> zs = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        for (int r = 0; r < steps; r++) {
            for (int k = 0; k < steps; k++) {
                float[] z = new float[a.kl.length];
                z[x] = (float) (-s.traversalRange() + 2 * s.traversalRange() * k / (steps - 1));
                z[y] = (float) (s.traversalRange() - 2 * s.traversalRange() * r / (steps - 1));
                zs.add(z);
                captions.add(String.format(Locale.ROOT, "%+.1f,%+.1f", z[x], z[y]));
            }
        }
        return decodeGrid(zs, repeat(c, zs.size()), captions, steps);
    }

    /**
     * Straight lines between the posterior means of real images of different classes (and, for a conditional
     * decoder, between their class one-hots).
     */
    byte[] interpolations(List<EncodedImage> encoded, boolean conditional) throws IOException {
        List<Integer> classes = new ArrayList<>(classes(encoded));
        int steps = s.traversalSteps();
        List<float[]> zs = new ArrayList<>();
        List<float[]> cs = conditional ? new ArrayList<>() : null;
        List<String> captions = new ArrayList<>();
        for (int i = 0; i + 1 < classes.size() || (i == 0 && classes.size() == 1); i++) {
            int from = classes.get(i);
            int to = classes.get(Math.min(i + 1, classes.size() - 1));
            float[] a = firstOf(encoded, from).mu();
            float[] b = firstOf(encoded, to).mu();
            for (int k = 0; k < steps; k++) {
                float t = (float) k / (steps - 1);
                zs.add(lerp(a, b, t));
                if (cs != null) {
                    cs.add(lerp(oneHot(from), oneHot(to), t));
                }
                captions.add(k == 0 ? from + " µm" : k == steps - 1 ? to + " µm" : String.format(Locale.ROOT, "t=%.2f", t));
            }
        }
        return decodeGrid(zs, cs, captions, steps);
    }

    /** Posterior means of the two most active variables, coloured by window class. */
    static byte[] scatter(List<EncodedImage> encoded, LatentAnalysis a) throws IOException {
        int x = a.byKl[0];
        int y = a.byKl[Math.min(1, a.byKl.length - 1)];
        XYChart chart = new XYChartBuilder().width(700).height(550).title("posterior means, two most active variables")
                .xAxisTitle("mu[" + x + "]").yAxisTitle("mu[" + y + "]").build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(4);
        Color[] colors = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728)};
        int c = 0;
        for (int um : classes(encoded)) {
            List<EncodedImage> cls = encoded.stream().filter(e -> e.micrometres() == um).toList();
            XYSeries series = chart.addSeries(um + "x" + um + " µm",
                    cls.stream().mapToDouble(e -> e.mu()[x]).toArray(), cls.stream().mapToDouble(e -> e.mu()[y]).toArray());
            series.setMarkerColor(colors[c++ % colors.length]);
        }
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }

    private static TreeSet<Integer> classes(List<EncodedImage> encoded) {
        return new TreeSet<>(encoded.stream().map(EncodedImage::micrometres).toList());
    }

    private static float[] lerp(float[] a, float[] b, float t) {
        float[] v = new float[a.length];
        for (int j = 0; j < v.length; j++) {
            v[j] = (1 - t) * a[j] + t * b[j];
        }
        return v;
    }

    /** The same class input (or none, for an unconditional decoder) for n tiles. */
    private static List<float[]> repeat(float[] c, int n) {
        return c == null ? null : Collections.nCopies(n, c);
    }

    private static EncodedImage firstOf(List<EncodedImage> encoded, int micrometres) {
        return encoded.stream().filter(e -> e.micrometres() == micrometres).findFirst().orElseThrow();
    }

    /** @param cs the class input of each tile, for a conditional decoder; null for an unconditional one */
    private byte[] decodeGrid(List<float[]> zs, List<float[]> cs, List<String> captions, int columns)
            throws IOException {
        INDArray z = rows(zs);
        INDArray images = (cs == null ? decoder.output(false, z) : decoder.output(false, z, rows(cs)))[0];
        int size = (int) images.size(2);
        float[] px = images.castTo(DataType.FLOAT).dup('c').data().asFloat();
        List<ContactSheet.Tile> tiles = new ArrayList<>();
        for (int i = 0; i < zs.size(); i++) {
            byte[] g = new byte[size * size];
            for (int p = 0; p < g.length; p++) {
                g[p] = GrayImages.toByte(px[i * size * size + p]);
            }
            tiles.add(new ContactSheet.Tile(ContactSheet.gray(g, size), captions.get(i)));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ContactSheet.writePng(ContactSheet.render(tiles, columns, Math.max(64, size)), bytes);
        return bytes.toByteArray();
    }

    private static INDArray rows(List<float[]> vectors) {
        int d = vectors.get(0).length;
        float[] flat = new float[vectors.size() * d];
        for (int i = 0; i < vectors.size(); i++) {
            System.arraycopy(vectors.get(i), 0, flat, i * d, d);
        }
        return Nd4j.create(flat, new long[] {vectors.size(), d}, DataType.FLOAT);
    }
}
