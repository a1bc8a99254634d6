package org.polyvae.model;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The inverse of {@link BatchStackVertex} into channels: a map [2n, c, h, w] → [n, 2c, h, w], row i's
 * channels followed by row n + i's; backward, the gradient rearranged the same way. The adversarial term's
 * patch logits come back to one row per image through it, so its labels have the minibatch's rows and
 * survive what Spark's workers do to minibatches (split and merge them by rows). No parameters;
 * JSON-serialisable by class name.
 */
public class BatchUnstackVertex extends ParameterFreeVertex {
    private static final long serialVersionUID = 1L;

    public BatchUnstackVertex() {
    }

    @Override
    public BatchUnstackVertex clone() {
        return new BatchUnstackVertex();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BatchUnstackVertex;
    }

    @Override
    public int hashCode() {
        return BatchUnstackVertex.class.getName().hashCode();
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
            INDArray paramsView, boolean initializeParams, DataType networkDatatype) {
        return new BatchUnstackVertexImpl(graph, name, idx, networkDatatype);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... inputs) throws InvalidInputTypeException {
        if (inputs.length != 1 || !(inputs[0] instanceof InputType.InputTypeConvolutional in)) {
            throw new InvalidInputTypeException("BatchUnstackVertex expects one convolutional input, got "
                    + java.util.Arrays.toString(inputs));
        }
        return InputType.convolutional(in.getHeight(), in.getWidth(), 2 * in.getChannels());
    }

    @Override
    public String toString() {
        return "BatchUnstackVertex()";
    }
}
