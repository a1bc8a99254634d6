package org.polyvae.config;

import com.typesafe.config.Config;
import java.io.Serializable;
import java.util.List;

/**
 * {@code polyvae.model.*}: the convolutional VAE's architecture and optimiser (see conf/application.conf).
 *
 * @param latent            "dense" (a latentDim vector from dense layers) or "spatial" (a latentChannels ×
 *                          (resolution / 2^levels)² map from 1×1 convolutions, so the code grows with the image)
 * @param lrDecay           learning rate multiplier per epoch (1 = constant)
 * @param conditional       a class-conditional VAE: the window class (one-hot over every
 *                          {@link org.polyvae.data.WindowClass}) is a second input of encoder and decoder
 */
public record ModelSettings(
        int resolution,
        List<Integer> encoderChannels,
        int kernelSize,
        int denseWidth,
        String latent,
        int latentDim,
        int latentChannels,
        double beta,
        String activation,
        String weightInit,
        String updater,
        double learningRate,
        double lrDecay,
        double l2,
        long seed,
        String decoder,
        String convolution,
        boolean conditional) implements Serializable {

    public static final List<String> CONVOLUTIONS = List.of("fast", "dl4j");
    public static final List<String> LATENTS = List.of("dense", "spatial");
    public static final List<String> DECODERS = List.of("deconv", "upsample-conv", "pixel-shuffle");
    public static final List<String> ACTIVATIONS = List.of("leakyrelu", "relu", "elu", "tanh", "swish");
    public static final List<String> WEIGHT_INITS = List.of("relu", "xavier", "lecun-normal");
    public static final List<String> UPDATERS = List.of("adam", "rmsprop", "sgd", "nesterovs");

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
        return new ModelSettings(resolution, List.copyOf(channels),
                s.intIn("kernel-size", 2, 7),
                s.intIn("dense-width", 0, 8192),
                s.oneOf("latent", LATENTS),
                s.intIn("latent-dim", 1, 4096),
                s.intIn("latent-channels", 1, 256),
                s.doubleIn("beta", 0.0, 1000.0),
                s.oneOf("activation", ACTIVATIONS),
                s.oneOf("weight-init", WEIGHT_INITS),
                s.oneOf("updater", UPDATERS),
                s.doubleAbove("learning-rate", 0.0, 10.0),
                s.doubleAbove("lr-decay", 0.0, 1.0),
                s.doubleIn("l2", 0.0, 1.0),
                s.longValue("seed"),
                s.oneOf("decoder", DECODERS),
                s.oneOf("convolution", CONVOLUTIONS),
                s.bool("conditional"));
    }

    /** Side of the smallest feature map (after every stride-2 encoder level). */
    public int bottleneckSize() {
        return resolution >> encoderChannels.size();
    }

    /** Length of the latent code z. */
    public int codeLength() {
        return "dense".equals(latent) ? latentDim : latentChannels * bottleneckSize() * bottleneckSize();
    }
}
