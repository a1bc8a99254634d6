package org.polyvae.model;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The negative log-likelihood of a D-dimensional target under a mixture of K Gaussians with diagonal
 * covariance whose parameters the network predicts per row (a mixture density network, Bishop 1994). Each
 * row of the output is [a_1..a_K | m_11..m_KD | s_11..s_KD]: mixture logits, means and log-standard
 * deviations, component-major; the label row is the target y (D values):
 * −log Σ_k softmax(a)_k · Π_d N(y_d; m_kd, e^(2 s_kd)), by log-sum-exp. The log-standard deviations are
 * clamped to [{@value #MIN_LOG_SIGMA}, {@value #MAX_LOG_SIGMA}] (the clamp passes no gradient), so one
 * component cannot collapse onto one training value. DL4J's own {@code LossMixtureDensity} shares one
 * σ over the target's dimensions and multiplies densities without log-sum-exp, which underflows.
 * JSON-serialisable by DL4J by class name: keep the no-argument constructor and the components
 * getter/setter.
 */
public class MixtureDensityLoss extends SummedRowLoss {
    private static final long serialVersionUID = 1L;
    static final double MIN_LOG_SIGMA = -7;
    static final double MAX_LOG_SIGMA = 3;
    private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

    private int components = 1;

    public MixtureDensityLoss() {
    }

    public MixtureDensityLoss(int components) {
        if (components < 1) {
            throw new IllegalArgumentException("a mixture needs at least one component, got " + components);
        }
        this.components = components;
    }

    public int getComponents() {
        return components;
    }

    public void setComponents(int components) {
        this.components = components;
    }

    /** Outputs per row for a D-dimensional target: K logits, K·D means, K·D log-standard deviations. */
    public static int outputs(int components, int dimensions) {
        return components * (1 + 2 * dimensions);
    }

    /** The target's dimension D that an output row of {@code width} values carries. */
    private int dimensions(long width) {
        if (width % components != 0 || (width / components - 1) % 2 != 0 || width / components < 3) {
            throw new IllegalArgumentException("a mixture of " + components + " components needs K·(1 + 2·D) outputs "
                    + "per row, got " + width);
        }
        return (int) ((width / components - 1) / 2);
    }

    static double clampedLogSigma(double s) {
        return Math.min(MAX_LOG_SIGMA, Math.max(MIN_LOG_SIGMA, s));
    }

    /** log Σ_k exp(a_k) of the K logits at {@code out[base..base + K)}: log π_k = a_k minus this. */
    static double logNormaliser(double[] out, int base, int k) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            max = Math.max(max, out[base + c]);
        }
        double sum = 0;
        for (int c = 0; c < k; c++) {
            sum += Math.exp(out[base + c] - max);
        }
        return max + Math.log(sum);
    }

    /**
     * Per row, the log of the joint density of each component's weight and the target, log π_k + log N_k(y),
     * into {@code joint} (K values); returns their log-sum-exp, the row's log-likelihood.
     */
    static double logJoint(double[] out, int row, double[] y, int k, int d, double[] joint) {
        int base = row * k * (1 + 2 * d);
        double logNorm = logNormaliser(out, base, k);
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            double l = out[base + c] - logNorm;
            for (int j = 0; j < d; j++) {
                double m = out[base + k + c * d + j];
                double s = clampedLogSigma(out[base + k + k * d + c * d + j]);
                double u = (y[j] - m) * Math.exp(-s);
                l -= 0.5 * u * u + s + HALF_LOG_TWO_PI;
            }
            joint[c] = l;
            max = Math.max(max, l);
        }
        double sum = 0;
        for (int c = 0; c < k; c++) {
            sum += Math.exp(joint[c] - max);
        }
        return max + Math.log(sum);
    }

    /** The activated outputs and the labels of a minibatch, as row-major doubles. */
    private record Rows(int n, int d, double[] out, double[] labels) {
    }

    private Rows rows(INDArray labels, INDArray preOutput, IActivation activationFn) {
        INDArray output = activationFn.getActivation(preOutput.dup(), true);
        int n = (int) output.size(0);
        int d = dimensions(output.size(1));
        checkLabels(labels, n, d);
        return new Rows(n, d, output.castTo(DataType.DOUBLE).dup('c').data().asDouble(),
                labels.castTo(DataType.DOUBLE).dup('c').data().asDouble());
    }

    private static double[] target(double[] labels, int row, int d) {
        double[] y = new double[d];
        System.arraycopy(labels, row * d, y, 0, d);
        return y;
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        Rows b = rows(labels, preOutput, activationFn);
        double[] joint = new double[components];
        double[] score = new double[b.n()];
        for (int i = 0; i < b.n(); i++) {
            score[i] = -logJoint(b.out(), i, target(b.labels(), i, b.d()), components, b.d(), joint);
        }
        return masked(Nd4j.create(score, new long[] {b.n(), 1}, DataType.DOUBLE).castTo(preOutput.dataType()), mask);
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        Rows b = rows(labels, preOutput, activationFn);
        int n = b.n();
        int d = b.d();
        double[] out = b.out();
        int k = components;
        int width = k * (1 + 2 * d);
        double[] grad = new double[out.length];
        double[] joint = new double[k];
        for (int i = 0; i < n; i++) {
            double[] y = target(b.labels(), i, d);
            double total = logJoint(out, i, y, k, d, joint);
            int base = i * width;
            double logNorm = logNormaliser(out, base, k);
            for (int c = 0; c < k; c++) {
                // The component's responsibility r_k and weight π_k: d/da_k = π_k − r_k.
                double r = Math.exp(joint[c] - total);
                grad[base + c] = Math.exp(out[base + c] - logNorm) - r;
                for (int j = 0; j < d; j++) {
                    int mi = base + k + c * d + j;
                    int si = base + k + k * d + c * d + j;
                    double rawS = out[si];
                    double s = clampedLogSigma(rawS);
                    double inv = Math.exp(-2 * s);
                    double u = y[j] - out[mi];
                    // d/dm = −r·u/σ²; d/ds = −r·(u²/σ² − 1), zero where s is clamped.
                    grad[mi] = -r * u * inv;
                    grad[si] = rawS > MIN_LOG_SIGMA && rawS < MAX_LOG_SIGMA ? -r * (u * u * inv - 1) : 0;
                }
            }
        }
        INDArray dOut = Nd4j.create(grad, new long[] {n, width}, DataType.DOUBLE).castTo(preOutput.dataType());
        return masked(activationFn.backprop(preOutput.dup(), dOut).getFirst(), mask);
    }

    private static void checkLabels(INDArray labels, int n, int d) {
        if (labels.size(0) != n || labels.size(1) != d) {
            throw new IllegalArgumentException("the mixture's targets must be [" + n + ", " + d + "], got "
                    + java.util.Arrays.toString(labels.shape()));
        }
    }

    @Override
    public String name() {
        return "MixtureDensityLoss";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MixtureDensityLoss m && m.components == components;
    }

    @Override
    public int hashCode() {
        return 31 * MixtureDensityLoss.class.hashCode() + components;
    }

    @Override
    public String toString() {
        return name() + "(" + components + ")";
    }
}
