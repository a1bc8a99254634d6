package org.polyvae.model;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The expected gray of a categorical decoder's logits, differentiably: [n, K, h, w] level logits →
 * softmax over the K channels → [n, 1, h, w] = Σ_k p_k (k + ½) / K. The adversarial term judges this image:
 * it is sharp only where the decoder is sure of each pixel's level, so fooling the discriminator asks for
 * confident, spatially coherent levels (which the sampling decoder's mode then keeps). Unlike
 * {@link GrayLevelVertex} it takes logits, not probabilities: the VAE's softmax sits inside its output layer,
 * which passes no gradient on. No parameters; JSON-serialisable by class name (keep the no-argument
 * constructor and the getter/setter).
 */
public class ExpectedGrayVertex extends ParameterFreeVertex {
    private static final long serialVersionUID = 1L;

    private int levels = 16;

    public ExpectedGrayVertex() {
    }

    public ExpectedGrayVertex(int levels) {
        if (levels < 2) {
            throw new IllegalArgumentException("a categorical gray likelihood needs ≥ 2 levels, got " + levels);
        }
        this.levels = levels;
    }

    public int getLevels() {
        return levels;
    }

    public void setLevels(int levels) {
        this.levels = levels;
    }

    @Override
    public ExpectedGrayVertex clone() {
        return new ExpectedGrayVertex(levels);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExpectedGrayVertex v && v.levels == levels;
    }

    @Override
    public int hashCode() {
        return 31 * ExpectedGrayVertex.class.getName().hashCode() + levels;
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
            INDArray paramsView, boolean initializeParams, DataType networkDatatype) {
        return new ExpectedGrayVertexImpl(graph, name, idx, levels, networkDatatype);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... inputs) throws InvalidInputTypeException {
        if (inputs.length != 1 || !(inputs[0] instanceof InputType.InputTypeConvolutional in)
                || in.getChannels() != levels) {
            throw new InvalidInputTypeException("ExpectedGrayVertex expects one convolutional input with " + levels
                    + " channels, got " + java.util.Arrays.toString(inputs));
        }
        return InputType.convolutional(in.getHeight(), in.getWidth(), 1);
    }

    @Override
    public String toString() {
        return "ExpectedGrayVertex(levels=" + levels + ")";
    }
}
