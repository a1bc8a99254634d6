package org.polyvae.model;

import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Pixel shuffle (depth to space) as a graph vertex: [n, c·b², h, w] → [n, c, h·b, w·b], and space to depth
 * on the way back. A decoder level then convolves at the low resolution with b²× the channels and
 * rearranges, instead of a transposed convolution or a convolution at the high resolution: in ND4J M2
 * both of those are im2col-bound and dominate training time (bench/train.sh measures it). No
 * parameters; JSON-serialisable by class name (keep the no-argument constructor and the getter/setter).
 */
public class DepthToSpaceVertex extends ParameterFreeVertex {
    private static final long serialVersionUID = 1L;

    private int blockSize = 2;

    public DepthToSpaceVertex() {
    }

    public DepthToSpaceVertex(int blockSize) {
        if (blockSize < 2) {
            throw new IllegalArgumentException("depth-to-space block size must be ≥ 2, got " + blockSize);
        }
        this.blockSize = blockSize;
    }

    public int getBlockSize() {
        return blockSize;
    }

    public void setBlockSize(int blockSize) {
        this.blockSize = blockSize;
    }

    @Override
    public DepthToSpaceVertex clone() {
        return new DepthToSpaceVertex(blockSize);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DepthToSpaceVertex v && v.blockSize == blockSize;
    }

    @Override
    public int hashCode() {
        return 31 * DepthToSpaceVertex.class.getName().hashCode() + blockSize;
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
            INDArray paramsView, boolean initializeParams, DataType networkDatatype) {
        return new DepthToSpaceVertexImpl(graph, name, idx, blockSize, networkDatatype);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... inputs) throws InvalidInputTypeException {
        if (inputs.length != 1 || !(inputs[0] instanceof InputType.InputTypeConvolutional in)) {
            throw new InvalidInputTypeException("DepthToSpaceVertex expects one convolutional input, got "
                    + java.util.Arrays.toString(inputs));
        }
        long b2 = (long) blockSize * blockSize;
        if (in.getChannels() % b2 != 0) {
            throw new InvalidInputTypeException("DepthToSpaceVertex: " + in.getChannels() + " channels are not a "
                    + "multiple of block size² = " + b2);
        }
        return InputType.convolutional(in.getHeight() * blockSize, in.getWidth() * blockSize, in.getChannels() / b2);
    }

    @Override
    public String toString() {
        return "DepthToSpaceVertex(blockSize=" + blockSize + ")";
    }
}
