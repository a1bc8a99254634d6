package org.polyvae.model;

import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.polyvae.config.ModelSettings;
import org.polyvae.data.WindowClass;

/**
 * The convolutional VAE as a DL4J ComputationGraph (trainable by SparkComputationGraph, whose workers
 * only call fit()):
 * <pre>
 *   image ─ enc-0 … enc-(L-1) (stride-2 convs) ─[enc-dense]─ mu, logvar ─ posterior = [mu | logvar]
 *   posterior ─ z (ReparameterizationVertex) ─ dec-map ─ dec-up-0 … dec-up-(L-1) ─ dec-out ─ reconstruction
 *   posterior ─ kl (LossLayer, KlDivergenceLoss)
 * </pre>
 * Outputs: "reconstruction" (per {@code polyvae.model.likelihood}: sigmoid with Bernoulli cross-entropy, a
 * softmax over K gray levels with the categorical cross-entropy, or a Laplace location and scale with its
 * negative log-likelihood ({@link LaplaceLoss}), summed over each image's pixels; targets from
 * {@link VaeBatches}) and "kl" (β·KL per example); the graph's score is their sum averaged over the
 * minibatch: the negative ELBO. With {@code polyvae.model.adversarial-weight} &gt; 0 a third output,
 * "adversarial", adds a patch discriminator's cross-entropy (see {@link #addDiscriminator}).
 * Every decoder layer's name starts with "dec-", so {@link Decoders} can copy them into the standalone
 * decoder graph (z → image) built by {@link #decoder}.
 * <p>
 * With {@code polyvae.model.conditional} the graph has a second input, "class" (one-hot over the four
 * {@link WindowClass}es, in their order): q(z | x, c) and p(x | z, c). The one-hot, tiled over the map
 * ({@link TileToMapVertex}), joins the channels of the encoder's last feature map before mu and logvar,
 * and the input of every decoder level, so each upsampling step knows the grain size it must draw.
 */
public final class VaeArchitecture {
    public static final String INPUT = "image";
    public static final String Z = "z";
    public static final String POSTERIOR = "posterior";
    /**
     * With {@code polyvae.model.class-code-blocks}: the posterior of the code the decoder is given, [mu | logvar]
     * averaged over each block of the input class's code map ({@link ClassCodeBlocksVertex}, pool).
     */
    public static final String POSTERIOR_BLOCKS = "posterior-blocks";
    public static final String RECONSTRUCTION = "reconstruction";
    public static final String KL = "kl";
    /**
     * With {@code polyvae.model.adversarial-weight} &gt; 0: the patch discriminator's output, [n, 2, p, p]: per
     * patch the probability that it is real, of each image's reconstruction (channel 0) and of the image itself
     * (channel 1); {@link VaeBatches} labels them 0 and 1.
     */
    public static final String ADVERSARIAL = "adversarial";
    /**
     * With {@code polyvae.model.adversarial-prior-draws}: a code drawn per image ({@link PriorDrawVertex}: from
     * N(0, I) or from its class's Gaussian in the minibatch), decoded with the image's class beside the image's own
     * code (the decoder runs on both, stacked along the minibatch) and judged by the discriminator as decoded,
     * while the decoder gets the non-saturating term on them ({@link NonSaturatingDrawsVertex}).
     */
    public static final String PRIOR_DRAW = "prior-draw";
    /**
     * ε of {@link NonSaturatingDrawsVertex}: the weight in the discriminator's loss of the draws' copy labelled
     * real. Small, so that the discriminator still learns to tell the draws from real images; not zero, since
     * the decoder's gradient is that copy's, scaled back by 1/ε.
     */
    static final double DRAWS_DISCRIMINATOR_SHARE = 0.01;
    public static final String DECODER_PREFIX = "dec-";
    /**
     * With {@code polyvae.model.boundary-head}: per pixel, the probability that it lies on a grain boundary,
     * [n, 1, res, res], trained on {@link VaeBatches#boundaries}; an output of the VAE and of the decoder.
     */
    public static final String BOUNDARY = "boundary";
    /**
     * The standalone decoder's output with the categorical likelihood: the decoded gray image
     * ({@link GrayLevelVertex}) after the per-pixel level probabilities.
     */
    public static final String GRAY = "gray";
    /**
     * With {@code polyvae.model.class-prior}: the prior's mean code m_c of the input class (a bias-free dense
     * layer on the one-hot, starting at 0); a decoder layer, so the standalone decoder adds it to its input.
     */
    public static final String PRIOR_MEAN = "dec-prior-mean";
    /** The conditional VAE's second input: the window class, one-hot in {@link WindowClass} order. */
    public static final String CLASS = "class";
    public static final int CLASSES = WindowClass.values().length;
    /**
     * Initial log-variance of q(z|x). Starting at the prior's (0) makes z pure noise, so the decoder has no
     * signal to learn from and training sits on the "predict mean gray" plateau for hundreds of steps;
     * starting with little noise (σ ≈ 0.14) lets the reconstruction term shape the code first.
     */
    static final double INITIAL_LOGVAR = -4.0;

