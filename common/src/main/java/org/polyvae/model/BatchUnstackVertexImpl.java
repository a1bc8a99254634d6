package org.polyvae.model;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Runtime side of {@link BatchUnstackVertex}: the row groups side by side in the channels, and back. */
final class BatchUnstackVertexImpl extends ParameterFreeVertexImpl {
    private final int groups;

    BatchUnstackVertexImpl(ComputationGraph graph, String name, int index, DataType dataType, int groups) {
        super(graph, name, index, dataType);
        this.groups = groups;
    }

    private long rowsPerGroup(INDArray in) {
        if (in.size(0) % groups != 0) {
            throw new IllegalStateException(this + ": " + in.size(0) + " rows do not split into " + groups
                    + " equal groups");
        }
        return in.size(0) / groups;
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray in = inputs[0];
        long n = rowsPerGroup(in);
        long c = in.size(1);
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, in.dataType(), n, groups * c,
                in.size(2), in.size(3));
        for (int group = 0; group < groups; group++) {
            out.get(NDArrayIndex.all(), NDArrayIndex.interval(group * c, (group + 1) * c))
                    .assign(in.get(NDArrayIndex.interval(group * n, (group + 1) * n)));
        }
        return out;
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        INDArray in = inputs[0];
        long n = rowsPerGroup(in);
        long c = in.size(1);
        INDArray grad = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, epsilon.dataType(), in.shape());
        for (int group = 0; group < groups; group++) {
            grad.get(NDArrayIndex.interval(group * n, (group + 1) * n))
                    .assign(epsilon.get(NDArrayIndex.all(), NDArrayIndex.interval(group * c, (group + 1) * c)));
        }
        return new Pair<>(null, new INDArray[] {grad});
    }

    @Override
    public String toString() {
        return "BatchUnstackVertex(name=" + vertexName + ", groups=" + groups + ")";
    }
}
