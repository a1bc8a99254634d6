package org.polyvae.model;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Runtime side of {@link BatchUnstackVertex}: the two row halves side by side in the channels, and back. */
final class BatchUnstackVertexImpl extends ParameterFreeVertexImpl {
    BatchUnstackVertexImpl(ComputationGraph graph, String name, int index, DataType dataType) {
        super(graph, name, index, dataType);
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray in = inputs[0];
        long n = in.size(0) / 2;
        long c = in.size(1);
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, in.dataType(), n, 2 * c, in.size(2),
                in.size(3));
        for (int half = 0; half < 2; half++) {
            out.get(NDArrayIndex.all(), NDArrayIndex.interval(half * c, (half + 1) * c))
                    .assign(in.get(NDArrayIndex.interval(half * n, (half + 1) * n)));
        }
        return out;
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        INDArray in = inputs[0];
        long n = in.size(0) / 2;
        long c = in.size(1);
        INDArray grad = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, epsilon.dataType(), in.shape());
        for (int half = 0; half < 2; half++) {
            grad.get(NDArrayIndex.interval(half * n, (half + 1) * n))
                    .assign(epsilon.get(NDArrayIndex.all(), NDArrayIndex.interval(half * c, (half + 1) * c)));
        }
        return new Pair<>(null, new INDArray[] {grad});
    }

    @Override
    public String toString() {
        return "BatchUnstackVertex(name=" + vertexName + ")";
    }
}
