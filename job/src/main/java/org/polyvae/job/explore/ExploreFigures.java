package org.polyvae.job.explore;

import org.polyvae.job.latent.EncodedImage;
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
import org.polyvae.metrics.GrainStatistics;
import org.polyvae.model.Decoders;
import org.polyvae.model.LatentPrior;
import org.polyvae.model.RegionDecoding;
import org.polyvae.model.VaeBatches;

/**
 * The explore stage's figures, as PNG bytes: decoded grids (traversals and manifold of the global variables,
 * interpolations, the class figure) and the scatter of the dataset on the top two global variables. For a class-conditional decoder every grid is decoded at a
 * class input; {@code c == null} means an unconditional one.
 */
final class ExploreFigures {
    /** Prior draws per class in the class figure. */
    static final int CLASS_GRID_DRAWS = 8;

    private final ComputationGraph decoder;
    private final ExploreSettings s;
    private final RegionDecoding.Split split;

    /** @param split where region decoding finds the regions, as stage sample's (polyvae.sample.regions) */
    ExploreFigures(ComputationGraph decoder, ExploreSettings settings, RegionDecoding.Split split) {
        this.decoder = decoder;
        this.s = settings;
        this.split = split;
    }

    static float[] oneHot(int micrometres) {
        return VaeBatches.oneHot(new int[] {micrometres}).toFloatVector();
    }

    /**
     * One row per class of the learned prior, the same standard-normal draws u (seeded) in every row, each
     * mapped through that class's Gaussian (z = m_c + L_c·u): what the class changes, prior and decoder input
     * together.
     */
    byte[] classGrid(LatentPrior prior, long seed) throws IOException {
        Random r = new Random(seed);
        List<double[]> draws = new ArrayList<>();
        for (int k = 0; k < CLASS_GRID_DRAWS; k++) {
            double[] u = new double[prior.codeLength()];
            for (int j = 0; j < u.length; j++) {
                u[j] = r.nextGaussian();
            }
            draws.add(u);
        }
        List<float[]> zs = new ArrayList<>();
        List<float[]> cs = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        for (LatentPrior.Component c : prior.components()) {
            for (int k = 0; k < draws.size(); k++) {
                zs.add(toFloat(LatentPrior.map(c, draws.get(k), 1.0)));
                cs.add(oneHot(c.micrometres()));
                captions.add(c.micrometres() + " µm, u" + k);
            }
        }
        return grid(decode(zs, cs), captions, CLASS_GRID_DRAWS);
    }

    /**
     * Decoded traversals and what they change: row k moves global variable g_k from −range to +range about
     * {@code base}; per row, the Pearson r of g_k with the decoded images' grains per image, mean grain area
     * (px) and mean gray, and those measures at both ends of the row.
     */
    record Traversals(byte[] png, double[][] r, double[][] from, double[][] to) {
        static final String[] MEASURES = {"grains per image", "mean grain area (px)", "mean gray"};
    }