    private final ModelSettings s;

    public VaeArchitecture(ModelSettings settings) {
        this.s = settings;
    }

    public ModelSettings settings() {
        return s;
    }

    /**
     * The vertex of a trained VAE whose activations are the code's posterior [mu | logvar] as the decoder sees
     * it: {@link #POSTERIOR_BLOCKS} when the code map's resolution follows the class, else {@link #POSTERIOR}.
     */
    public static String codePosterior(ComputationGraph vae) {
        return vae.getConfiguration().getVertices().containsKey(POSTERIOR_BLOCKS) ? POSTERIOR_BLOCKS : POSTERIOR;
    }

    /**
     * The code posterior [n, 2·code length] = [mu | logvar] of a trained VAE for {@code inputs} (the images,
     * and the one-hot classes of a conditional VAE), in inference mode. Only the encoder runs, in DL4J's
     * workspaces: {@code feedForward} would also run the decoder and discriminator and detach every layer's
     * activations into off-heap buffers freed only when the JVM collects them, which over a large dataset
     * grows the resident set by gigabytes.
     */
    public static INDArray posterior(ComputationGraph vae, INDArray... inputs) {
        return vae.output(List.of(codePosterior(vae)), false, inputs, null)[0];
    }

    /** Whether a trained graph (VAE or decoder) takes the window class as a second input. */
    public static boolean isConditional(ComputationGraph graph) {
        return graph.getConfiguration().getNetworkInputs().contains(CLASS);
    }

