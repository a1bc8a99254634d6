package org.polyvae.model;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Runtime side of {@link ExpectedGrayVertex}. With p = softmax(l) and g = Σ p_k c_k, ∂g/∂l_j = p_j (c_j − g):
 * the backward pass recomputes p from the kept input rather than holding it between the passes. The level
 * centres and the per-pixel terms are broadcast by the ops themselves, never materialised at the logits' size.
 */
final class ExpectedGrayVertexImpl extends ParameterFreeVertexImpl {
    private final int levels;

    ExpectedGrayVertexImpl(ComputationGraph graph, String name, int index, int levels, DataType dataType) {
        super(graph, name, index, dataType);
        this.levels = levels;
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray in = inputs[0];
        INDArray gray = probabilities(in).muli(centres(in)).sum(true, 1);
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, in.dataType(), in.size(0), 1,
                in.size(2), in.size(3));
        return out.assign(gray);
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        INDArray in = inputs[0];
        INDArray p = probabilities(in);
        INDArray c = centres(in);
        INDArray gray = p.mul(c).sum(true, 1);
        INDArray grad = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, in.dataType(), in.shape());
        // p (c − g) ε, with c [1, K, 1, 1] and g, ε [n, 1, h, w] broadcast over the other axes.
        Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp(
                new INDArray[] {c, gray}, new INDArray[] {grad}));
        grad.muli(p).muli(epsilon);
        return new Pair<>(null, new INDArray[] {grad});
    }

    /** The softmax over the channels, shifted by the per-pixel maximum for stability. */
    private static INDArray probabilities(INDArray logits) {
        INDArray e = Transforms.exp(logits.sub(logits.max(true, 1)), false);
        return e.divi(e.sum(true, 1));
    }

    /** The level centres (k + ½) / K as a [1, K, 1, 1] array, which the arithmetic ops broadcast. */
    private INDArray centres(INDArray like) {
        return Nd4j.arange(levels).castTo(like.dataType()).addi(0.5).divi(levels).reshape(1, levels, 1, 1);
    }

    @Override
    public String toString() {
        return "ExpectedGrayVertex(name=" + vertexName + ", levels=" + levels + ")";
    }
}
