package org.polyvae.model;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * β · KL(N(mu, exp(logvar)) ‖ N(0, I)) per example, on the pre-output [mu | logvar] of an identity
 * LossLayer: 0.5 · Σ_j (mu_j² + exp(logvar_j) − 1 − logvar_j). Labels are ignored (the trainer feeds zeros
 * of the same shape). Summed per example, so next to a per-image summed reconstruction term β keeps its
 * usual meaning. Serialised to JSON by DL4J by class name: keep the no-argument constructor and the
 * beta getter/setter.
 */
public class KlDivergenceLoss extends SummedRowLoss {
    private static final long serialVersionUID = 1L;

    private double beta = 1.0;

    public KlDivergenceLoss() {
    }

    public KlDivergenceLoss(double beta) {
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("KL weight beta must be a finite number ≥ 0, got " + beta);
        }
        this.beta = beta;
    }

    public double getBeta() {
        return beta;
    }

    public void setBeta(double beta) {
        this.beta = beta;
    }

    private static INDArray[] split(INDArray preOutput) {
        long d = preOutput.size(1) / 2;
        return new INDArray[] {preOutput.get(NDArrayIndex.all(), NDArrayIndex.interval(0, d)),
                preOutput.get(NDArrayIndex.all(), NDArrayIndex.interval(d, 2 * d))};
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray[] p = split(activationFn.getActivation(preOutput.dup(), true));
        INDArray mu = p[0];
        INDArray logvar = p[1];
        INDArray terms = mu.mul(mu).addi(Transforms.exp(logvar, true)).subi(1).subi(logvar);
        INDArray perExample = terms.sum(true, 1).muli(0.5 * beta);
        return masked(perExample, mask);
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray out = activationFn.getActivation(preOutput.dup(), true);
        INDArray[] p = split(out);
        // d/dmu = beta · mu; d/dlogvar = beta · 0.5 · (exp(logvar) − 1).
        INDArray dOut = out.ulike();
        long d = out.size(1) / 2;
        dOut.get(NDArrayIndex.all(), NDArrayIndex.interval(0, d)).assign(p[0].mul(beta));
        dOut.get(NDArrayIndex.all(), NDArrayIndex.interval(d, 2 * d))
                .assign(Transforms.exp(p[1], true).subi(1).muli(0.5 * beta));
        INDArray grad = activationFn.backprop(preOutput.dup(), dOut).getFirst();
        return masked(grad, mask);
    }

    @Override
    public String name() {
        return "KlDivergenceLoss(beta=" + beta + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KlDivergenceLoss k && Double.compare(k.beta, beta) == 0;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(beta);
    }

    @Override
    public String toString() {
        return name();
    }
}