    /** The full VAE: input image (and class), outputs reconstruction and kl. */
    public ComputationGraphConfiguration vae() {
        GraphBuilder g = base().graphBuilder().addInputs(inputs(INPUT));
        List<Integer> ch = s.encoderChannels();
        String prev = INPUT;
        for (int i = 0; i < ch.size(); i++) {
            Layer layer = conv(s.kernelSize(), 2, ch.get(i), true);
            if (i == 0 && layer instanceof FastConvolution first) {
                first.withoutInputGradient(); // its input is the image
            }
            g.addLayer("enc-" + i, layer, prev);
            prev = "enc-" + i;
        }
        int h = s.bottleneckSize();
        prev = conditioned(g, "enc", prev, h);
        String posterior;
        if (dense()) {
            if (s.denseWidth() > 0) {
                g.addLayer("enc-dense", new DenseLayer.Builder().nOut(s.denseWidth()).build(), prev);
                prev = "enc-dense";
            }
            g.addLayer("mu", new DenseLayer.Builder().nOut(s.latentDim()).activation(Activation.IDENTITY).build(), prev);
            g.addLayer("logvar", new DenseLayer.Builder().nOut(s.latentDim()).activation(Activation.IDENTITY)
                    .weightInit(WeightInit.XAVIER).biasInit(INITIAL_LOGVAR).build(), prev);
            g.addVertex(POSTERIOR, new MergeVertex(), "mu", "logvar");
            posterior = POSTERIOR;
        } else {
            // A latent map: each position's code comes from a 1×1 convolution of the local features.
            g.addLayer("mu", conv(1, 1, s.latentChannels(), false), prev);
            Layer logvar = conv(1, 1, s.latentChannels(), false);
            if (logvar instanceof FastConvolution f) {
                f.withBiasInit(INITIAL_LOGVAR);
            } else {
                ((ConvolutionLayer) logvar).setBiasInit(INITIAL_LOGVAR);
            }
            g.addLayer("logvar", logvar, prev);
            g.addVertex("posterior-map", new MergeVertex(), "mu", "logvar");
            // Channel-major flattening keeps [mu | logvar] as the two halves of the vector.
            g.addVertex(POSTERIOR, new PreprocessorVertex(
                    new CnnToFeedForwardPreProcessor(h, h, 2L * s.latentChannels())), "posterior-map");
            posterior = POSTERIOR;
            if (s.blockCode()) {
                g.addVertex(POSTERIOR_BLOCKS, new ClassCodeBlocksVertex(false, 2 * s.latentChannels(), h,
                        s.classCodeBlockSides()), POSTERIOR, CLASS);
                posterior = POSTERIOR_BLOCKS;
            }
        }
        g.addVertex(Z, new ReparameterizationVertex(), posterior);
        String klInput = posterior;
        if (s.classPrior()) {
            // KL(N(mu, σ²) || N(m_c, I)) = KL(N(mu − m_c, σ²) || N(0, I)): the KL loss sees the centred means.
            String muFlat = "mu";
            String logvarFlat = "logvar";
            if (!dense()) {
                muFlat = "mu-flat";
                logvarFlat = "logvar-flat";
                g.addVertex(muFlat, new PreprocessorVertex(new CnnToFeedForwardPreProcessor(h, h, s.latentChannels())),
                        "mu");
                g.addVertex(logvarFlat, new PreprocessorVertex(
                        new CnnToFeedForwardPreProcessor(h, h, s.latentChannels())), "logvar");
            }
            g.addLayer(PRIOR_MEAN, priorMean(), CLASS);
            g.addVertex("mu-centred", new ElementWiseVertex(ElementWiseVertex.Op.Subtract), muFlat, PRIOR_MEAN);
            g.addVertex("kl-posterior", new MergeVertex(), "mu-centred", logvarFlat);
            klInput = "kl-posterior";
        }
        g.addLayer(KL, new LossLayer.Builder(new KlDivergenceLoss(s.beta())).activation(Activation.IDENTITY).build(),
                klInput);
        String decoderZ = Z;
        String decoderClass = CLASS;
        if (s.adversarialPriorDraws()) {
            // One decoder, two sets of codes: the images' (rows 0..n-1) and the prior draws (rows n..2n-1).
            boolean classGaussian = s.priorDraws() == ModelSettings.PriorDraws.CLASS_GAUSSIAN;
            if (s.conditional()) {
                g.addVertex(PRIOR_DRAW, new PriorDrawVertex(classGaussian, true), posterior, CLASS);
            } else {
                g.addVertex(PRIOR_DRAW, new PriorDrawVertex(classGaussian, false), posterior);
            }
            g.addVertex("z-and-prior-draw", new BatchStackVertex(), Z, PRIOR_DRAW);
            decoderZ = "z-and-prior-draw";
            if (s.conditional()) {
                g.addVertex("class-twice", new BatchStackVertex(), CLASS, CLASS);
                decoderClass = "class-twice";
            }
        }
        String logits = addDecoder(g, decoderZ, decoderClass, s.boundaryHead(), s.adversarialPriorDraws());
        List<String> outputs = new java.util.ArrayList<>(List.of(RECONSTRUCTION, KL));
        if (s.adversarial()) {
            addDiscriminator(g, logits, decoderClass);
            outputs.add(ADVERSARIAL);
        }
        if (s.boundaryHead()) {
            outputs.add(BOUNDARY);
        }
        g.setOutputs(outputs.toArray(String[]::new));
        return g
                .setInputTypes(inputTypes(InputType.convolutional(s.resolution(), s.resolution(), 1)))
                .build();
    }

