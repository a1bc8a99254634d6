package org.polyvae.model;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.polyvae.config.TrainSettings.PriorOrder;

/**
 * A learned prior over the VAE's spatial code that models its structure: the code map (C channels on an
 * H × H grid) is drawn position by position, each position's C values from a mixture of Gaussians whose
 * parameters a small network predicts from the already-drawn positions around it, the position itself and
 * the window class. In {@link PriorOrder#RASTER raster} order a position sees the causal window of
 * {@value #RADIUS} rows above and {@value #RADIUS} columns either side; in {@link PriorOrder#RANDOM random}
 * order (a new one per code, as order-agnostic autoregressive models are trained) it sees the drawn positions
 * of the (2·{@value #RANDOM_RADIUS} + 1)² window centred on it, each with a drawn flag, so the first positions
 * of a map are drawn far apart and the later ones fill in between them from both sides.
 *
 * <p>Why: one Gaussian per class ({@link LatentPrior}) averages grain layouts. A draw from it superposes
 * several layouts' codes, and the decoder answers with noisy boundary maps and too many regions, while
 * codes of single training images decode to grains of the right count. A conditional mixture per position
 * picks one local layout at a time, consistent with its neighbours, and learns from H² positions per image
 * (tens of thousands of examples from a thousand images) instead of one code per image. It is trained on
 * posterior draws z = mu + σ·ε of the training images (the codes the decoder was trained on), standardised
 * per channel; the network is an ordinary ComputationGraph ({@link #network}) with a
 * {@link MixtureDensityLoss} output, so parameter averaging trains it like the VAE.
 */
public final class AutoregressivePrior {
    /** Rows above and columns either side of a position that its context sees in raster order. */
    public static final int RADIUS = 2;
    /** Rows and columns on each side of a position that its context sees in random order. */
    public static final int RANDOM_RADIUS = 3;
    /** The files of versions that drew in raster order only (no order field): still read, as raster. */
    private static final long MAGIC_RASTER_ONLY = 0x5056415250523031L; // "PVARPR01"
    private static final long MAGIC = 0x5056415250523032L; // "PVARPR02"
    private static final int[][] CAUSAL = causalOffsets(RADIUS);
    private static final int[][] CENTRED = centredOffsets(RANDOM_RADIUS);

    private final PriorOrder order;
    private final int channels;
    private final int size;
    private final int[] classes;
    private final int components;
    private final float[] mean;
    private final float[] std;
    private final ComputationGraph net;

    /**
     * @param order   the order its network was trained to draw a map's positions in (its input width follows it)
     * @param classes the window sizes (µm) of the class input, in its column order; empty for an
     *                unconditional model
     * @param mean    per channel, the mean of the training codes (subtracted before the network sees them)
     * @param std     per channel, their standard deviation
     */
    public AutoregressivePrior(PriorOrder order, int channels, int size, int[] classes, int components, float[] mean,
            float[] std, ComputationGraph net) {
        if (mean.length != channels || std.length != channels) {
            throw new IllegalArgumentException("the code has " + channels + " channels; got " + mean.length
                    + " means and " + std.length + " standard deviations");
        }
        this.order = order;
        this.channels = channels;
        this.size = size;
        this.classes = classes.clone();
        this.components = components;
        this.mean = mean.clone();
        this.std = std.clone();
        this.net = net;
        long in = net.getConfiguration().getNetworkInputs().size();
        if (in != 1) {
            throw new IllegalArgumentException("an autoregressive prior's network has one input, this one " + in);
        }
    }

    /** The causal window: (row, column) offsets of the positions before (0, 0) in raster order. */
    private static int[][] causalOffsets(int radius) {
        List<int[]> out = new ArrayList<>();
        for (int dr = -radius; dr <= 0; dr++) {
            for (int dc = -radius; dc <= radius; dc++) {
                if (dr < 0 || dc < 0) {
                    out.add(new int[] {dr, dc});
                }
            }
        }
        return out.toArray(new int[0][]);
    }

    /** The centred window: (row, column) offsets of every position within {@code radius} of (0, 0) but itself. */
    private static int[][] centredOffsets(int radius) {
        List<int[]> out = new ArrayList<>();
        for (int dr = -radius; dr <= radius; dr++) {
            for (int dc = -radius; dc <= radius; dc++) {
                if (dr != 0 || dc != 0) {
                    out.add(new int[] {dr, dc});
                }
            }
        }
        return out.toArray(new int[0][]);
    }

