package org.polyvae.onnx;

import static org.polyvae.onnx.OnnxGraph.attribute;

import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.polyvae.config.ModelSettings;
import org.polyvae.data.WindowClass;
import org.polyvae.model.LatentPrior;
import org.polyvae.model.VaeArchitecture;

/**
 * The trained model as three ONNX graphs that together sample and encode outside the JVM:
 * <pre>
 *   prior.onnx    eps [batch, d] (standard normal) [, class [batch, 4]]  →  z [batch, d]
 *   decoder.onnx  z [batch, d] [, class [batch, 4]]                      →  image [batch, 1, res, res]
 *   encoder.onnx  image [batch, 1, res, res] [, class [batch, 4]]        →  mu, logvar [batch, d]
 * </pre>
 * "class" (a conditional model only) is the window class one-hot in {@link WindowClass} order (2, 3, 5,
 * 10 µm); "image" holds grays in [0, 1] (gray / 255), the decoder's exactly as stage sample decodes it
 * before any post-step; z is the code stage sample draws and the decoder takes, so
 * decoder(prior(eps · T)) is a sample at temperature T. d = {@link ModelSettings#codeLength()}.
 * <p>
 * A model that decodes by regions (polyvae.model.gray-decoding = region) has two more decoder outputs,
 * "level_probabilities" and "boundary", from which {@link org.polyvae.model.RegionDecoding} makes its samples
 * (connected components and a per-region arg max, which ONNX has no operator for); its "image" is then the
 * per-pixel mode of the same levels.
 */
public final class VaeOnnx {
    public static final String EPS = "eps";
    public static final String Z = "z";
    public static final String CLASS = "class";
    public static final String IMAGE = "image";
    public static final String MU = "mu";
    public static final String LOGVAR = "logvar";
    /** decoder.onnx of a region-decoding model: each pixel's level probabilities [batch, K, res, res]. */
    public static final String LEVEL_PROBABILITIES = "level_probabilities";
    /** decoder.onnx of a region-decoding model: each pixel's grain-boundary probability [batch, 1, res, res]. */
    public static final String BOUNDARY = "boundary";

    private VaeOnnx() {
    }

    /** decoder.onnx from the standalone decoder ({@link org.polyvae.model.Decoders}). */
    public static byte[] decoder(ComputationGraph decoder, ModelSettings s) {
        OnnxGraph onnx = new OnnxGraph("polyvae-decoder", "z" + (s.conditional() ? " and window class" : "")
                + " to a gray image in [0, 1]");
        GraphTranslator t = new GraphTranslator(decoder, onnx);
        t.bind(VaeArchitecture.Z, onnx.input(Z, s.codeLength()));
        bindClass(t, onnx, s);
        List<String> outputs = decoder.getConfiguration().getNetworkOutputs();
        onnx.output(IMAGE, t.translate(outputs.get(0)), 1, s.resolution(), s.resolution());
        if (outputs.contains(VaeArchitecture.BOUNDARY)) {
            onnx.output(LEVEL_PROBABILITIES, t.translate(VaeArchitecture.RECONSTRUCTION), s.grayLevels(), s.resolution(),
                    s.resolution());
            onnx.output(BOUNDARY, t.translate(VaeArchitecture.BOUNDARY), 1, s.resolution(), s.resolution());
        }
        describe(onnx, s);
        return onnx.toBytes();
    }

    /** encoder.onnx from the VAE: the posterior's mean and log-variance (the code a stage uses is mu). */
    public static byte[] encoder(ComputationGraph vae, ModelSettings s) {
        OnnxGraph onnx = new OnnxGraph("polyvae-encoder", "a gray image in [0, 1]"
                + (s.conditional() ? " and its window class" : "") + " to the mean and log-variance of q(z | x)");
        GraphTranslator t = new GraphTranslator(vae, onnx);
        t.bind(VaeArchitecture.INPUT, onnx.input(IMAGE, 1, s.resolution(), s.resolution()));
        bindClass(t, onnx, s);
        String posterior = t.translate(VaeArchitecture.codePosterior(vae));
        int d = s.codeLength();
        String[] halves = onnx.node("Split", List.of(posterior, onnx.longs("posterior_split", d, d)),
                new String[] {"posterior_mu", "posterior_logvar"}, attribute("axis", 1L));
        onnx.output(MU, halves[0], d);
        onnx.output(LOGVAR, halves[1], d);
        describe(onnx, s);
        return onnx.toBytes();
    }

