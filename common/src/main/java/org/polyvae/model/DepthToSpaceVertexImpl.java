package org.polyvae.model;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Runtime side of {@link DepthToSpaceVertex}: {@link PixelShuffle} forward, its inverse backward. */
final class DepthToSpaceVertexImpl extends ParameterFreeVertexImpl {
    private final int b;

    DepthToSpaceVertexImpl(ComputationGraph graph, String name, int index, int blockSize, DataType dataType) {
        super(graph, name, index, dataType);
        this.b = blockSize;
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray in = inputs[0];
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, in.dataType(), in.size(0),
                in.size(1) / ((long) b * b), in.size(2) * b, in.size(3) * b);
        PixelShuffle.depthToSpace(in, out, b);
        return out;
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        INDArray in = inputs[0];
        INDArray grad = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, in.dataType(), in.shape());
        PixelShuffle.spaceToDepth(epsilon, grad, b);
        return new Pair<>(null, new INDArray[] {grad});
    }

    @Override
    public String toString() {
        return "DepthToSpaceVertex(name=" + vertexName + ", blockSize=" + b + ")";
    }
}
