package org.polyvae.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The softmax over the channels (axis 1) of an NCHW map, computed on the map in place of DL4J's route through
 * rows (permute to [n·h·w, K], softmax, permute back). ND4J's own softmax op is no help: in 1.0.0-M2 it is
 * wrong along axis 1 of a rank-4 array. Shared by {@link ExpectedGrayVertexImpl} and
 * {@link CategoricalLossLayerImpl}.
 */
final class ChannelSoftmax {
    private ChannelSoftmax() {
    }

    /**
     * p = softmax(logits) over axis 1, into {@code p} (same shape), shifted by the per-pixel maximum for
     * stability. Returns the per-pixel log-sum-exp [n, 1, h, w], so that log p = logits − the returned value.
     */
    static INDArray into(INDArray logits, INDArray p) {
        INDArray max = logits.max(true, 1);
        Nd4j.exec(new SubOp(new INDArray[] {logits, max}, new INDArray[] {p}));
        Transforms.exp(p, false);
        INDArray sum = p.sum(true, 1);
        p.divi(sum);
        return Transforms.log(sum, false).addi(max);
    }
}
