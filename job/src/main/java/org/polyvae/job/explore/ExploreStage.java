package org.polyvae.job.explore;

import static org.polyvae.io.HadoopFiles.readBytes;
import static org.polyvae.io.HadoopFiles.readString;
import static org.polyvae.io.HadoopFiles.writeBytes;

import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.polyvae.config.ExploreSettings;
import org.polyvae.config.PolyvaeConfig;
import org.polyvae.image.ContactSheet;
import org.polyvae.image.GrayImages;
import org.polyvae.io.AtomicOutput;
import org.polyvae.job.output.OutputLayout;
import org.polyvae.job.output.TrainedModel;
import org.polyvae.model.VaeBatches;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage {@code explore}: encodes the exported dataset on the executors, measures each latent variable's
 * activity (KL per image) and its correlation with window size, E11, grains per image and mean gray,
 * draws traversals of the most active variables and a scatter of the top two coloured by class, and
 * writes them with the architecture, hyperparameters and loss curve into {@code report/index.html}. For a
 * class-conditional model the traversals and the manifold are drawn at the largest window class, the
 * interpolations blend the class input along with z, and {@code classes.png} decodes the same prior draws
 * at every window class (what the condition alone changes).
 */
public final class ExploreStage {
    private static final Logger LOG = LoggerFactory.getLogger(ExploreStage.class);

    private final PolyvaeConfig config;
    private final ExploreSettings s;

    public ExploreStage(PolyvaeConfig config) {
        this.config = config;
        this.s = config.explore();
    }

    public Path run(JavaSparkContext sc) throws IOException {
        OutputLayout layout = new OutputLayout(config);
        FileSystem fs = layout.root().getFileSystem(sc.hadoopConfiguration());
        TrainedModel model = TrainedModel.load(fs, layout.model());
        List<String> batches = new ArrayList<>();
        for (String split : List.of(OutputLayout.TRAIN, OutputLayout.VALIDATION)) {
            Path dir = OutputLayout.batches(layout.batches(), split);
            if (fs.exists(dir)) {
                for (FileStatus st : fs.listStatus(dir)) {
                    if (st.getPath().getName().endsWith(".bin")) {
                        batches.add(st.getPath().toString());
                    }
                }
            }
        }
        if (batches.isEmpty()) {
            throw new IllegalStateException("no batch files under " + fs.makeQualified(layout.batches())
                    + ": run stage train first");
        }
        byte[] vaeZip = model.vaeZip();
        ComputationGraph decoder = model.decoder();
        ComputationGraph vae = model.vae();

        List<EncodedImage> encoded = DatasetEncoder.encode(sc, vaeZip, batches);
        LatentAnalysis a = new LatentAnalysis(encoded);
        boolean conditional = model.settings().conditional();
        Path target = layout.report();
        FileSystem rfs = target.getFileSystem(sc.hadoopConfiguration());
        try (AtomicOutput report = AtomicOutput.begin(rfs, target, true, "polyvae.explore")) {
            Path dir = report.tmp();
            EncodedImage largest = encoded.stream().max(java.util.Comparator.comparingInt(EncodedImage::micrometres))
                    .orElseThrow();
            float[] at = conditional ? oneHot(largest.micrometres()) : null;
            writeBytes(rfs, new Path(dir, "traversals.png"), traversals(decoder, a, new float[a.kl.length], at));
            writeBytes(rfs, new Path(dir, "traversals-real.png"),
                    traversals(decoder, a, largest.mu().clone(), at));
            writeBytes(rfs, new Path(dir, "manifold.png"), manifold(decoder, a, at));
            writeBytes(rfs, new Path(dir, "interpolations.png"), interpolations(decoder, encoded, conditional));
            if (conditional) {
                writeBytes(rfs, new Path(dir, CLASSES_FIGURE), classGrid(decoder, a.kl.length, encoded));
            }
            writeBytes(rfs, new Path(dir, "latent-scatter.png"), scatter(encoded, a));
            writeBytes(rfs, new Path(dir, "loss.png"), readBytes(fs, OutputLayout.lossCurve(model.dir())));
            Path samples = OutputLayout.contactSheet(layout.samples());
            boolean haveSamples = fs.exists(samples);
            if (haveSamples) {
                writeBytes(rfs, new Path(dir, "samples.png"), readBytes(fs, samples));
            }
            Path tessellated = OutputLayout.tessellatedContactSheet(layout.samples());
            boolean haveTessellated = haveSamples && fs.exists(tessellated);
            if (haveTessellated) {
                writeBytes(rfs, new Path(dir, ReportPage.TESSELLATED_SAMPLES), readBytes(fs, tessellated));
            }
            writeBytes(rfs, new Path(dir, "latents.csv"), csv(a).getBytes(StandardCharsets.UTF_8));
            Path section = OutputLayout.evaluationSection(layout.evaluation());
            FileSystem efs = section.getFileSystem(sc.hadoopConfiguration());
            String evaluation = efs.exists(section) ? readString(efs, section) : "";
            String html = new ReportPage(config, vae, a, encoded.size(), haveSamples, haveTessellated, conditional,
                    model.configText(), evaluation).html();
            writeBytes(rfs, OutputLayout.reportPage(dir), html.getBytes(StandardCharsets.UTF_8));
            report.commit();
        }
        LOG.info("explore: {} images encoded, {} of {} latent variables active (KL > {} nats); report at {}",
                encoded.size(), a.active(s.activeThreshold()), a.kl.length, s.activeThreshold(),
                rfs.makeQualified(OutputLayout.reportPage(target)));
        return target;
    }