    /**
     * The decoder alone: input z (code length) and, when conditional, the class; same layer names as in the
     * VAE. Its one output is a [n, 1, res, res] gray image in [0, 1] whatever the likelihood: the
     * reconstruction (the expected gray) with the Bernoulli one, the most likely or the expected gray level
     * ({@link GrayLevelVertex}, per polyvae.model.gray-decoding) with the categorical one, the location (the
     * median) with the Laplace one. With gray-decoding = region two more outputs follow, for
     * {@link RegionDecoding}: the level probabilities [n, K, res, res] and the boundary probability
     * ({@link Decoders#decode} uses them; the first output stays the per-pixel mode).
     */
    public ComputationGraphConfiguration decoder() {
        GraphBuilder g = base().graphBuilder().addInputs(inputs(Z));
        if (s.classPrior()) {
            // The input is the offset from the class's prior mean: z = m_c + offset.
            g.addLayer(PRIOR_MEAN, priorMean(), CLASS);
            g.addVertex("dec-z-from-prior", new ElementWiseVertex(ElementWiseVertex.Op.Add), Z, PRIOR_MEAN);
            addDecoder(g, "dec-z-from-prior", CLASS, regions(), false);
        } else {
            addDecoder(g, Z, CLASS, regions(), false);
        }
        String out = RECONSTRUCTION;
        if (categorical()) {
            g.addVertex(GRAY, new GrayLevelVertex(s.grayLevels(), s.grayDecoding() == ModelSettings.GrayDecoding.MEAN),
                    RECONSTRUCTION);
            out = GRAY;
            if (regions()) {
                return g.setOutputs(GRAY, RECONSTRUCTION, BOUNDARY)
                        .setInputTypes(inputTypes(InputType.feedForward(s.codeLength()))).build();
            }
        } else if (s.likelihood() == ModelSettings.Likelihood.LAPLACE) {
            // The location channel through the sigmoid the loss applies: the most likely gray.
            g.addVertex("dec-location", new SubsetVertex(0, 0), RECONSTRUCTION);
            g.addLayer(GRAY, new ActivationLayer.Builder().activation(Activation.SIGMOID).build(), "dec-location");
            out = GRAY;
        }
        return g.setOutputs(out).setInputTypes(inputTypes(InputType.feedForward(s.codeLength()))).build();
    }

    private String[] inputs(String first) {
        return s.conditional() ? new String[] {first, CLASS} : new String[] {first};
    }

    private InputType[] inputTypes(InputType first) {
        return s.conditional() ? new InputType[] {first, InputType.feedForward(CLASSES)} : new InputType[] {first};
    }

    /**
     * When conditional: {@code prev} (a size × size feature map) with the tiled class one-hot appended to its
     * channels, as a vertex named {@code <prefix>-class-<size>}; otherwise {@code prev} itself.
     */
    private String conditioned(GraphBuilder g, String prefix, String prev, int size) {
        return conditioned(g, prefix, prev, size, CLASS);
    }

    /** As {@link #conditioned(GraphBuilder, String, String, int)} with the one-hot rows of vertex {@code cls}. */
    private String conditioned(GraphBuilder g, String prefix, String prev, int size, String cls) {
        if (!s.conditional()) {
            return prev;
        }
        String tiled = prefix + "-class-map-" + size + "-" + prev;
        String merged = prefix + "-class-" + size + "-" + prev;
        g.addVertex(tiled, new TileToMapVertex(size), cls);
        g.addVertex(merged, new MergeVertex(), prev, tiled);
        return merged;
    }

