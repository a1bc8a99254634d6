package org.polyvae.model;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.enums.DataFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.DepthToSpace;
import org.nd4j.linalg.api.ops.impl.layers.convolution.SpaceToDepth;
import org.nd4j.linalg.factory.Nd4j;

/** Runtime side of {@link DepthToSpaceVertex}: ND4J's depth_to_space forward, space_to_depth backward. */
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
        Nd4j.exec(new DepthToSpace(in.isView() ? in.dup() : in, out, b, DataFormat.NCHW));
        return out;
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        INDArray in = inputs[0];
        INDArray grad = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, in.dataType(), in.shape());
        Nd4j.exec(new SpaceToDepth(epsilon.isView() ? epsilon.dup() : epsilon, grad, b, DataFormat.NCHW));
        return new Pair<>(null, new INDArray[] {grad});
    }

    @Override
    public String toString() {
        return "DepthToSpaceVertex(name=" + vertexName + ", blockSize=" + b + ")";
    }
}
