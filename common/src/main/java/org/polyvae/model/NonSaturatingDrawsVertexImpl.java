package org.polyvae.model;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Runtime side of {@link NonSaturatingDrawsVertex}: [a | b] → [a | b | b] forward; backward −λ·g_a for a and
 * (w / ε)·g_b2 for b, the first copy's gradient dropped.
 */
final class NonSaturatingDrawsVertexImpl extends ParameterFreeVertexImpl {
    private final double reversalWeight;
    private final double drawWeight;
    private final double discriminatorShare;

    NonSaturatingDrawsVertexImpl(ComputationGraph graph, String name, int index, double reversalWeight,
            double drawWeight, double discriminatorShare, DataType dataType) {
        super(graph, name, index, dataType);
        this.reversalWeight = reversalWeight;
        this.drawWeight = drawWeight;
        this.discriminatorShare = discriminatorShare;
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray in = inputs[0];
        long n = half(in);
        long[] shape = in.shape().clone();
        shape[0] = 3 * n;
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, in.dataType(), shape, 'c');
        out.get(NDArrayIndex.interval(0, 2 * n)).assign(in);
        out.get(NDArrayIndex.interval(2 * n, 3 * n)).assign(in.get(NDArrayIndex.interval(n, 2 * n)));
        return out;
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        INDArray in = inputs[0];
        long n = half(in);
        INDArray grad = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, epsilon.dataType(), in.shape(),
                'c');
        grad.get(NDArrayIndex.interval(0, n)).assign(epsilon.get(NDArrayIndex.interval(0, n)))
                .muli(-reversalWeight);
        grad.get(NDArrayIndex.interval(n, 2 * n)).assign(epsilon.get(NDArrayIndex.interval(2 * n, 3 * n)))
                .muli(drawWeight / discriminatorShare);
        return new Pair<>(null, new INDArray[] {grad});
    }

    private long half(INDArray in) {
        if (in.size(0) % 2 != 0) {
            throw new IllegalStateException(this + " expects the decoded stack [images' codes | draws], an even "
                    + "number of rows, got " + in.size(0));
        }
        return in.size(0) / 2;
    }

    @Override
    public String toString() {
        return "NonSaturatingDrawsVertex(name=" + vertexName + ", λ=" + reversalWeight + ", w=" + drawWeight
                + ", ε=" + discriminatorShare + ")";
    }
}
