package org.polyvae.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.polyvae.model.NativeThreads;
import org.polyvae.config.ModelSettings;
import org.polyvae.config.PolyvaeConfig;
import org.polyvae.job.batches.VaeBatchLoader;
import org.polyvae.job.output.TrainedModel;
import org.polyvae.image.ContactSheet;
import org.polyvae.image.GrayImages;
import org.polyvae.metrics.GrainStatistics;
import org.polyvae.model.Decoders;
import org.polyvae.model.LatentPrior;
import org.polyvae.model.RegionDecoding;
import org.polyvae.model.VaeArchitecture;
import org.polyvae.model.VaeBatches;

/**
 * Where a trained model's blur comes from: per class, the flat-pixel share and grains per image of the
 * held-out images, of their reconstructions (the decoded posterior means) and of prior samples of the
 * same class, from N(0, T² I) and from the learned prior stage train fitted (model/prior.bin). Sharp reconstructions but blurry samples point at the prior;
 * blurry reconstructions at the likelihood and the decoder. Prints a Markdown table and writes
 * OUTPUT_DIR/reconstructions.png (per class: held-out images, reconstructions and both kinds of draws).
 * For a region-decoding model it also shows what the decoder draws before region decoding: each learned-prior
 * draw's per-pixel most likely level beside the region-decoded image, and a second table of how sure the
 * decoder is of each pixel's level (its largest level probability) for reconstructions and for draws, and of
 * the draws' gray histograms (16 bins) against the held-out images', per pixel mode and region-decoded.
 * <pre>  ReconstructionBenchmark OUTPUT_DIR [TEMPERATURE [key=value ...]]</pre>
 * OUTPUT_DIR is a pipeline run's polyvae.output.dir (model/ and batches/validation/ in it); the key=value pairs
 * set how region decoding finds the regions (polyvae.sample.regions, polyvae.sample.basin-merge).
 */
