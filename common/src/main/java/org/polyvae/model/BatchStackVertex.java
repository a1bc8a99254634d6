package org.polyvae.model;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Two inputs of the same shape but for their rows stacked along the minibatch: [n, …] and [m, …] → [n + m, …],
 * the first input's rows first; backward, the gradient split the same way. The adversarial term's discriminator sees decoded
 * and real images in one minibatch through it, so one set of discriminator weights judges both (DL4J has no
 * weight sharing between two branches of a graph); {@link BatchUnstackVertex} brings the result back to n
 * rows. No parameters; JSON-serialisable by class name.
 */
public class BatchStackVertex extends ParameterFreeVertex {
    private static final long serialVersionUID = 1L;

    public BatchStackVertex() {
    }

    @Override
    public BatchStackVertex clone() {
        return new BatchStackVertex();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BatchStackVertex;
    }

    @Override
    public int hashCode() {
        return BatchStackVertex.class.getName().hashCode();
    }

    @Override
    protected int inputCount() {
        return 2;
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
            INDArray paramsView, boolean initializeParams, DataType networkDatatype) {
        return new BatchStackVertexImpl(graph, name, idx, networkDatatype);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... inputs) throws InvalidInputTypeException {
        if (inputs.length != 2 || !inputs[0].equals(inputs[1])) {
            throw new InvalidInputTypeException("BatchStackVertex expects two inputs of one type, got "
                    + java.util.Arrays.toString(inputs));
        }
        return inputs[0];
    }

    @Override
    public String toString() {
        return "BatchStackVertex()";
    }
}
