package org.polyvae.model;

import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The VAE's sampling step as a graph vertex: input [mu | logvar] (2·d columns), output
 * z = mu + exp(logvar / 2) · eps with eps ~ N(0, I) while training and z = mu at inference. The noise
 * drawn in the forward pass is kept for the backward pass (a lambda vertex that reruns its forward would
 * draw new noise and get the gradient wrong). No parameters. Configuration class: serialised to JSON
 * by DL4J (by class name) and by Java serialisation; both need the public no-argument constructor.
 */
public class ReparameterizationVertex extends ParameterFreeVertex {
    private static final long serialVersionUID = 1L;

    public ReparameterizationVertex() {
    }

    @Override
    public ReparameterizationVertex clone() {
        return new ReparameterizationVertex();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReparameterizationVertex;
    }

    @Override
    public int hashCode() {
        return ReparameterizationVertex.class.getName().hashCode();
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
            INDArray paramsView, boolean initializeParams, DataType networkDatatype) {
        return new ReparameterizationVertexImpl(graph, name, idx, networkDatatype);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... inputs) throws InvalidInputTypeException {
        if (inputs.length != 1 || inputs[0].getType() != InputType.Type.FF) {
            throw new InvalidInputTypeException("ReparameterizationVertex expects one feed-forward input "
                    + "[mu | logvar], got " + java.util.Arrays.toString(inputs));
        }
        long width = ((InputType.InputTypeFeedForward) inputs[0]).getSize();
        if (width % 2 != 0) {
            throw new InvalidInputTypeException("ReparameterizationVertex input [mu | logvar] must have an even "
                    + "width, got " + width);
        }
        return InputType.feedForward(width / 2);
    }

    @Override
    public MemoryReport getMemoryReport(InputType... inputTypes) {
        InputType out = getOutputType(-1, inputTypes);
        // Working memory: the kept noise, one activation's worth per example.
        return new LayerMemoryReport.Builder(null, ReparameterizationVertex.class, inputTypes[0], out)
                .standardMemory(0, 0)
                .workingMemory(0, out.arrayElementsPerExample(), 0, 0)
                .cacheMemory(0, 0)
                .build();
    }

    @Override
    public String toString() {
        return "ReparameterizationVertex()";
    }
}