    /**
     * prior.onnx: z = m_c + L_c · eps, the learned prior's Gaussian of class c ({@link LatentPrior#map} at
     * temperature 1; scale eps for another). A class the prior was not fitted on has mean 0 and no spread
     * here (the model card lists the classes it was fitted on).
     */
    public static byte[] prior(LatentPrior prior) {
        int d = prior.codeLength();
        boolean conditional = !prior.unconditional();
        OnnxGraph onnx = new OnnxGraph("polyvae-prior", "a standard-normal eps" + (conditional
                ? " and window class" : "") + " to a code z under the learned prior");
        String eps = onnx.input(EPS, d);
        String z;
        if (conditional) {
            String onehot = onnx.input(CLASS, VaeArchitecture.CLASSES);
            int c = VaeArchitecture.CLASSES;
            float[] means = new float[c * d];
            float[] choleskyT = new float[d * c * d]; // [d, c·d]: block k holds L_kᵀ
            for (WindowClass w : WindowClass.values()) {
                if (!prior.covers(w.micrometres())) {
                    continue;
                }
                LatentPrior.Component comp = prior.component(w.micrometres());
                int k = w.ordinal();
                double[][] l = comp.cholesky();
                for (int a = 0; a < d; a++) {
                    means[k * d + a] = (float) comp.mean()[a];
                    for (int b = 0; b <= a; b++) {
                        choleskyT[b * c * d + k * d + a] = (float) l[a][b];
                    }
                }
            }
            String spreadAll = onnx.node("MatMul", List.of(eps, onnx.floats("cholesky_t", choleskyT, d, (long) c * d)),
                    "spread_all");
            String perClass = onnx.node("Reshape", List.of(spreadAll, onnx.longs("per_class_shape", -1, c, d)),
                    "spread_per_class");
            String mask = onnx.node("Unsqueeze", List.of(onehot, onnx.longs("mask_axes", 2)), "class_mask");
            String spread = onnx.node("ReduceSum", List.of(onnx.node("Mul", List.of(perClass, mask), "spread_masked"),
                    onnx.longs("spread_axes", 1)), "spread", attribute("keepdims", 0L));
            String mean = onnx.node("MatMul", List.of(onehot, onnx.floats("means", means, c, d)), "mean");
            z = onnx.node("Add", List.of(mean, spread), "z_sum");
        } else {
            LatentPrior.Component comp = prior.component(LatentPrior.ALL_CLASSES);
            float[] choleskyT = new float[d * d];
            float[] mean = new float[d];
            double[][] l = comp.cholesky();
            for (int a = 0; a < d; a++) {
                mean[a] = (float) comp.mean()[a];
                for (int b = 0; b <= a; b++) {
                    choleskyT[b * d + a] = (float) l[a][b];
                }
            }
            String spread = onnx.node("MatMul", List.of(eps, onnx.floats("cholesky_t", choleskyT, d, d)), "spread");
            z = onnx.node("Add", List.of(spread, onnx.floats("mean", mean, 1, d)), "z_sum");
        }
        onnx.output(Z, z, d);
        onnx.metadata("polyvae.code_length", Integer.toString(d));
        onnx.metadata("polyvae.prior_classes_um", prior.components().stream()
                .map(comp -> comp.micrometres() == LatentPrior.ALL_CLASSES ? "all" : Integer.toString(comp.micrometres()))
                .reduce((a, b) -> a + "," + b).orElse(""));
        return onnx.toBytes();
    }

    private static void bindClass(GraphTranslator t, OnnxGraph onnx, ModelSettings s) {
        if (s.conditional()) {
            t.bind(VaeArchitecture.CLASS, onnx.input(CLASS, VaeArchitecture.CLASSES));
        }
    }

    private static void describe(OnnxGraph onnx, ModelSettings s) {
        onnx.metadata("polyvae.code_length", Integer.toString(s.codeLength()));
        onnx.metadata("polyvae.resolution", Integer.toString(s.resolution()));
        onnx.metadata("polyvae.likelihood", s.likelihood().configValue());
        if (s.conditional()) {
            onnx.metadata("polyvae.class_order_um", List.of(WindowClass.values()).stream()
                    .map(w -> Integer.toString(w.micrometres())).reduce((a, b) -> a + "," + b).orElseThrow());
        }
    }
}
