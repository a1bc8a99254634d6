package org.polyvae.config;

import com.typesafe.config.Config;
import java.io.Serializable;
import java.util.List;

/**
 * {@code polyvae.model.*}: the convolutional VAE's architecture and optimiser (see conf/application.conf).
 *
 * @param latent            a latentDim vector or a latentChannels × (resolution / 2^levels)² map, see {@link Latent}
 * @param lrDecay           learning rate multiplier per epoch (1 = constant)
 * @param conditional       a class-conditional VAE: the window class (one-hot over every
 *                          {@link org.polyvae.data.WindowClass}) is a second input of encoder and decoder
 * @param likelihood        p(x | z): see {@link Likelihood}
 * @param grayLevels        gray levels K of the categorical likelihood
 * @param grayDecoding      how the categorical decoder's standalone graph makes a gray of each pixel's levels
 * @param decoderContextLayers residual blocks (two 3×3 convolutions each) at the code map's resolution before the
 *                          decoder's first upsampling, each widening the code positions behind a pixel by two
 *                          on every side
 * @param classPrior        a conditional model's prior is N(m_c, I) with a learned mean per class instead of N(0, I)
 * @param adversarialWeight weight λ of the adversarial term's reversed gradient into the decoder; 0 = no
 *                          discriminator (a plain VAE)
 * @param boundaryHead      the decoder also outputs, per pixel, the probability that it lies on a grain boundary
 *                          (trained on the data's gray jumps); {@link GrayDecoding#REGION} decodes with it
 * @param classCodeBlocks   per {@link org.polyvae.data.WindowClass} (in its order), the side of the blocks of code
 *                          positions that carry one value for that class (1 = every position its own)
 * @param priorDraws        codes the decoder also decodes for the discriminator to judge, one per training image
 *                          and with its class: see {@link PriorDraws}
 * @param adversarialPriorWeight weight w of the decoder's non-saturating term on the decoded prior draws
 */
