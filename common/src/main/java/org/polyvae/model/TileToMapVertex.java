package org.polyvae.model;

import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A vector repeated over a square map: [n, k] → [n, k, size, size], and on the way back the gradient
 * summed over the map. The conditional VAE merges the class one-hot, tiled this way, into the channels of
 * a feature map (the usual CVAE conditioning for convolutions) so every position sees the window class.
 * DL4J M2 has no layer for this (RepeatVector makes a sequence, not a map). No parameters;
 * JSON-serialisable by class name (keep the no-argument constructor and the getter/setter).
 */
public class TileToMapVertex extends ParameterFreeVertex {
    private static final long serialVersionUID = 1L;

    private int size = 1;

    public TileToMapVertex() {
    }

    public TileToMapVertex(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("tile map size must be ≥ 1, got " + size);
        }
        this.size = size;
    }

    public int getSize() {
        return size;
    }

    public void setSize(int size) {
        this.size = size;
    }

    @Override
    public TileToMapVertex clone() {
        return new TileToMapVertex(size);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TileToMapVertex v && v.size == size;
    }

    @Override
    public int hashCode() {
        return 31 * TileToMapVertex.class.getName().hashCode() + size;
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
            INDArray paramsView, boolean initializeParams, DataType networkDatatype) {
        return new TileToMapVertexImpl(graph, name, idx, size, networkDatatype);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... inputs) throws InvalidInputTypeException {
        if (inputs.length != 1 || !(inputs[0] instanceof InputType.InputTypeFeedForward in)) {
            throw new InvalidInputTypeException("TileToMapVertex expects one feed-forward input, got "
                    + java.util.Arrays.toString(inputs));
        }
        return InputType.convolutional(size, size, in.getSize());
    }

    @Override
    public String toString() {
        return "TileToMapVertex(size=" + size + ")";
    }
}
