package org.polyvae.model;

import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The image a categorical decoder draws: [n, K, h, w] per-pixel probabilities of K gray levels → [n, 1, h, w].
 * By default each pixel is the centre (k + ½) / K of its most likely level k, the mode: a pixel on a grain
 * boundary becomes one grain's gray or the other's instead of their mean, so boundaries stay sharp, but a
 * grain whose gray lies near the edge between two levels flickers between them. With {@code mean} each pixel
 * is the expected centre Σ p_k (k + ½) / K instead: no flicker, at the price of grays that ripple with the
 * probabilities. Only the standalone decoder ends with it (no gradient is passed back). No parameters;
 * JSON-serialisable by class name (keep the no-argument constructor and the getters/setters).
 */
public class GrayLevelVertex extends ParameterFreeVertex {
    private static final long serialVersionUID = 1L;

    private int levels = 16;
    private boolean mean;

    public GrayLevelVertex() {
    }

    public GrayLevelVertex(int levels) {
        this(levels, false);
    }

    /** @param mean the expected level's gray instead of the most likely level's */
    public GrayLevelVertex(int levels, boolean mean) {
        if (levels < 2) {
            throw new IllegalArgumentException("a categorical gray likelihood needs ≥ 2 levels, got " + levels);
        }
        this.levels = levels;
        this.mean = mean;
    }

    public boolean isMean() {
        return mean;
    }

    public void setMean(boolean mean) {
        this.mean = mean;
    }

    public int getLevels() {
        return levels;
    }

    public void setLevels(int levels) {
        this.levels = levels;
    }

    @Override
    public GrayLevelVertex clone() {
        return new GrayLevelVertex(levels, mean);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GrayLevelVertex v && v.levels == levels && v.mean == mean;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * GrayLevelVertex.class.getName().hashCode() + levels) + (mean ? 1 : 0);
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
            INDArray paramsView, boolean initializeParams, DataType networkDatatype) {
        return new GrayLevelVertexImpl(graph, name, idx, levels, mean, networkDatatype);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... inputs) throws InvalidInputTypeException {
        if (inputs.length != 1 || !(inputs[0] instanceof InputType.InputTypeConvolutional in)
                || in.getChannels() != levels) {
            throw new InvalidInputTypeException("GrayLevelVertex expects one convolutional input with " + levels
                    + " channels, got " + java.util.Arrays.toString(inputs));
        }
        return InputType.convolutional(in.getHeight(), in.getWidth(), 1);
    }

    @Override
    public String toString() {
        return "GrayLevelVertex(levels=" + levels + (mean ? ", mean" : ", mode") + ")";
    }
}
