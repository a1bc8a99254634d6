package org.polyvae.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;

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
}
