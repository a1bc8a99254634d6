package org.polyvae.model;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The identity forward; on the way back the gradient times −weight. Placed between the decoder's image and the
 * discriminator of the adversarial term, it lets one {@code fit()} train both sides of the game: the
 * discriminator descends its cross-entropy (real → 1, decoded → 0) while the decoder, receiving the reversed
 * gradient, ascends it (Ganin &amp; Lempitsky 2015). So SparkComputationGraph's parameter averaging, which only
 * calls fit(), trains a VAE-GAN unchanged. No parameters; JSON-serialisable by class name (keep the
 * no-argument constructor and the getter/setter).
 */
public class GradientReversalVertex extends ParameterFreeVertex {
    private static final long serialVersionUID = 1L;

    private double weight = 1;

    public GradientReversalVertex() {
    }

    /** @param weight how strongly the gradient is passed back, reversed (≥ 0) */
    public GradientReversalVertex(double weight) {
        if (!(weight >= 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("gradient reversal weight must be finite and ≥ 0, got " + weight);
        }
        this.weight = weight;
    }

    public double getWeight() {
        return weight;
    }

    public void setWeight(double weight) {
        this.weight = weight;
    }

    @Override
    public GradientReversalVertex clone() {
        return new GradientReversalVertex(weight);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GradientReversalVertex v && v.weight == weight;
    }

    @Override
    public int hashCode() {
        return 31 * GradientReversalVertex.class.getName().hashCode() + Double.hashCode(weight);
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
            INDArray paramsView, boolean initializeParams, DataType networkDatatype) {
        return new GradientReversalVertexImpl(graph, name, idx, weight, networkDatatype);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... inputs) throws InvalidInputTypeException {
        if (inputs.length != 1) {
            throw new InvalidInputTypeException("GradientReversalVertex expects one input, got "
                    + java.util.Arrays.toString(inputs));
        }
        return inputs[0];
    }

    @Override
    public String toString() {
        return "GradientReversalVertex(weight=" + weight + ")";
    }
}
