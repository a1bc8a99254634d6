package org.polyvae.model;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastCopyOp;
import org.nd4j.linalg.factory.Nd4j;

/** Runtime side of {@link TileToMapVertex}: a broadcast copy forward, a sum over the map backward. */
final class TileToMapVertexImpl extends ParameterFreeVertexImpl {
    private final int size;

    TileToMapVertexImpl(ComputationGraph graph, String name, int index, int size, DataType dataType) {
        super(graph, name, index, dataType);
        this.size = size;
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray in = inputs[0];
        long n = in.size(0);
        long k = in.size(1);
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, in.dataType(), n, k, size, size);
        // One broadcast copy of each (example, class) value along its row of the [n·k, size²] view; INDArray's
        // broadcast() would first materialise the whole map and then assign() copy it again.
        INDArray rows = out.reshape(n * k, (long) size * size);
        Nd4j.exec(new BroadcastCopyOp(rows, in.reshape(n * k), rows, 0));
        return out;
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        INDArray grad = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, epsilon.dataType(),
                inputs[0].shape());
        grad.assign(epsilon.sum(2, 3));
        return new Pair<>(null, new INDArray[] {grad});
    }

    @Override
    public String toString() {
        return "TileToMapVertex(name=" + vertexName + ", size=" + size + ")";
    }
}