    Traversals traversals(GlobalVariables g, float[] base, float[] c) throws IOException {
        int rows = Math.min(s.traversalDims(), g.count());
        int steps = s.traversalSteps();
        List<float[]> zs = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        double[] t = new double[steps];
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < steps; k++) {
                t[k] = -s.traversalRange() + 2 * s.traversalRange() * k / (steps - 1);
                zs.add(g.move(base, r, t[k]));
                captions.add(String.format(Locale.ROOT, "g%d=%+.1f", r + 1, t[k]));
            }
        }
        byte[][] images = decode(zs, repeat(c, zs.size()));
        int size = (int) Math.round(Math.sqrt(images[0].length));
        int m = Traversals.MEASURES.length;
        double[][] corr = new double[rows][m];
        double[][] from = new double[rows][m];
        double[][] to = new double[rows][m];
        for (int r = 0; r < rows; r++) {
            double[][] measured = new double[m][steps];
            for (int k = 0; k < steps; k++) {
                double[] v = measure(images[r * steps + k], size);
                for (int q = 0; q < m; q++) {
                    measured[q][k] = v[q];
                }
            }
            for (int q = 0; q < m; q++) {
                corr[r][q] = LatentAnalysis.pearson(t, measured[q]);
                from[r][q] = measured[q][0];
                to[r][q] = measured[q][steps - 1];
            }
        }
        return new Traversals(grid(images, captions, steps), corr, from, to);
    }

    /** Grains per image, their mean area (px) and the mean gray (0-255) of a decoded image. */
    static double[] measure(byte[] gray, int size) {
        int[] areas = GrainStatistics.grainAreas(gray, size, GrainStatistics.REFERENCE_JUMP_THRESHOLD,
                GrainStatistics.REFERENCE_MIN_AREA);
        double mean = 0;
        for (byte b : gray) {
            mean += (b & 0xff);
        }
        return new double[] {areas.length, java.util.Arrays.stream(areas).average().orElse(0), mean / gray.length};
    }

    /** The two most informative global variables on a grid over [-range, range]², the others at 0. */
    byte[] manifold(GlobalVariables g, float[] c) throws IOException {
        int steps = s.traversalSteps();
        List<float[]> zs = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        int second = Math.min(1, g.count() - 1);
        for (int r = 0; r < steps; r++) {
            for (int k = 0; k < steps; k++) {
                double x = -s.traversalRange() + 2 * s.traversalRange() * k / (steps - 1);
                double y = s.traversalRange() - 2 * s.traversalRange() * r / (steps - 1);
                zs.add(g.move(g.move(g.centre(), 0, x), second, y));
                captions.add(String.format(Locale.ROOT, "%+.1f,%+.1f", x, y));
            }
        }
        return grid(decode(zs, repeat(c, zs.size())), captions, steps);
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
        return grid(decode(zs, cs), captions, steps);
    }

    /** The dataset's images at their two most informative global variables, coloured by window class. */
    static byte[] scatter(List<EncodedImage> encoded, GlobalVariables g) throws IOException {
        int second = Math.min(1, g.count() - 1);
        XYChart chart = new XYChartBuilder().width(700).height(550)
                .title("dataset images on the two most informative global variables")
                .xAxisTitle("g1").yAxisTitle("g" + (second + 1)).build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(4);
        Color[] colors = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728)};
        int c = 0;
        for (int um : classes(encoded)) {
            List<EncodedImage> cls = encoded.stream().filter(e -> e.micrometres() == um).toList();
            XYSeries series = chart.addSeries(um + "x" + um + " µm",
                    cls.stream().mapToDouble(e -> g.score(e.mu(), 0)).toArray(),
                    cls.stream().mapToDouble(e -> g.score(e.mu(), second)).toArray());
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

    /**
     * 8-bit images the decoder makes of the codes.
     *
     * @param cs the class input of each code, for a conditional decoder; null for an unconditional one
     */
    private byte[][] decode(List<float[]> zs, List<float[]> cs) {
        INDArray z = rows(zs);
        INDArray images = Decoders.decode(decoder, z, cs == null ? null : rows(cs), split,
                RegionDecoding.Cleanup.NONE);
        int pixels = (int) (images.length() / zs.size());
        float[] px = images.castTo(DataType.FLOAT).dup('c').data().asFloat();
        byte[][] out = new byte[zs.size()][pixels];
        for (int i = 0; i < out.length; i++) {
            for (int p = 0; p < pixels; p++) {
                out[i][p] = GrayImages.toByte(px[i * pixels + p]);
            }
        }
        return out;
    }

    private static byte[] grid(byte[][] images, List<String> captions, int columns) throws IOException {
        int size = (int) Math.round(Math.sqrt(images[0].length));
        List<ContactSheet.Tile> tiles = new ArrayList<>();
        for (int i = 0; i < images.length; i++) {
            tiles.add(new ContactSheet.Tile(ContactSheet.gray(images[i], size), captions.get(i)));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ContactSheet.writePng(ContactSheet.render(tiles, columns, Math.max(64, size)), bytes);
        return bytes.toByteArray();
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int j = 0; j < v.length; j++) {
            f[j] = (float) v[j];
        }
        return f;
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