    /**
     * The adversarial term: the decoded image (the expected gray of the categorical levels, the sigmoid of the
     * Bernoulli logit or of the Laplace location) passes a {@link GradientReversalVertex} and, stacked with the
     * real input images ({@link BatchStackVertex}; each with the tiled class when conditional), a patch
     * discriminator: stride-2 3×3 convolutions ({@link ModelSettings#DISCRIMINATOR_CHANNELS}), one stride-1,
     * then a 1×1 logit per patch (receptive field 31 px), unstacked into two channels per image
     * ({@link BatchUnstackVertex}), trained by the "adversarial" output to tell real (label 1) from decoded
     * (0). With prior draws the decoded rows are twice the images' (their codes', then the draws'), with their
     * classes in {@code decodedClass}, and the patch logits come back in three channels. Its layers are named
     * "adv-", so neither the decoder nor the encoder carries them.
     */
    private void addDiscriminator(GraphBuilder g, String logits, String decodedClass) {
        String fake = "adv-decoded";
        switch (s.likelihood()) {
            case CATEGORICAL -> g.addVertex(fake, new ExpectedGrayVertex(s.grayLevels()), logits);
            case BERNOULLI -> g.addLayer(fake, new ActivationLayer.Builder().activation(Activation.SIGMOID).build(),
                    logits);
            case LAPLACE -> {
                g.addVertex("adv-location", new SubsetVertex(0, 0), logits);
                g.addLayer(fake, new ActivationLayer.Builder().activation(Activation.SIGMOID).build(), "adv-location");
            }
        }
        int res = s.resolution();
        if (s.adversarialPriorDraws()) {
            // [images' codes | draws | draws]: the second copy of the draws is the decoder's non-saturating term.
            g.addVertex("adv-reversal", new NonSaturatingDrawsVertex(s.adversarialWeight(),
                    s.adversarialPriorWeight(), DRAWS_DISCRIMINATOR_SHARE), fake);
            if (s.conditional()) {
                g.addVertex("class-thrice", new BatchStackVertex(), decodedClass, CLASS);
                decodedClass = "class-thrice";
            }
        } else {
            g.addVertex("adv-reversal", new GradientReversalVertex(s.adversarialWeight()), fake);
        }
        g.addVertex("adv-stack", new BatchStackVertex(), conditioned(g, "adv", "adv-reversal", res, decodedClass),
                conditioned(g, "adv", INPUT, res));
        String prev = "adv-stack";
        List<Integer> channels = ModelSettings.DISCRIMINATOR_CHANNELS;
        for (int i = 0; i < channels.size(); i++) {
            g.addLayer("adv-" + i, conv(3, 2, channels.get(i), true), prev);
            prev = "adv-" + i;
        }
        g.addLayer("adv-context", conv(3, 1, 64, true), prev);
        g.addLayer("adv-logit", conv(1, 1, 1, false), "adv-context");
        // Back to one row per image, [decoded | real] logits in two channels (with prior draws [decoded | draws
        // decoded | draws, the decoder's copy | real] in four), so the labels keep the minibatch's rows.
        g.addVertex("adv-unstack", new BatchUnstackVertex(s.adversarialPriorDraws() ? 4 : 2), "adv-logit");
        LossBinaryXENT loss = s.adversarialPriorDraws() ? new LossBinaryXENT(Nd4j.create(
                new float[] {1, 1, (float) DRAWS_DISCRIMINATOR_SHARE, 1}, new long[] {1, 4})) : new LossBinaryXENT();
        g.addLayer(ADVERSARIAL, new CnnLossLayer.Builder(loss).activation(Activation.SIGMOID).build(), "adv-unstack");
    }