public final class ReconstructionBenchmark {
    private ReconstructionBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        NativeThreads.useConfigured(); // as stage train's driver and workers: OMP_NUM_THREADS, not ND4J's 4
        Path out = Path.of(args[0]);
        double temperature = args.length > 1 ? Double.parseDouble(args[1]) : 1.0;
        List<String> overrides = Arrays.asList(args).subList(Math.min(2, args.length), args.length);
        RegionDecoding.Split split = RegionDecoding.Split.of(PolyvaeConfig.load(List.of(), overrides).sample());
        System.out.println("region decoding: " + split.describe());
        TrainedModel model = TrainedModel.load(FileSystem.getLocal(new Configuration()),
                new org.apache.hadoop.fs.Path(out.resolve("model").toUri()));
        ModelSettings s = model.settings();
        ComputationGraph vae = model.vae();
        ComputationGraph decoder = model.decoder();
        boolean conditional = VaeArchitecture.isConditional(vae);
        LatentPrior learned = model.prior();
        for (LatentPrior.Component comp : learned.components()) {
            System.out.printf(Locale.ROOT, "prior %d µm: %d images, shrinkage %.3f%n", comp.micrometres(),
                    comp.images(), comp.shrinkage());
        }
        java.util.Random rng = new java.util.Random(1);
        Map<Integer, double[]> sums = new TreeMap<>();
        Map<Integer, java.util.List<ContactSheet.Tile>> sheet = new TreeMap<>();
        Map<Integer, double[]> decoding = new TreeMap<>();
        boolean regions = Decoders.regionDecoding(decoder);
        int perRow = regions ? 8 : 4;
        Nd4j.getRandom().setSeed(1);
        try (Stream<Path> files = Files.list(out.resolve("batches/validation"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".bin")).sorted().toList()) {
                MultiDataSet file;
                try (InputStream in = Files.newInputStream(f)) {
                    file = VaeBatchLoader.read(in, f.toString());
                }
                INDArray x = file.getFeatures(0);
                int[] um = file.getLabels(0).getColumn(0).toIntVector();
                INDArray c = VaeBatches.oneHot(um);
                INDArray post = VaeArchitecture.posterior(vae,
                        conditional ? new INDArray[] {x, c} : new INDArray[] {x});
                INDArray mu = post.get(NDArrayIndex.all(), NDArrayIndex.interval(0, s.codeLength())).dup();
                INDArray z = Nd4j.randn(DataType.FLOAT, x.size(0), s.codeLength()).muli(temperature);
                INDArray classes = conditional ? c : null;
                INDArray[] reconOut = Decoders.outputs(decoder, mu, classes);
                INDArray recon = Decoders.images(decoder, reconOut, split, RegionDecoding.Cleanup.NONE);
                INDArray prior = Decoders.decode(decoder, z, classes, split, RegionDecoding.Cleanup.NONE);
                float[][] lz = new float[um.length][];
                for (int i = 0; i < um.length; i++) {
                    double[] v = learned.sample(um[i], rng, temperature);
                    lz[i] = new float[v.length];
                    for (int j = 0; j < v.length; j++) {
                        lz[i][j] = (float) v[j];
                    }
                }
                INDArray[] drawn = Decoders.outputs(decoder, Nd4j.create(lz), classes);
                INDArray learnedSamples = Decoders.images(decoder, drawn, split, RegionDecoding.Cleanup.NONE);
                INDArray modes = regions ? modeImages(drawn[1]) : null;
                INDArray reconModes = regions ? modeImages(reconOut[1]) : null;
                INDArray reconSure = regions ? reconOut[1].max(1) : null;
                INDArray drawSure = regions ? drawn[1].max(1) : null;
                int size = (int) x.size(2);
                for (int i = 0; i < um.length; i++) {
                    // Each image's pixels once, for the statistics, the histograms and the sheet alike.
                    float[] real = pixels(x, i);
                    float[] reconstructed = pixels(recon, i);
                    float[] standard = pixels(prior, i);
                    float[] learnedDraw = pixels(learnedSamples, i);
                    float[] drawModes = regions ? pixels(modes, i) : null;
                    float[] reconDrawnModes = regions ? pixels(reconModes, i) : null;
                    float[] reconBoundaries = regions ? pixels(reconOut[2], i) : null;
                    float[] drawBoundaries = regions ? pixels(drawn[2], i) : null;
                    double[] acc = sums.computeIfAbsent(um[i], k -> new double[9]);
                    acc[0]++;
                    add(acc, 1, real, size);
                    add(acc, 3, reconstructed, size);
                    add(acc, 5, standard, size);
                    add(acc, 7, learnedDraw, size);
                    if (regions) {
                        double[] d = decoding.computeIfAbsent(um[i], k -> new double[3 + 3 * BINS]);
                        d[0]++;
                        d[1] += reconSure.get(NDArrayIndex.point(i)).meanNumber().doubleValue();
                        d[2] += drawSure.get(NDArrayIndex.point(i)).meanNumber().doubleValue();
                        histogram(d, 3, real, size);
                        histogram(d, 3 + BINS, drawModes, size);
                        histogram(d, 3 + 2 * BINS, learnedDraw, size);
                    }
                    java.util.List<ContactSheet.Tile> tiles = sheet.computeIfAbsent(um[i], k -> new java.util.ArrayList<>());
                    if (tiles.size() < perRow * SHEET_ROWS) {
                        tiles.add(tile(real, size, um[i] + " µm data"));
                        tiles.add(tile(reconstructed, size, "reconstruction"));
                        if (regions) {
                            tiles.add(tile(reconDrawnModes, size, "its pixel modes"));
                            tiles.add(tile(reconBoundaries, size, "its boundary map"));
                        }
                        tiles.add(tile(standard, size, "N(0, I)"));
                        tiles.add(tile(learnedDraw, size, "learned prior"));
                        if (regions) {
                            tiles.add(tile(drawModes, size, "its pixel modes"));
                            tiles.add(tile(drawBoundaries, size, "its boundary map"));
                        }
                    }
                }
            }
        }
        System.out.println("| class µm | images | flat share: data / reconstruction / N(0, I) sample / learned-prior "
                + "sample | grains per image: data / reconstruction / N(0, I) sample / learned-prior sample |");
        System.out.println("|---|---|---|---|");
        sums.forEach((um, a) -> System.out.println(String.format(Locale.ROOT,
                "| %d | %.0f | %.3f / %.3f / %.3f / %.3f | %.1f / %.1f / %.1f / %.1f |", um, a[0], a[1] / a[0],
                a[3] / a[0], a[5] / a[0], a[7] / a[0], a[2] / a[0], a[4] / a[0], a[6] / a[0], a[8] / a[0])));
        if (regions) {
            System.out.println();
            System.out.println("| class µm | mean largest level probability: reconstructions / learned-prior draws "
                    + "| gray histogram L1 to the data's: draws' pixel modes / region-decoded draws "
                    + "| gray histogram, 16 bins: data | draws' pixel modes | region-decoded draws |");
            System.out.println("|---|---|---|---|---|---|");
            decoding.forEach((um, d) -> System.out.println(String.format(Locale.ROOT,
                    "| %d | %.3f / %.3f | %.2f / %.2f | %s | %s | %s |", um, d[1] / d[0], d[2] / d[0],
                    l1(d, 3, 3 + BINS), l1(d, 3, 3 + 2 * BINS), bins(d, 3), bins(d, 3 + BINS), bins(d, 3 + 2 * BINS))));
        }
        Path png = out.resolve("reconstructions.png");
        java.util.List<ContactSheet.Tile> all = sheet.values().stream().flatMap(java.util.List::stream).toList();
        try (java.io.OutputStream os = Files.newOutputStream(png)) {
            ContactSheet.writePng(ContactSheet.render(all, regions ? perRow : 2 * perRow, 128), os);
        }
        System.out.println("contact sheet (per class: data, reconstruction"
                + (regions ? ", its per-pixel most likely levels, its boundary probabilities" : "")
                + ", N(0, I) draw, learned-prior draw"
                + (regions ? ", that draw's per-pixel most likely levels and boundary probabilities" : "") + "): " + png);
    }

    private static final int SHEET_ROWS = 3;

    /** Image i of [n, 1, h, w] grays as its h·w pixels, row by row. */
    private static float[] pixels(INDArray images, int i) {
        return images.get(NDArrayIndex.point(i)).dup('c').castTo(DataType.FLOAT).data().asFloat();
    }

    private static ContactSheet.Tile tile(float[] gray, int size, String caption) {
        return new ContactSheet.Tile(ContactSheet.gray(GrayImages.toBytes(gray), size), caption);
    }

    private static final int BINS = 16;

    /** [n, 1, h, w]: each pixel's most likely level, as the centre gray (k + ½) / K region decoding gives it. */
    private static INDArray modeImages(INDArray probabilities) {
        long k = probabilities.size(1);
        INDArray index = Nd4j.argMax(probabilities, 1).castTo(DataType.FLOAT);
        return index.addi(0.5).divi(k).reshape(probabilities.size(0), 1, probabilities.size(2), probabilities.size(3));
    }

    /** Adds an image's gray histogram ({@link GrainStatistics#grayHistogram}, shares summing to 1) to acc[at..]. */
    private static void histogram(double[] acc, int at, float[] gray, int size) {
        double[] h = GrainStatistics.grayHistogram(GrayImages.toBytes(gray), size, BINS);
        for (int k = 0; k < BINS; k++) {
            acc[at + k] += h[k];
        }
    }

    /** L1 distance between the histograms summed at acc[a..] and acc[b..], each normalised to shares. */
    private static double l1(double[] acc, int a, int b) {
        double[] p = shares(acc, a);
        double[] q = shares(acc, b);
        double d = 0;
        for (int k = 0; k < BINS; k++) {
            d += Math.abs(p[k] - q[k]);
        }
        return d;
    }

    /** The histogram summed at acc[at..], as shares summing to 1. */
    private static double[] shares(double[] acc, int at) {
        double sum = 0;
        for (int k = 0; k < BINS; k++) {
            sum += acc[at + k];
        }
        double[] out = new double[BINS];
        for (int k = 0; k < BINS; k++) {
            out[k] = acc[at + k] / sum;
        }
        return out;
    }

    private static String bins(double[] acc, int at) {
        StringBuilder b = new StringBuilder();
        for (double share : shares(acc, at)) {
            b.append(b.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.2f", share));
        }
        return b.toString();
    }

    /** Adds an image's flat share to acc[at] and its grain count to acc[at + 1] (the reference measurement). */
    private static void add(double[] acc, int at, float[] gray, int size) {
        acc[at] += GrainStatistics.flatPixelShare(gray, size, GrainStatistics.REFERENCE_FLAT_TOLERANCE);
        acc[at + 1] += GrainStatistics.countGrains(gray, size, GrainStatistics.REFERENCE_JUMP_THRESHOLD,
                GrainStatistics.REFERENCE_MIN_AREA);
    }
}
