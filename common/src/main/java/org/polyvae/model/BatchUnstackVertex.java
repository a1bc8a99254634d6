package org.polyvae.model;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The inverse of {@link BatchStackVertex} into channels: a map [g·n, c, h, w] of g groups of n rows →
 * [n, g·c, h, w], row i's channels followed by row n + i's, 2n + i's and so on; backward, the gradient
 * rearranged the same way. The adversarial term's patch logits come back to one row per image through it, so
 * its labels have the minibatch's rows and survive what Spark's workers do to minibatches (split and merge
 * them by rows). No parameters; JSON-serialisable (groups, 2 when absent).
 */
public class BatchUnstackVertex extends ParameterFreeVertex {
    private static final long serialVersionUID = 1L;

    /** Row groups of the input, each becoming a block of channels. */
    private int groups = 2;

    public BatchUnstackVertex() {
    }

    public BatchUnstackVertex(int groups) {
        if (groups < 2) {
            throw new IllegalArgumentException("BatchUnstackVertex needs at least 2 row groups, got " + groups);
        }
        this.groups = groups;
    }

    public int getGroups() {
        return groups;
    }

    public void setGroups(int groups) {
        this.groups = groups;
    }

    @Override
    public BatchUnstackVertex clone() {
        return new BatchUnstackVertex(groups);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BatchUnstackVertex b && b.groups == groups;
    }

    @Override
    public int hashCode() {
        return BatchUnstackVertex.class.getName().hashCode() * 31 + groups;
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
            INDArray paramsView, boolean initializeParams, DataType networkDatatype) {
        return new BatchUnstackVertexImpl(graph, name, idx, networkDatatype, groups);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... inputs) throws InvalidInputTypeException {
        if (inputs.length != 1 || !(inputs[0] instanceof InputType.InputTypeConvolutional in)) {
            throw new InvalidInputTypeException("BatchUnstackVertex expects one convolutional input, got "
                    + java.util.Arrays.toString(inputs));
        }
        return InputType.convolutional(in.getHeight(), in.getWidth(), groups * in.getChannels());
    }

    @Override
    public String toString() {
        return "BatchUnstackVertex(groups=" + groups + ")";
    }
}
