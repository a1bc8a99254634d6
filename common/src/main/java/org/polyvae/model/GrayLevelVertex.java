package org.polyvae.model;

import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The image a categorical decoder draws: [n, K, h, w] per-pixel probabilities of K gray levels → [n, 1, h, w],
 * each pixel the centre (k + ½) / K of its most likely level k. The mode, not the expectation: a pixel on a
 * grain boundary becomes one grain's gray or the other's instead of their mean, so boundaries stay sharp.
 * Only the standalone decoder ends with it (its gradient is zero almost everywhere: the mode moves only where
 * two levels tie). No parameters; JSON-serialisable by class name (keep the no-argument constructor and the
 * getter/setter).
 */
public class GrayLevelVertex extends SingleInputVertex {
    private static final long serialVersionUID = 1L;

    private int levels = 16;

    public GrayLevelVertex() {
    }

    public GrayLevelVertex(int levels) {
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
    public GrayLevelVertex clone() {
        return new GrayLevelVertex(levels);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GrayLevelVertex v && v.levels == levels;
    }

    @Override
    public int hashCode() {
        return 31 * GrayLevelVertex.class.getName().hashCode() + levels;
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
            INDArray paramsView, boolean initializeParams, DataType networkDatatype) {
        return new GrayLevelVertexImpl(graph, name, idx, levels, networkDatatype);
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
        return "GrayLevelVertex(levels=" + levels + ")";
    }
}