    private static int[][] offsets(PriorOrder order) {
        return order == PriorOrder.RASTER ? CAUSAL : CENTRED;
    }

    /** Flags per window position: inside the map; in random order also drawn already. */
    private static int flags(PriorOrder order) {
        return order == PriorOrder.RASTER ? 1 : 2;
    }

    /**
     * Context features per position: each window position's channels and its flags, the row and column
     * one-hot, the class one-hot.
     */
    public static int features(PriorOrder order, int channels, int size, int classCount) {
        return offsets(order).length * (channels + flags(order)) + 2 * size + classCount;
    }

    /**
     * The network: two hidden layers of {@code hidden} units and a mixture output of {@code components}
     * Gaussians over one position's channels.
     */
    public static ComputationGraph network(PriorOrder order, int channels, int size, int classCount, int hidden,
            int components, double learningRate, long seed) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Adam(learningRate))
                .weightInit(WeightInit.RELU)
                .graphBuilder()
                .addInputs("context")
                .addLayer("hidden-1", new DenseLayer.Builder().nOut(hidden).activation(Activation.RELU).build(),
                        "context")
                .addLayer("hidden-2", new DenseLayer.Builder().nOut(hidden).activation(Activation.RELU).build(),
                        "hidden-1")
                .addLayer("mixture", new OutputLayer.Builder(new MixtureDensityLoss(components))
                        .nOut(MixtureDensityLoss.outputs(components, channels)).activation(Activation.IDENTITY)
                        .weightInit(WeightInit.XAVIER).build(), "hidden-2")
                .setOutputs("mixture")
                .setInputTypes(InputType.feedForward(features(order, channels, size, classCount)))
                .build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }

    /** Per channel, the mean and standard deviation of {@code codes} (each C·H·H values, channel-major). */
    public static float[][] channelMoments(List<float[]> codes, int channels) {
        double[] sum = new double[channels];
        double[] sq = new double[channels];
        long count = 0;
        for (float[] z : codes) {
            int per = z.length / channels;
            for (int c = 0; c < channels; c++) {
                for (int p = 0; p < per; p++) {
                    double v = z[c * per + p];
                    sum[c] += v;
                    sq[c] += v * v;
                }
            }
            count += per;
        }
        float[] m = new float[channels];
        float[] s = new float[channels];
        for (int c = 0; c < channels; c++) {
            double mu = sum[c] / Math.max(1, count);
            m[c] = (float) mu;
            s[c] = (float) Math.sqrt(Math.max(1e-8, sq[c] / Math.max(1, count) - mu * mu));
        }
        return new float[][] {m, s};
    }

    /**
     * Training rows: one per position of every code (features, and the position's standardised channels as
     * the target). In random order each code's positions are drawn in an order of their own from
     * {@code random}, so a position's context holds what that order drew before it.
     *
     * @param codes   codes of length C·H·H, channel-major (as the VAE flattens its code map)
     * @param classes the window size (µm) of each code; ignored for an unconditional model
     */
    public static MultiDataSet rows(PriorOrder order, List<float[]> codes, int[] classes, int channels, int size,
            int[] classOrder, float[] mean, float[] std, Random random) {
        int n = codes.size();
        int positions = size * size;
        int f = features(order, channels, size, classOrder.length);
        float[] x = new float[n * positions * f];
        float[] y = new float[n * positions * channels];
        float[][] maps = new float[n][];
        for (int i = 0; i < n; i++) {
            maps[i] = standardise(codes.get(i), channels, mean, std);
        }
        for (int i = 0; i < n; i++) {
            int cls = classOrder.length == 0 ? -1 : classIndex(classes[i], classOrder);
            int[] sequence = drawingOrder(order, positions, random);
            boolean[] drawn = new boolean[positions];
            for (int k = 0; k < positions; k++) {
                int p = sequence[k];
                int row = i * positions + k;
                context(order, maps[i], drawn, p, channels, size, cls, classOrder.length, x, row * f);
                drawn[p] = true;
                for (int c = 0; c < channels; c++) {
                    y[row * channels + c] = maps[i][c * positions + p];
                }
            }
        }
        int rows = n * positions;
        return new org.nd4j.linalg.dataset.MultiDataSet(Nd4j.create(x, new long[] {rows, f}),
                Nd4j.create(y, new long[] {rows, channels}));
    }

    private static int classIndex(int micrometres, int[] order) {
        int c = VaeBatches.classIndex(micrometres, order);
        if (c < 0) {
            throw new IllegalArgumentException("a code of a " + micrometres + " µm image; the prior's classes are "
                    + Arrays.toString(order) + " µm");
        }
        return c;
    }

    private static float[] standardise(float[] z, int channels, float[] mean, float[] std) {
        int per = z.length / channels;
        float[] out = new float[z.length];
        for (int c = 0; c < channels; c++) {
            for (int p = 0; p < per; p++) {
                out[c * per + p] = (z[c * per + p] - mean[c]) / std[c];
            }
        }
        return out;
    }

    /** The positions of a map in the order they are drawn: raster order, or a random permutation. */
    private static int[] drawingOrder(PriorOrder order, int positions, Random random) {
        int[] sequence = new int[positions];
        for (int p = 0; p < positions; p++) {
            sequence[p] = p;
        }
        if (order == PriorOrder.RANDOM) {
            for (int p = positions - 1; p > 0; p--) {
                int q = random.nextInt(p + 1);
                int t = sequence[p];
                sequence[p] = sequence[q];
                sequence[q] = t;
            }
        }
        return sequence;
    }

    /**
     * Writes position {@code p}'s context features of standardised map {@code map} into x at {@code at}. In
     * raster order every position of the causal window inside the map is drawn; in random order
     * {@code drawn} says which are.
     */
    private static void context(PriorOrder order, float[] map, boolean[] drawn, int p, int channels, int size,
            int cls, int classCount, float[] x, int at) {
        int positions = size * size;
        int r = p / size;
        int col = p % size;
        int k = at;
        boolean random = order == PriorOrder.RANDOM;
        for (int[] o : offsets(order)) {
            int rr = r + o[0];
            int cc = col + o[1];
            boolean inside = rr >= 0 && rr < size && cc >= 0 && cc < size;
            boolean known = inside && (!random || drawn[rr * size + cc]);
            for (int c = 0; c < channels; c++) {
                x[k++] = known ? map[c * positions + rr * size + cc] : 0f;
            }
            x[k++] = inside ? 1f : 0f;
            if (random) {
                x[k++] = known ? 1f : 0f;
            }
        }
        x[k + r] = 1f;
        x[k + size + col] = 1f;
        k += 2 * size;
        if (cls >= 0) {
            x[k + cls] = 1f;
        }
    }

    public int codeLength() {
        return channels * size * size;
    }

    /** The order it draws a map's positions in. */
    public PriorOrder order() {
        return order;
    }

    /** The network that predicts each position's mixture. */
    public ComputationGraph graph() {
        return net;
    }

    /** The window sizes (µm) it draws, in its class input's order; empty when unconditional. */
    public int[] classes() {
        return classes.clone();
    }

    public boolean unconditional() {
        return classes.length == 0;
    }

    /** Whether it can draw window size {@code micrometres} (µm): an unconditional prior draws any. */
    public boolean covers(int micrometres) {
        return unconditional() || VaeBatches.classIndex(micrometres, classes) >= 0;
    }

    /**
     * Draws one code per entry of {@code micrometres} (ignored when unconditional), sample i with the
     * random numbers of {@code randoms.apply(i)}: each position picks a mixture component by its weight and
     * draws around its mean with its standard deviation scaled by {@code temperature}.
     *
     * @return codes of length C·H·H, channel-major
     */
    public double[][] sample(int[] micrometres, IntFunction<Random> randoms, double temperature) {
        int n = micrometres.length;
        int positions = size * size;
        int f = features(order, channels, size, classes.length);
        int[] cls = new int[n];
        Random[] rng = new Random[n];
        int[][] sequence = new int[n][];
        boolean[][] drawn = new boolean[n][positions];
        for (int i = 0; i < n; i++) {
            cls[i] = unconditional() ? -1 : classIndex(micrometres[i], classes);
            rng[i] = randoms.apply(i);
            sequence[i] = drawingOrder(order, positions, rng[i]);
        }
        float[][] maps = new float[n][channels * positions];
        int k = components;
        int width = MixtureDensityLoss.outputs(k, channels);
        for (int step = 0; step < positions; step++) {
            float[] x = new float[n * f];
            for (int i = 0; i < n; i++) {
                context(order, maps[i], drawn[i], sequence[i][step], channels, size, cls[i], classes.length, x, i * f);
            }
            INDArray out = net.outputSingle(false, Nd4j.create(x, new long[] {n, f}));
            double[] o = out.castTo(DataType.DOUBLE).dup('c').data().asDouble();
            for (int i = 0; i < n; i++) {
                int base = i * width;
                double logNorm = MixtureDensityLoss.logNormaliser(o, base, k);
                double u = rng[i].nextDouble();
                int pick = k - 1;
                for (int c = 0; c < k; c++) {
                    u -= Math.exp(o[base + c] - logNorm);
                    if (u < 0) {
                        pick = c;
                        break;
                    }
                }
                int p = sequence[i][step];
                for (int c = 0; c < channels; c++) {
                    double m = o[base + k + pick * channels + c];
                    double s = Math.exp(MixtureDensityLoss.clampedLogSigma(o[base + k + k * channels + pick * channels + c]));
                    maps[i][c * positions + p] = (float) (m + temperature * s * rng[i].nextGaussian());
                }
                drawn[i][p] = true;
            }
        }
        double[][] z = new double[n][channels * positions];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < channels; c++) {
                for (int p = 0; p < positions; p++) {
                    z[i][c * positions + p] = maps[i][c * positions + p] * std[c] + mean[c];
                }
            }
        }
        return z;
    }

    /** Writes the prior (its geometry, standardisation and network; read back by {@link #read}). */
    public void write(OutputStream stream) throws IOException {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, zip, false);
        DataOutputStream out = new DataOutputStream(stream);
        out.writeLong(MAGIC);
        out.writeInt(order.ordinal());
        out.writeInt(channels);
        out.writeInt(size);
        out.writeInt(components);
        out.writeInt(classes.length);
        for (int c : classes) {
            out.writeInt(c);
        }
        for (int c = 0; c < channels; c++) {
            out.writeFloat(mean[c]);
            out.writeFloat(std[c]);
        }
        out.writeInt(zip.size());
        zip.writeTo(out);
        out.flush();
    }

    /**
     * Reads a prior {@link #write} wrote.
     *
     * @param source named in the error when the bytes are not an autoregressive prior
     */
    public static AutoregressivePrior read(InputStream stream, String source) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        long magic = in.readLong();
        if (magic != MAGIC && magic != MAGIC_RASTER_ONLY) {
            throw new IOException(source + " is not an autoregressive prior written by this version of polyvae: "
                    + "train again");
        }
        PriorOrder order = PriorOrder.RASTER;
        if (magic == MAGIC) {
            int o = in.readInt();
            if (o < 0 || o >= PriorOrder.values().length) {
                throw new IOException(source + " is damaged: drawing order " + o);
            }
            order = PriorOrder.values()[o];
        }
        int channels = in.readInt();
        int size = in.readInt();
        int components = in.readInt();
        int classCount = in.readInt();
        if (channels < 1 || channels > 1024 || size < 1 || size > 1024 || components < 1 || components > 1024
                || classCount < 0 || classCount > 64) {
            throw new IOException(source + " is damaged: " + channels + " channels, " + size + " positions a side, "
                    + components + " components, " + classCount + " classes");
        }
        int[] classes = new int[classCount];
        for (int c = 0; c < classCount; c++) {
            classes[c] = in.readInt();
        }
        float[] mean = new float[channels];
        float[] std = new float[channels];
        for (int c = 0; c < channels; c++) {
            mean[c] = in.readFloat();
            std[c] = in.readFloat();
        }
        int length = in.readInt();
        if (length < 1) {
            throw new IOException(source + " is damaged: a network of " + length + " bytes");
        }
        byte[] zip = in.readNBytes(length);
        if (zip.length != length) {
            throw new IOException(source + " is truncated: its network has " + zip.length + " of " + length + " bytes");
        }
        ComputationGraph net = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(zip), false);
        long nIn = net.getLayer("hidden-1").getParam("W").size(0);
        if (nIn != features(order, channels, size, classCount)) {
            throw new IOException(source + " is damaged: its network takes " + nIn + " features, its geometry gives "
                    + features(order, channels, size, classCount));
        }
        return new AutoregressivePrior(order, channels, size, classes, components, mean, std, net);
    }
}
