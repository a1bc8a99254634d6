package org.polyvae.model;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The negative log-likelihood of a gray value x in [0, 1] under a Laplace distribution per pixel, whose
 * location μ = sigmoid(a) and log-scale s the decoder predicts: |x − μ|·e^(−s) + s + ln 2. On the rows
 * [a, s] that {@code CnnLossLayer} makes of each pixel's two channels; the label's first column is x (the
 * second is ignored). The most likely gray is μ, the median: where the decoder cannot tell which side of a
 * boundary a pixel is on, the median takes the likelier side instead of averaging the two grays, and
 * inside a grain a small learned scale makes every gray step off the grain's value cost e^(−s) per unit,
 * so grains come out flat. s is clamped to [{@value #MIN_LOG_SCALE}, {@value #MAX_LOG_SCALE}] (a scale
 * below half a gray level of 8-bit data would reward copying JPEG noise); the clamp passes no gradient.
 * JSON-serialisable by class name (no fields).
 */
public class LaplaceLoss extends SummedRowLoss {
    private static final long serialVersionUID = 1L;
    /** ln(1/512): half of one 8-bit gray level. */
    static final double MIN_LOG_SCALE = -6.238;
    static final double MAX_LOG_SCALE = 1.0;

    /** [location, log-scale, x] per row: the sigmoid location, the clamped log-scale and the target. */
    private static INDArray[] parts(INDArray labels, INDArray out) {
        INDArray mu = Transforms.sigmoid(out.get(NDArrayIndex.all(), NDArrayIndex.point(0)).reshape(out.size(0), 1),
                true);
        INDArray rawS = out.get(NDArrayIndex.all(), NDArrayIndex.point(1)).reshape(out.size(0), 1);
        INDArray s = Transforms.min(Transforms.max(rawS, MIN_LOG_SCALE, true), MAX_LOG_SCALE, false);
        INDArray x = labels.get(NDArrayIndex.all(), NDArrayIndex.point(0)).reshape(out.size(0), 1);
        return new INDArray[] {mu, s, x, rawS};
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray[] p = parts(labels, activationFn.getActivation(preOutput.dup(), true));
        INDArray score = Transforms.abs(p[2].sub(p[0]), false).muli(Transforms.exp(p[1].neg(), false)).addi(p[1])
                .addi(Math.log(2));
        return masked(score, mask);
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray out = activationFn.getActivation(preOutput.dup(), true);
        INDArray[] p = parts(labels, out);
        INDArray mu = p[0];
        INDArray invScale = Transforms.exp(p[1].neg(), true);
        INDArray diff = p[2].sub(mu);
        // d/da = −sign(x − μ)·e^(−s)·μ(1 − μ); d/ds = 1 − |x − μ|·e^(−s), zero where s is clamped.
        INDArray dA = Transforms.sign(diff, true).negi().muli(invScale).muli(mu.mul(mu.rsub(1)));
        INDArray dS = Transforms.abs(diff, true).muli(invScale).rsubi(1);
        INDArray inside = p[3].gt(MIN_LOG_SCALE).castTo(dS.dataType()).muli(p[3].lt(MAX_LOG_SCALE).castTo(dS.dataType()));
        dS.muli(inside);
        INDArray dOut = out.ulike();
        dOut.get(NDArrayIndex.all(), NDArrayIndex.point(0)).assign(dA.reshape(dA.length()));
        dOut.get(NDArrayIndex.all(), NDArrayIndex.point(1)).assign(dS.reshape(dS.length()));
        INDArray grad = activationFn.backprop(preOutput.dup(), dOut).getFirst();
        return masked(grad, mask);
    }

    @Override
    public String name() {
        return "LaplaceLoss";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LaplaceLoss;
    }

    @Override
    public int hashCode() {
        return LaplaceLoss.class.hashCode();
    }

    @Override
    public String toString() {
        return name();
    }
}
