package org.polyvae.model;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runtime side of {@link ExpectedGrayVertex}. With p = softmax(l) and g = Σ p_k c_k, ∂g/∂l_j = p_j (c_j − g).
 * A training forward pass keeps p and g (in the activations workspace, which DL4J keeps open through
 * backpropagation) for the backward pass, which otherwise recomputes them from the kept input: the softmax
 * over the channels of an NCHW map is the costliest pass of the head. The backward formula is one fused pass
 * ({@link VectorChannelKernels}) or, with ND4J's ops, two, where the level centres and the per-pixel terms are
 * broadcast by the ops themselves, never materialised at the logits' size.
 */
final class ExpectedGrayVertexImpl extends ParameterFreeVertexImpl {
    private final int levels;
    /** p and g from the last training forward pass, and the input they belong to. */
    private INDArray cachedP;
    private INDArray cachedGray;
    private INDArray cachedFor;

    ExpectedGrayVertexImpl(ComputationGraph graph, String name, int index, int levels, DataType dataType) {
        super(graph, name, index, dataType);
        this.levels = levels;
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray in = inputs[0];
        clearCache();
        INDArray p;
        if (training) {
            // Kept for this vertex's backward pass and for the categorical loss layer's on the same logits.
            p = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, in.dataType(), in.shape());
            INDArray logSumExp = ChannelSoftmax.into(in, p);
            ChannelSoftmax.remember(in, p, workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, logSumExp));
        } else {
            p = probabilities(in, Nd4j.createUninitialized(in.dataType(), in.shape()));
        }
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, in.dataType(), in.size(0), 1,
                in.size(2), in.size(3));
        expectedGray(p, out);
        if (training) {
            cachedP = p;
            cachedGray = out;
            cachedFor = in;
        }
        return out;
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        INDArray in = inputs[0];
        boolean cached = cachedFor == in && cachedP != null;
        INDArray p = cached ? cachedP : probabilities(in, Nd4j.createUninitialized(in.dataType(), in.shape()));
        INDArray gray = cached ? cachedGray : expectedGray(p, Nd4j.createUninitialized(in.dataType(), in.size(0), 1,
                in.size(2), in.size(3)));
        clearCache();
        INDArray grad = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, in.dataType(), in.shape(), 'c');
        gradient(p, centres(in), gray, epsilon, grad);
        return new Pair<>(null, new INDArray[] {grad});
    }

    /** ∂g/∂l·ε = p (c − g) ε into {@code grad}, for level centres c [K] and the expected gray g [n, 1, h, w]. */
    static void gradient(INDArray p, INDArray centres, INDArray gray, INDArray epsilon, INDArray grad) {
        if (ChannelSoftmax.vectorised(p, gray, epsilon, grad)) {
            VectorChannelKernels.expectedGrayGradient(p, centres.toFloatVector(), gray, epsilon, grad);
        } else {
            nd4jGradient(p, centres, gray, epsilon, grad);
        }
    }

    /** {@link #gradient} with ND4J's ops. */
    static void nd4jGradient(INDArray p, INDArray centres, INDArray gray, INDArray epsilon, INDArray grad) {
        // p (c − g) ε = p · ([c | −1] · [ε ; g ε]): per image one [K, 2]·[2, h·w] product writes (c − g) ε
        // in one pass over the logits' size and the product with p is the second, where elementwise ops that
        // broadcast c, g and ε take three.
        INDArray centresAndMinusOne = Nd4j.concat(1, centres.reshape(centres.length(), 1),
                Nd4j.valueArrayOf(new long[] {centres.length(), 1}, -1.0, p.dataType()));
        ChannelSoftmax.perImageProduct(centresAndMinusOne, Nd4j.concat(1, epsilon, gray.mul(epsilon)), grad);
        grad.muli(p);
    }

    private void clearCache() {
        cachedP = null;
        cachedGray = null;
        cachedFor = null;
    }

    private static INDArray probabilities(INDArray logits, INDArray p) {
        ChannelSoftmax.into(logits, p);
        return p;
    }

    /** Σ_k p_k c_k into {@code out} [n, 1, h, w]. */
    private INDArray expectedGray(INDArray p, INDArray out) {
        return ChannelSoftmax.weightedChannelSum(p, centres(p), out);
    }

    /** The level centres (k + ½) / K. */
    private INDArray centres(INDArray like) {
        return Nd4j.arange(levels).castTo(like.dataType()).addi(0.5).divi(levels);
    }

    @Override
    public String toString() {
        return "ExpectedGrayVertex(name=" + vertexName + ", levels=" + levels + ")";
    }
}
