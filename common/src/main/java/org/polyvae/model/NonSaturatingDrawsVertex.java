package org.polyvae.model;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The adversarial term's gradient gate when the decoder also decodes prior draws
 * ({@code polyvae.model.adversarial-prior-draws}). Its input is the decoded stack [images' codes | draws]
 * (2n rows); its output [images' codes | draws | draws] (3n rows), which the discriminator judges with the
 * labels 0, 0 and 1, the second copy's cross-entropy weighted by {@code discriminatorShare} (ε) in the loss.
 * Backward, the first n rows get the gradient reversed and scaled by λ, as {@link GradientReversalVertex} gives
 * the reconstructions; the first copy of the draws gets none (the discriminator learns from it alone that
 * they are decoded); the second copy's gradient is passed on scaled by w / ε.
 *
 * <p>Why: through a gradient reversal the decoder ascends the discriminator's own cross-entropy, whose gradient
 * fades as the discriminator grows sure, and it is sure of the draws: their decodings stayed where they were
 * (README, "Prior draws for the discriminator"). The second copy gives the decoder instead the gradient of
 * −log D, the non-saturating generator loss (Goodfellow et al. 2014), which is largest where the discriminator
 * is surest, at weight w: the cross-entropy against label 1 is weighted by ε in the loss and its gradient scaled
 * back up by 1/ε here. The discriminator's own parameters see that copy at weight ε only, which pulls its
 * verdict on the draws toward "real" with a force ε: it settles where it rates them real with probability
 * ε / (1 + ε) instead of ever more surely decoded. One graph and one fit(), so parameter averaging trains it
 * unchanged. No parameters; JSON-serialisable by class name (keep the no-argument constructor and the
 * getters/setters).
 */
public class NonSaturatingDrawsVertex extends ParameterFreeVertex {
    private static final long serialVersionUID = 1L;

    private double reversalWeight = 1;
    private double drawWeight = 1;
    private double discriminatorShare = 0.01;

    public NonSaturatingDrawsVertex() {
    }

    /**
     * @param reversalWeight     λ, the reconstructions' reversed gradient (≥ 0)
     * @param drawWeight         w, the weight of the draws' non-saturating term (≥ 0)
     * @param discriminatorShare ε in (0, 1], the weight of the second copy's cross-entropy in the loss
     */
    public NonSaturatingDrawsVertex(double reversalWeight, double drawWeight, double discriminatorShare) {
        if (!(reversalWeight >= 0) || Double.isInfinite(reversalWeight) || !(drawWeight >= 0)
                || Double.isInfinite(drawWeight)) {
            throw new IllegalArgumentException("the weights must be finite and ≥ 0, got λ = " + reversalWeight
                    + ", w = " + drawWeight);
        }
        if (!(discriminatorShare > 0 && discriminatorShare <= 1)) {
            throw new IllegalArgumentException("the discriminator's share must lie in (0, 1], got "
                    + discriminatorShare);
        }
        this.reversalWeight = reversalWeight;
        this.drawWeight = drawWeight;
        this.discriminatorShare = discriminatorShare;
    }

    public double getReversalWeight() {
        return reversalWeight;
    }

    public void setReversalWeight(double reversalWeight) {
        this.reversalWeight = reversalWeight;
    }

    public double getDrawWeight() {
        return drawWeight;
    }

    public void setDrawWeight(double drawWeight) {
        this.drawWeight = drawWeight;
    }

    public double getDiscriminatorShare() {
        return discriminatorShare;
    }

    public void setDiscriminatorShare(double discriminatorShare) {
        this.discriminatorShare = discriminatorShare;
    }

    @Override
    public NonSaturatingDrawsVertex clone() {
        return new NonSaturatingDrawsVertex(reversalWeight, drawWeight, discriminatorShare);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NonSaturatingDrawsVertex v && v.reversalWeight == reversalWeight
                && v.drawWeight == drawWeight && v.discriminatorShare == discriminatorShare;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(NonSaturatingDrawsVertex.class.getName(), reversalWeight, drawWeight,
                discriminatorShare);
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
            INDArray paramsView, boolean initializeParams, DataType networkDatatype) {
        return new NonSaturatingDrawsVertexImpl(graph, name, idx, reversalWeight, drawWeight, discriminatorShare,
                networkDatatype);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... inputs) throws InvalidInputTypeException {
        if (inputs.length != 1) {
            throw new InvalidInputTypeException("NonSaturatingDrawsVertex expects one input, got "
                    + java.util.Arrays.toString(inputs));
        }
        return inputs[0];
    }

    @Override
    public String toString() {
        return "NonSaturatingDrawsVertex(λ=" + reversalWeight + ", w=" + drawWeight + ", ε=" + discriminatorShare
                + ")";
    }
}
