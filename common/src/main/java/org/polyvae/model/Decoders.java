package org.polyvae.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The standalone decoder (z → image) of a trained VAE, so sampling never needs the encoder. */
public final class Decoders {
    private Decoders() {
    }

    /** Builds the decoder graph and copies every "dec-" layer's parameters from the VAE, by layer name. */
    public static ComputationGraph extract(ComputationGraph vae, VaeArchitecture architecture) {
        ComputationGraph decoder = new ComputationGraph(architecture.decoder());
        decoder.init();
        for (Layer layer : decoder.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            if (layer.numParams() == 0) {
                continue;
            }
            Layer source = vae.getLayer(name);
            if (source == null || source.numParams() != layer.numParams()) {
                throw new IllegalArgumentException("the VAE has no layer '" + name + "' with " + layer.numParams()
                        + " parameters: was it trained with a different polyvae.model configuration?");
            }
            layer.setParams(source.params().dup());
        }
        return decoder;
    }

    /**
     * Decodes codes to gray images as the decoder's configuration says: its first output, or, when it also
     * outputs the level and boundary probabilities (gray-decoding = region), one gray per region
     * ({@link RegionDecoding}), the regions found as {@code split} says, then the small or thin regions
     * {@code cleanup} names given a neighbour's level.
     *
     * @param z       [n, code length]
     * @param classes [n, {@link VaeArchitecture#CLASSES}] one-hot for a conditional decoder, null otherwise
     * @return [n, 1, res, res] grays in [0, 1]
     */
    public static INDArray decode(ComputationGraph decoder, INDArray z, INDArray classes,
            RegionDecoding.Split split, RegionDecoding.Cleanup cleanup) {
        return images(decoder, outputs(decoder, z, classes), split, cleanup);
    }

    /**
     * The decoder's outputs for codes z: the per-pixel gray, and with region decoding the level probabilities
     * [n, K, res, res] and the boundary probability after it ({@link VaeArchitecture#decoder()}).
     */
    public static INDArray[] outputs(ComputationGraph decoder, INDArray z, INDArray classes) {
        return classes == null ? decoder.output(false, z) : decoder.output(false, z, classes);
    }

    /** The gray images of a decoder's {@link #outputs}, as {@link #decode} makes them. */
    public static INDArray images(ComputationGraph decoder, INDArray[] outputs, RegionDecoding.Split split,
            RegionDecoding.Cleanup cleanup) {
        if (regionDecoding(decoder)) {
            return RegionDecoding.decode(outputs[1], outputs[2], split, cleanup);
        }
        return outputs[0];
    }

    /** Whether the decoder outputs the level and boundary probabilities region decoding needs. */
    public static boolean regionDecoding(ComputationGraph decoder) {
        return decoder.getConfiguration().getNetworkOutputs().contains(VaeArchitecture.BOUNDARY);
    }
}
