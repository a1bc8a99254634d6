package org.polyvae.model;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Codes drawn for the adversarial term's prior branch ({@code polyvae.model.adversarial-prior-draws}), one per row
 * of its input, the code's posterior [mu | logvar] (2·d columns), and, when conditional, the class one-hot:
 * <ul>
 *   <li>standard: N(0, I), ignoring the input's values;</li>
 *   <li>class-gaussian: per class among the rows (all rows when there is no class input), the Gaussian of their
 *       codes, m + Σ_j w_j (mu_j − m) / √k + σ̄ ⊙ ε over the class's k rows, m their mean, w and ε standard
 *       normal, σ̄² their mean posterior variance: covariance the rows' covariance of mu plus their mean
 *       posterior noise, as the learned prior fits it to the whole training set.</li>
 * </ul>
 * Fresh draws every training step, seeded like {@link ReparameterizationVertex}'s but from another stream; zeros at
 * inference. No gradient flows back: the draws train the decoder only. No parameters; JSON-serialisable.
 */
public class PriorDrawVertex extends ParameterFreeVertex {
    private static final long serialVersionUID = 1L;
    /** Draw from each class's Gaussian (true) or from N(0, I) (false). */
    private boolean classGaussian;
    private int inputs = 1;

    public PriorDrawVertex() {
    }

    /**
     * @param classGaussian from each class's Gaussian among the rows rather than N(0, I)
     * @param conditional   a second input holds the rows' class one-hot
     */
    public PriorDrawVertex(boolean classGaussian, boolean conditional) {
        this.classGaussian = classGaussian;
        this.inputs = conditional ? 2 : 1;
    }

    public boolean isClassGaussian() {
        return classGaussian;
    }

    public void setClassGaussian(boolean classGaussian) {
        this.classGaussian = classGaussian;
    }

    public int getInputs() {
        return inputs;
    }

    public void setInputs(int inputs) {
        this.inputs = inputs;
    }

    @Override
    protected int inputCount() {
        return inputs;
    }

    @Override
    public PriorDrawVertex clone() {
        return new PriorDrawVertex(classGaussian, inputs == 2);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PriorDrawVertex p && p.classGaussian == classGaussian && p.inputs == inputs;
    }

    @Override
    public int hashCode() {
        return (PriorDrawVertex.class.getName().hashCode() * 31 + Boolean.hashCode(classGaussian)) * 31 + inputs;
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
            INDArray paramsView, boolean initializeParams, DataType networkDatatype) {
        return new PriorDrawVertexImpl(graph, name, idx, networkDatatype, classGaussian);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... in) throws InvalidInputTypeException {
        if (in.length != inputs || in[0].getType() != InputType.Type.FF
                || ((InputType.InputTypeFeedForward) in[0]).getSize() % 2 != 0) {
            throw new InvalidInputTypeException("PriorDrawVertex expects the posterior [mu | logvar] (feed-forward, "
                    + "even width)" + (inputs == 2 ? " and the class one-hot" : "") + ", got "
                    + java.util.Arrays.toString(in));
        }
        return InputType.feedForward(((InputType.InputTypeFeedForward) in[0]).getSize() / 2);
    }

    @Override
    public String toString() {
        return "PriorDrawVertex(classGaussian=" + classGaussian + ", inputs=" + inputs + ")";
    }
}
