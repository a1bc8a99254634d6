package org.polyvae.model;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Runtime side of {@link BatchStackVertex}: rows of the first input, then of the second; backward split. */
final class BatchStackVertexImpl extends ParameterFreeVertexImpl {
    BatchStackVertexImpl(ComputationGraph graph, String name, int index, DataType dataType) {
        super(graph, name, index, dataType);
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray a = inputs[0];
        INDArray b = inputs[1];
        long[] shape = a.shape().clone();
        shape[0] = b.size(0);
        if (!java.util.Arrays.equals(shape, b.shape())) {
            throw new IllegalStateException(this + ": inputs of shapes " + java.util.Arrays.toString(a.shape())
                    + " and " + java.util.Arrays.toString(b.shape()) + " cannot be stacked");
        }
        shape[0] = a.size(0) + b.size(0);
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, a.dataType(), shape);
        out.get(rows(0, a.size(0), a.rank())).assign(a);
        out.get(rows(a.size(0), shape[0], a.rank())).assign(b);
        return out;
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        long n = inputs[0].size(0);
        INDArray[] grads = new INDArray[2];
        for (int i = 0; i < 2; i++) {
            grads[i] = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, epsilon.dataType(),
                    inputs[i].shape());
            long from = i == 0 ? 0 : n;
            grads[i].assign(epsilon.get(rows(from, from + inputs[i].size(0), epsilon.rank())));
        }
        return new Pair<>(null, grads);
    }

    private static org.nd4j.linalg.indexing.INDArrayIndex[] rows(long from, long to, int rank) {
        org.nd4j.linalg.indexing.INDArrayIndex[] idx = new org.nd4j.linalg.indexing.INDArrayIndex[rank];
        idx[0] = NDArrayIndex.interval(from, to);
        for (int d = 1; d < rank; d++) {
            idx[d] = NDArrayIndex.all();
        }
        return idx;
    }

    @Override
    public String toString() {
        return "BatchStackVertex(name=" + vertexName + ")";
    }
}