public record ModelSettings(
        int resolution,
        List<Integer> encoderChannels,
        int kernelSize,
        int denseWidth,
        Latent latent,
        int latentDim,
        int latentChannels,
        double beta,
        Activation activation,
        WeightInit weightInit,
        Updater updater,
        double learningRate,
        double lrDecay,
        double l2,
        long seed,
        Decoder decoder,
        int decoderContextLayers,
        Convolution convolution,
        boolean conditional,
        Likelihood likelihood,
        int grayLevels,
        GrayDecoding grayDecoding,
        boolean classPrior,
        double adversarialWeight,
        boolean boundaryHead,
        List<Integer> classCodeBlocks,
        PriorDraws priorDraws,
        double adversarialPriorWeight) implements Serializable {

    /**
     * polyvae.model.adversarial-prior-draws: which codes, beside the images' own, the decoder decodes in training for
     * the discriminator to judge as decoded (the likelihood never sees them).
     */
    public enum PriorDraws implements OptionValue {
        /** None: the discriminator judges the images' reconstructions only. */
        NONE,
        /** N(0, I), the prior of the KL term. */
        STANDARD,
        /**
         * Per class in the minibatch, the Gaussian of its images' codes: their mean plus a Gaussian mix of their
         * deviations from it (the minibatch's covariance of the posterior means) plus their mean posterior noise,
         * what stage sample's learned prior draws from, fitted to the whole training set.
         */
        CLASS_GAUSSIAN
    }

    /** polyvae.model.gray-decoding: how the categorical decoder turns each pixel's level probabilities into a gray. */
    public enum GrayDecoding implements OptionValue {
        /** The centre of the most likely level: flat grains, but a grain whose gray sits near a level edge flickers between two levels. */
        MODE,
        /** The expected gray over the levels: no flicker between levels, but a grain's gray ripples with its probabilities. */
        MEAN,
        /**
         * One gray per region: the pixels the boundary head does not mark form 4-connected regions, each takes the
         * level most likely over all its pixels jointly, and the marked pixels join their likeliest neighbouring
         * region ({@link org.polyvae.model.RegionDecoding}). Needs the boundary head.
         */
        REGION
    }

    /** polyvae.model.likelihood: the decoder's distribution over each pixel's gray value. */
    public enum Likelihood implements OptionValue {
        /** A sigmoid per pixel, Bernoulli cross-entropy against the gray value in [0, 1]. */
        BERNOULLI,
        /** A softmax per pixel over grayLevels quantised grays; decoded per {@link GrayDecoding}. */
        CATEGORICAL,
        /** A Laplace distribution per pixel with a learned location and scale; decoded to its location (the median). */
        LAPLACE
    }

    /** polyvae.model.latent: the shape of the latent code z. */
    public enum Latent implements OptionValue {
        /** A latentDim vector from dense layers. */
        DENSE,
        /** A latentChannels map at the bottleneck's resolution, so the code grows with the image. */
        SPATIAL
    }

    /** polyvae.model.decoder: how the decoder doubles its feature maps' resolution. */
    public enum Decoder implements OptionValue {
        /** A stride-2 transposed convolution. */
        DECONV,
        /** Nearest-neighbour ×2, then a stride-1 convolution. */
        UPSAMPLE_CONV,
        /** A convolution at the low resolution with 4× the channels, rearranged into 2×2 pixels. */
        PIXEL_SHUFFLE
    }

    /** polyvae.model.convolution: which implementation runs the convolutions. */
    public enum Convolution implements OptionValue {
        /** ND4J's conv2d op (oneDNN). */
        FAST,
        /** DL4J's ConvolutionLayer (im2col + gemm). */
        DL4J
    }

    /** polyvae.model.activation: the hidden layers' activation. */
    public enum Activation implements OptionValue {
        LEAKYRELU, RELU, ELU, TANH, SWISH
    }

    /** polyvae.model.weight-init: the hidden layers' weight initialisation. */
    public enum WeightInit implements OptionValue {
        /** He initialisation. */
        RELU,
        XAVIER,
        LECUN_NORMAL
    }

    /** polyvae.model.updater: the optimiser. */
    public enum Updater implements OptionValue {
        ADAM, RMSPROP, SGD, NESTEROVS
    }

    public static ModelSettings from(Config config) {
        Settings s = new Settings(config, "polyvae.model");
        int resolution = config.getInt("polyvae.data.resolution");
        List<Integer> channels = s.intList("encoder-channels");
        if (channels.isEmpty() || channels.size() > 6 || channels.stream().anyMatch(c -> c < 1 || c > 1024)) {
            throw new ConfigError(s.key("encoder-channels") + " = " + channels
                    + ": expected 1..6 levels of 1..1024 channels each");
        }
        if (resolution % (1 << channels.size()) != 0) {
            throw new ConfigError(s.key("encoder-channels") + " has " + channels.size() + " stride-2 levels, so "
                    + "polyvae.data.resolution = " + resolution + " must be a multiple of " + (1 << channels.size()));
        }
        if (s.bool("class-prior") && !s.bool("conditional")) {
            throw new ConfigError(s.key("class-prior") + " = true needs " + s.key("conditional") + " = true (a prior "
                    + "mean per class needs the class as an input)");
        }
        GrayDecoding grayDecoding = s.option("gray-decoding", GrayDecoding.class);
        // Like the other gray decodings, region applies to the categorical likelihood only.
        if (grayDecoding == GrayDecoding.REGION && s.option("likelihood", Likelihood.class) == Likelihood.CATEGORICAL
                && !s.bool("boundary-head")) {
            throw new ConfigError(s.key("gray-decoding") + " = region needs " + s.key("boundary-head")
                    + " = true (the regions are the pixels the boundary head does not mark); set "
                    + s.key("gray-decoding") + " = mode to sample without the head");
        }
        List<Integer> blocks = classCodeBlocks(s, resolution >> channels.size());
        PriorDraws priorDraws = s.option("adversarial-prior-draws", PriorDraws.class);
        if (priorDraws == PriorDraws.STANDARD && s.bool("class-prior")
                && s.doubleIn("adversarial-weight", 0.0, 1000.0) > 0) {
            throw new ConfigError(s.key("adversarial-prior-draws") + " = standard draws from N(0, I), which is not the "
                    + "prior with " + s.key("class-prior") + " = true; use class-gaussian or none");
        }
        return new ModelSettings(resolution, List.copyOf(channels),
                s.intIn("kernel-size", 2, 7),
                s.intIn("dense-width", 0, 8192),
                s.option("latent", Latent.class),
                s.intIn("latent-dim", 1, 4096),
                s.intIn("latent-channels", 1, 256),
                s.doubleIn("beta", 0.0, 1000.0),
                s.option("activation", Activation.class),
                s.option("weight-init", WeightInit.class),
                s.option("updater", Updater.class),
                s.doubleAbove("learning-rate", 0.0, 10.0),
                s.doubleAbove("lr-decay", 0.0, 1.0),
                s.doubleIn("l2", 0.0, 1.0),
                s.longValue("seed"),
                s.option("decoder", Decoder.class),
                s.intIn("decoder-context-layers", 0, 16),
                s.option("convolution", Convolution.class),
                s.bool("conditional"),
                s.option("likelihood", Likelihood.class),
                s.intIn("gray-levels", 2, 256),
                grayDecoding,
                s.bool("class-prior"),
                s.doubleIn("adversarial-weight", 0.0, 1000.0),
                s.bool("boundary-head"),
                blocks,
                priorDraws,
                s.doubleIn("adversarial-prior-weight", 0.0, 1000.0));
    }

    /** polyvae.model.class-code-blocks, checked against the code map it divides and the model it needs. */
    private static List<Integer> classCodeBlocks(Settings s, int mapSide) {
        String key = s.key("class-code-blocks");
        List<Integer> blocks = s.intList("class-code-blocks");
        int classes = org.polyvae.data.WindowClass.values().length;
        if (blocks.size() != classes || blocks.stream().anyMatch(f -> f < 1 || f > 8)) {
            throw new ConfigError(key + " = " + blocks + ": expected " + classes + " block sides (one per window class, "
                    + "2, 3, 5, 10 µm) of 1 to 8 code positions each");
        }
        if (blocks.stream().allMatch(f -> f == 1)) {
            return List.copyOf(blocks);
        }
        if (s.option("latent", Latent.class) != Latent.SPATIAL || !s.bool("conditional") || s.bool("class-prior")) {
            throw new ConfigError(key + " = " + blocks + " needs " + s.key("latent") + " = spatial, "
                    + s.key("conditional") + " = true and " + s.key("class-prior") + " = false (a code map whose "
                    + "resolution follows the class given as an input)");
        }
        for (int f : blocks) {
            if (mapSide % f != 0) {
                throw new ConfigError(key + " = " + blocks + ": every block side must divide the code map's side, "
                        + mapSide + " (polyvae.data.resolution / 2^levels of " + s.key("encoder-channels") + ")");
            }
        }
        return List.copyOf(blocks);
    }

    /** Whether some class's code map is coarser than the bottleneck ({@link #classCodeBlocks} above 1). */
    public boolean blockCode() {
        return classCodeBlocks.stream().anyMatch(f -> f > 1);
    }

    /** {@link #classCodeBlocks} as an array in {@link org.polyvae.data.WindowClass} order. */
    public int[] classCodeBlockSides() {
        return classCodeBlocks.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Whether the sampling decoder decodes one gray per region ({@link GrayDecoding#REGION}, categorical only). */
    public boolean regionDecoding() {
        return grayDecoding == GrayDecoding.REGION && likelihood == Likelihood.CATEGORICAL;
    }

    /**
     * Whether the decoder also decodes prior draws for the discriminator ({@link #priorDraws}): never without the
     * adversarial term, whose branch they are.
     */
    public boolean adversarialPriorDraws() {
        return priorDraws != PriorDraws.NONE && adversarial();
    }

    /** Whether the VAE has the adversarial term (a patch discriminator on its decoded images). */
    public boolean adversarial() {
        return adversarialWeight > 0;
    }

    /**
     * Side of the adversarial term's patch map: the discriminator's same-padded stride-2 levels
     * ({@link #DISCRIMINATOR_CHANNELS}) applied to the image side.
     */
    public int adversarialPatchSide() {
        int side = resolution;
        for (int i = 0; i < DISCRIMINATOR_CHANNELS.size(); i++) {
            side = (side + 1) / 2;
        }
        return side;
    }

    /** Channels of the adversarial term's patch discriminator, one stride-2 3×3 convolution per entry. */
    public static final List<Integer> DISCRIMINATOR_CHANNELS = List.of(32, 64, 64);

    /** Side of the smallest feature map (after every stride-2 encoder level). */
    public int bottleneckSize() {
        return resolution >> encoderChannels.size();
    }

    /** Channels of the decoder's output per pixel: 1 (Bernoulli), one per gray level (categorical), 2 (Laplace). */
    public int reconstructionChannels() {
        return switch (likelihood) {
            case CATEGORICAL -> grayLevels;
            case LAPLACE -> 2;
            case BERNOULLI -> 1;
        };
    }

    /** Length of the latent code z. */
    public int codeLength() {
        return latent == Latent.DENSE ? latentDim : latentChannels * bottleneckSize() * bottleneckSize();
    }
}