    static final String CLASSES_FIGURE = "classes.png";
    /** Prior draws per class in {@link #CLASSES_FIGURE}. */
    private static final int CLASS_GRID_DRAWS = 8;

    private static float[] oneHot(int micrometres) {
        return VaeBatches.oneHot(new int[] {micrometres}).toFloatVector();
    }

    /** One row per window class of the data, the same prior draws z (seeded) in every row. */
    private byte[] classGrid(ComputationGraph decoder, int codeLength, List<EncodedImage> encoded) throws IOException {
        java.util.Random r = new java.util.Random(config.sample().seed());
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
        for (int um : new TreeSet<>(encoded.stream().map(EncodedImage::micrometres).toList())) {
            for (int k = 0; k < draws.size(); k++) {
                zs.add(draws.get(k));
                cs.add(oneHot(um));
                captions.add(um + " µm, z" + k);
            }
        }
        return decodeGrid(decoder, zs, cs, captions, CLASS_GRID_DRAWS);
    }

    /** The same class input (or none, for an unconditional decoder) for n tiles. */
    private static List<float[]> repeat(float[] c, int n) {
        return c == null ? null : java.util.Collections.nCopies(n, c);
    }

    /** One row per most-active variable: z = base except z_j from -range to +range. */
    private byte[] traversals(ComputationGraph decoder, LatentAnalysis a, float[] base, float[] c) throws IOException {
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
        return decodeGrid(decoder, zs, repeat(c, zs.size()), captions, steps);
    }

    /** The two most active variables on a grid over [-range, range]², the others at 0. */
    private byte[] manifold(ComputationGraph decoder, LatentAnalysis a, float[] c) throws IOException {
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
        return decodeGrid(decoder, zs, repeat(c, zs.size()), captions, steps);
    }

    /**
     * Straight lines between the posterior means of real images of different classes (and, for a conditional
     * decoder, between their class one-hots).
     */
    private byte[] interpolations(ComputationGraph decoder, List<EncodedImage> encoded, boolean conditional)
            throws IOException {
        List<Integer> classes = new ArrayList<>(new TreeSet<>(encoded.stream().map(EncodedImage::micrometres).toList()));
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
                float[] z = new float[a.length];
                for (int j = 0; j < z.length; j++) {
                    z[j] = (1 - t) * a[j] + t * b[j];
                }
                zs.add(z);
                if (cs != null) {
                    float[] ca = oneHot(from);
                    float[] cb = oneHot(to);
                    float[] mix = new float[ca.length];
                    for (int j = 0; j < mix.length; j++) {
                        mix[j] = (1 - t) * ca[j] + t * cb[j];
                    }
                    cs.add(mix);
                }
                captions.add(k == 0 ? from + " µm" : k == steps - 1 ? to + " µm" : String.format(Locale.ROOT, "t=%.2f", t));
            }
        }
        return decodeGrid(decoder, zs, cs, captions, steps);
    }

    private static EncodedImage firstOf(List<EncodedImage> encoded, int micrometres) {
        return encoded.stream().filter(e -> e.micrometres() == micrometres).findFirst().orElseThrow();
    }

    /** @param cs the class input of each tile, for a conditional decoder; null for an unconditional one */
    private static byte[] decodeGrid(ComputationGraph decoder, List<float[]> zs, List<float[]> cs, List<String> captions,
            int columns) throws IOException {
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
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
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

    private static byte[] scatter(List<EncodedImage> encoded, LatentAnalysis a) throws IOException {
        int x = a.byKl[0];
        int y = a.byKl[Math.min(1, a.byKl.length - 1)];
        XYChart chart = new XYChartBuilder().width(700).height(550).title("posterior means, two most active variables")
                .xAxisTitle("mu[" + x + "]").yAxisTitle("mu[" + y + "]").build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(4);
        Color[] colors = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728)};
        int c = 0;
        for (int um : new TreeSet<>(encoded.stream().map(EncodedImage::micrometres).toList())) {
            List<EncodedImage> cls = encoded.stream().filter(e -> e.micrometres() == um).toList();
            XYSeries series = chart.addSeries(um + "x" + um + " µm",
                    cls.stream().mapToDouble(e -> e.mu()[x]).toArray(), cls.stream().mapToDouble(e -> e.mu()[y]).toArray());
            series.setMarkerColor(colors[c++ % colors.length]);
        }
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }

    private static String csv(LatentAnalysis a) {
        StringBuilder sb = new StringBuilder("dimension,kl_per_image,r_window_size,r_e11,r_grains,r_mean_gray\n");
        for (int j : a.byKl) {
            sb.append(String.format(Locale.ROOT, "%d,%.5f,%.4f,%.4f,%.4f,%.4f%n", j, a.kl[j], a.correlation[j][0],
                    a.correlation[j][1], a.correlation[j][2], a.correlation[j][3]));
        }
        return sb.toString();
    }
}