    /**
     * Adds the decoder from {@code z} (with the class one-hot rows of vertex {@code cls}) to the reconstruction
     * output, and to the boundary output when {@code boundary}; returns the name of its logits' vertex. With
     * {@code stacked} the decoder's rows are the images' codes then as many prior draws, and the outputs take
     * the first half ({@link #firstHalf}).
     */
    private String addDecoder(GraphBuilder g, String z, String cls, boolean boundary, boolean stacked) {
        List<Integer> ch = s.encoderChannels();
        int levels = ch.size();
        int h = s.bottleneckSize();
        int top = ch.get(levels - 1);
        String prev = z;
        // The vertex whose activations are the decoder's first feature map. A dense model without context blocks
        // leaves its dense output flat: DL4J's preprocessor of level 0 reshapes it, so level 0 takes no class map.
        String map = "dec-map";
        boolean flatMap = dense() && s.decoderContextLayers() == 0;
        if (dense()) {
            if (s.conditional()) {
                g.addVertex("dec-class-" + z, new MergeVertex(), z, cls);
                prev = "dec-class-" + z;
            }
            if (s.denseWidth() > 0) {
                g.addLayer("dec-dense", new DenseLayer.Builder().nOut(s.denseWidth()).build(), prev);
                prev = "dec-dense";
            }
            g.addLayer("dec-map", new DenseLayer.Builder().nOut((long) top * h * h).build(), prev);
            if (flatMap) {
                g.inputPreProcessor(s.decoder() == ModelSettings.Decoder.UPSAMPLE_CONV ? "dec-upsample-0"
                        : "dec-up-0", new FeedForwardToCnnPreProcessor(h, h, top));
            } else {
                g.addVertex("dec-map-2d", new PreprocessorVertex(new FeedForwardToCnnPreProcessor(h, h, top)),
                        "dec-map");
                map = "dec-map-2d";
            }
        } else if (s.conditional()) {
            if (s.blockCode()) {
                // Each block of the class's code map takes its first position's value.
                g.addVertex("dec-z-blocks", new ClassCodeBlocksVertex(true, s.latentChannels(), h,
                        s.classCodeBlockSides()), z, cls);
                z = "dec-z-blocks";
            }
            // z as a map first, so the class channels can join it.
            g.addVertex("dec-z-map", new PreprocessorVertex(new FeedForwardToCnnPreProcessor(h, h, s.latentChannels())), z);
            g.addLayer("dec-map", conv(3, 1, top, true), conditioned(g, "dec", "dec-z-map", h, cls));
        } else {
            g.addLayer("dec-map", conv(3, 1, top, true), prev);
            g.inputPreProcessor("dec-map", new FeedForwardToCnnPreProcessor(h, h, s.latentChannels()));
        }
        prev = map;
        for (int j = 0; j < s.decoderContextLayers(); j++) {
            // A residual block whose second convolution starts at zero, so a fresh stack passes the first
            // feature map through unchanged and the gradient reaches the layers below it undamped.
            g.addLayer("dec-context-" + j, conv(3, 1, top, true), prev);
            g.addLayer("dec-context-out-" + j, conv(3, 1, top, Activation.IDENTITY, WeightInit.ZERO),
                    "dec-context-" + j);
            g.addVertex("dec-context-sum-" + j, new ElementWiseVertex(ElementWiseVertex.Op.Add), prev,
                    "dec-context-out-" + j);
            prev = "dec-context-sum-" + j;
        }
        boolean shuffle = s.decoder() == ModelSettings.Decoder.PIXEL_SHUFFLE;
        for (int i = 0; i < levels; i++) {
            // Mirror of the encoder: level i of the decoder ends with the channels of encoder level L-2-i.
            boolean last = i == levels - 1;
            int out = levels - 2 - i >= 0 ? ch.get(levels - 2 - i) : Math.max(8, ch.get(0) / 2);
            String name = "dec-up-" + i;
            if (!(flatMap && i == 0)) {
                prev = conditioned(g, "dec", prev, h << i, cls);
            }
            if (s.decoder() == ModelSettings.Decoder.DECONV) {
                g.addLayer(name, new Deconvolution2D.Builder(s.kernelSize(), s.kernelSize()).stride(2, 2)
                        .nOut(out).build(), prev);
                prev = name;
            } else if (shuffle) {
                // Convolve at the low resolution with 4× the channels, then rearrange them into 2×2 pixels.
                // The last level produces the image itself (its logits: 1 or K channels), so no
                // full-resolution convolution is left anywhere in the decoder.
                g.addLayer(name, conv(3, 1, 4 * (last ? s.reconstructionChannels() : out), !last), prev);
                g.addVertex("dec-shuffle-" + i, new DepthToSpaceVertex(2), name);
                if (last && boundary) {
                    // The boundary logit: its own convolution of the same features, shuffled the same way.
                    g.addLayer("dec-boundary-up", conv(3, 1, 4, false), prev);
                    g.addVertex("dec-boundary-shuffle", new DepthToSpaceVertex(2), "dec-boundary-up");
                    addBoundary(g, stacked ? firstHalf(g, "dec-boundary-shuffle", 1) : "dec-boundary-shuffle");
                }
                prev = "dec-shuffle-" + i;
            } else {
                g.addLayer("dec-upsample-" + i, new Upsampling2D.Builder(2).build(), prev);
                g.addLayer(name, conv(3, 1, out, true), "dec-upsample-" + i);
                prev = name;
            }
        }
        if (!shuffle) {
            g.addLayer("dec-out", conv(3, 1, s.reconstructionChannels(), false), prev);
            if (boundary) {
                g.addLayer("dec-boundary-out", conv(3, 1, 1, false), prev);
                addBoundary(g, stacked ? firstHalf(g, "dec-boundary-out", 1) : "dec-boundary-out");
            }
            prev = "dec-out";
        }
        // The activation inside the loss layer: LossBinaryXENT (sigmoid) then uses the stable (output − label)
        // gradient, and CategoricalLossLayer (softmax across the channels of each pixel) computes the same.
        g.addLayer(RECONSTRUCTION, switch (s.likelihood()) {
            case CATEGORICAL -> new CategoricalLossLayer();
            case LAPLACE -> new CnnLossLayer.Builder(new LaplaceLoss()).activation(Activation.IDENTITY).build();
            case BERNOULLI -> new CnnLossLayer.Builder(new LossBinaryXENT()).activation(Activation.SIGMOID).build();
        }, stacked ? firstHalf(g, prev, s.reconstructionChannels()) : prev);
        return prev;
    }

