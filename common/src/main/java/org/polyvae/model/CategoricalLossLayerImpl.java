package org.polyvae.model;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.CnnLossLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce3.Dot;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runtime side of {@link CategoricalLossLayer}. With y the one-hot labels and lse the per-pixel log-sum-exp of
 * the logits l, the summed cross-entropy is −Σ y·log p = Σ_pixels lse·Σ_k y_k − Σ y·l, and its gradient is
 * p − y. A training step calls {@link #backpropGradient} and then {@link #computeScore} on the same input and
 * labels: the backward pass computes the softmax once and the score's two sums beside it, and the score call
 * takes them. With the adversarial term the expected gray has taken that softmax in the forward pass already,
 * and the backward pass takes it from there ({@link ChannelSoftmax#recall}). Unlike {@code LossMCXENT} the
 * score does not clip p at 10⁻¹⁰: the log-softmax is exact, which differs only where a label's probability is
 * below that (a loss above 23 for that pixel). Takes no masks: the VAE is trained without them.
 */
final class CategoricalLossLayerImpl extends CnnLossLayer {
    /** The summed cross-entropy of the last backward pass, and the input and labels it belongs to. */
    private double cachedSum;
    private INDArray cachedInput;
    private INDArray cachedLabels;

    CategoricalLossLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        checkInputAndLabels();
        INDArray grad = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape(),
                'c');
        ChannelSoftmax.Taken taken = ChannelSoftmax.recall(input);
        INDArray lse;
        INDArray p;
        if (taken != null) {
            lse = taken.logSumExp();
            p = taken.p();
        } else {
            lse = ChannelSoftmax.into(input, grad);
            p = grad;
        }
        cachedSum = gradient(p, labels, input, lse, grad);
        cachedInput = input;
        cachedLabels = labels;
        return new Pair<>(new DefaultGradient(), grad);
    }

    @Override
    public double computeScore(double fullNetRegTerm, boolean training, LayerWorkspaceMgr workspaceMgr) {
        checkInputAndLabels();
        double sum;
        if (cachedInput == input && cachedLabels == labels) {
            sum = cachedSum;
        } else {
            sum = summedCrossEntropy(labels, input, ChannelSoftmax.into(input, Nd4j.createUninitialized(
                    input.dataType(), input.shape())));
        }
        cachedInput = null;
        cachedLabels = null;
        score = sum / getInputMiniBatchSize() + fullNetRegTerm;
        return score;
    }

    @Override
    public INDArray computeScoreForExamples(double fullNetRegTerm, LayerWorkspaceMgr workspaceMgr) {
        checkInputAndLabels();
        INDArray lse = ChannelSoftmax.into(input, Nd4j.createUninitialized(input.dataType(), input.shape()));
        long n = input.size(0);
        INDArray perExample = lse.mul(labelsPerPixel(labels)).sum(1, 2, 3)
                .subi(labels.mul(input).sum(1, 2, 3));
        if (fullNetRegTerm != 0) {
            perExample.addi(fullNetRegTerm);
        }
        return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, perExample.reshape(n, 1));
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        checkRank();
        INDArray p = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, input.dataType(), input.shape(), 'c');
        ChannelSoftmax.into(input, p);
        return p;
    }

    /**
     * p − y into {@code grad} (which may be p itself), for probabilities p, one-hot labels y and the logits l
     * [n, K, h, w] and their per-pixel log-sum-exp [n, 1, h, w]; returns −Σ y·log p summed over the minibatch.
     */
    static double gradient(INDArray p, INDArray labels, INDArray logits, INDArray lse, INDArray grad) {
        if (ChannelSoftmax.vectorised(p, labels, logits, lse, grad)) {
            return VectorChannelKernels.crossEntropyGradient(p, labels, logits, lse, grad);
        }
        return nd4jGradient(p, labels, logits, lse, grad);
    }

    /** {@link #gradient} with ND4J's ops. */
    static double nd4jGradient(INDArray p, INDArray labels, INDArray logits, INDArray lse, INDArray grad) {
        Nd4j.exec(new SubOp(new INDArray[] {p, labels}, new INDArray[] {grad}));
        return summedCrossEntropy(labels, logits, lse);
    }

    /** −Σ y·log p summed over the minibatch, from the per-pixel log-sum-exp [n, 1, h, w]. */
    private static double summedCrossEntropy(INDArray labels, INDArray logits, INDArray lse) {
        double labelled = Nd4j.getExecutioner().exec(new Dot(lse, labelsPerPixel(labels))).getDouble(0);
        return labelled - Nd4j.getExecutioner().exec(new Dot(labels, logits)).getDouble(0);
    }

    /**
     * Σ_k y_k per pixel, [n, 1, h, w] ({@link ChannelSoftmax#channelSum}). For one-hot labels every sum is exact,
     * so the same as ND4J's reduction along axis 1 to the last bit.
     */
    private static INDArray labelsPerPixel(INDArray labels) {
        return ChannelSoftmax.channelSum(labels);
    }

    private void checkInputAndLabels() {
        checkRank();
        if (labels == null) {
            throw new IllegalStateException("layer " + layerId() + ": labels are not set");
        }
        if (!input.equalShapes(labels)) {
            throw new IllegalStateException("layer " + layerId() + ": the one-hot levels " + Arrays.toString(
                    labels.shape()) + " do not match the logits " + Arrays.toString(input.shape()));
        }
        if (maskArray != null) {
            throw new UnsupportedOperationException("layer " + layerId() + " takes no mask: the VAE is trained "
                    + "without them");
        }
    }

    private void checkRank() {
        if (input.rank() != 4) {
            throw new IllegalStateException("layer " + layerId() + " expects [n, levels, h, w] logits, got shape "
                    + Arrays.toString(input.shape()));
        }
    }
}