    /**
     * The first half of the rows of a [2n, c, h, w] map, as [n, c, h, w]: the rows decoded from the images' own
     * codes, which the likelihood and the boundary head are trained on (the second half, decoded from prior
     * draws, only the discriminator sees).
     */
    private static String firstHalf(GraphBuilder g, String map, int channels) {
        g.addVertex(map + "-halves", new BatchUnstackVertex(2), map);
        g.addVertex(map + "-own-codes", new SubsetVertex(0, channels - 1), map + "-halves");
        return map + "-own-codes";
    }

    /** The boundary output: a sigmoid per pixel, Bernoulli cross-entropy against {@link VaeBatches#boundaries}. */
    private void addBoundary(GraphBuilder g, String logit) {
        g.addLayer(BOUNDARY, new CnnLossLayer.Builder(new LossBinaryXENT()).activation(Activation.SIGMOID).build(),
                logit);
    }

    private DenseLayer priorMean() {
        return new DenseLayer.Builder().nOut(s.codeLength()).activation(Activation.IDENTITY).hasBias(false)
                .weightInit(WeightInit.ZERO).build();
    }

    /** Whether the standalone decoder decodes by regions (and so carries the boundary head). */
    private boolean regions() {
        return s.regionDecoding();
    }

    private boolean categorical() {
        return s.likelihood() == ModelSettings.Likelihood.CATEGORICAL;
    }

    /**
     * A same-padded convolution: {@link FastConvolution} (ND4J's conv2d op, oneDNN) or DL4J's
     * ConvolutionLayer, per polyvae.model.convolution. Hidden layers use the configured activation and
     * weight init; output heads (hidden = false) are linear with Xavier init.
     */
    private Layer conv(int kernel, int stride, int nOut, boolean hidden) {
        return conv(kernel, stride, nOut, hidden ? activation() : Activation.IDENTITY,
                hidden ? weightInit() : WeightInit.XAVIER);
    }

    private Layer conv(int kernel, int stride, int nOut, Activation act, WeightInit init) {
        if (s.convolution() == ModelSettings.Convolution.FAST) {
            return new FastConvolution(kernel, stride, nOut, act, init);
        }
        return new ConvolutionLayer.Builder(kernel, kernel).stride(stride, stride).nOut(nOut).activation(act)
                .weightInit(init).build();
    }

    private boolean dense() {
        return s.latent() == ModelSettings.Latent.DENSE;
    }

    private NeuralNetConfiguration.Builder base() {
        NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder()
                .seed(s.seed())
                .dataType(DataType.FLOAT)
                .updater(updater())
                .weightInit(weightInit())
                .activation(activation())
                .convolutionMode(ConvolutionMode.Same);
        if (s.l2() > 0) {
            b.l2(s.l2());
        }
        return b;
    }

    private IUpdater updater() {
        ISchedule lr = new ExponentialSchedule(ScheduleType.EPOCH, s.learningRate(), s.lrDecay());
        return switch (s.updater()) {
            case ADAM -> new Adam(lr);
            case RMSPROP -> new RmsProp(lr);
            case SGD -> new Sgd(lr);
            case NESTEROVS -> new Nesterovs(lr, 0.9);
        };
    }

    private WeightInit weightInit() {
        return switch (s.weightInit()) {
            case RELU -> WeightInit.RELU;
            case XAVIER -> WeightInit.XAVIER;
            case LECUN_NORMAL -> WeightInit.LECUN_NORMAL;
        };
    }

    private Activation activation() {
        return switch (s.activation()) {
            case LEAKYRELU -> Activation.LEAKYRELU;
            case RELU -> Activation.RELU;
            case ELU -> Activation.ELU;
            case TANH -> Activation.TANH;
            case SWISH -> Activation.SWISH;
        };
    }
}
