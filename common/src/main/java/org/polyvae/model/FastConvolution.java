package org.polyvae.model;

import java.util.Map;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;

/**
 * A 2-D convolution (NCHW, "same" padding) computed by ND4J's conv2d / conv2d_bp ops, which run on oneDNN
 * in the nd4j-native onednn build. DL4J M2's own ConvolutionLayer lowers every convolution to an im2col
 * op plus gemm in Java, and that im2col dominates training time on CPU (bench/train.sh); this layer is
 * the same mathematics without it. Weights [k, k, in, out] (conv2d's layout), bias [out]. Configured as
 * a SameDiff layer for DL4J's parameter initialisation and JSON, but executed by {@link FastConvolutionImpl}.
 */
public class FastConvolution extends SameDiffLayer {
    private static final long serialVersionUID = 1L;

    private int kernel = 3;
    private int stride = 1;
    private long nIn;
    private long nOut;
    private Activation activation = Activation.IDENTITY;
    private double biasInit;
    private boolean inputGradient = true;

    public FastConvolution() {
    }

    public FastConvolution(int kernel, int stride, long nOut, Activation activation, WeightInit weightInit) {
        if (kernel < 1 || stride < 1 || nOut < 1) {
            throw new IllegalArgumentException("convolution needs kernel, stride and channels ≥ 1, got kernel "
                    + kernel + ", stride " + stride + ", channels " + nOut);
        }
        this.kernel = kernel;
        this.stride = stride;
        this.nOut = nOut;
        this.activation = activation;
        this.weightInit = weightInit;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        if (!(inputType instanceof InputType.InputTypeConvolutional in)) {
            throw new IllegalStateException("FastConvolution " + getLayerName() + " expects a convolutional input, got "
                    + inputType);
        }
        return InputType.convolutional(ceilDiv(in.getHeight(), stride), ceilDiv(in.getWidth(), stride), nOut);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        if (nIn <= 0 || override) {
            nIn = ((InputType.InputTypeConvolutional) inputType).getChannels();
        }
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        params.clear();
        params.addWeightParam("W", kernel, kernel, nIn, nOut);
        params.addBiasParam("b", nOut);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        initWeights((int) (nIn * kernel * kernel), (int) (nOut * kernel * kernel), weightInit, params.get("W"));
        params.get("b").assign(biasInit);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(org.deeplearning4j.nn.conf.NeuralNetConfiguration conf,
            java.util.Collection<org.deeplearning4j.optimize.api.TrainingListener> listeners, int layerIndex,
            INDArray paramsView, boolean initializeParams, org.nd4j.linalg.api.buffer.DataType dataType) {
        FastConvolutionImpl layer = new FastConvolutionImpl(conf, dataType);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(paramsView);
        java.util.Map<String, INDArray> table = initializer().init(conf, paramsView, initializeParams);
        layer.setParamTable(table);
        layer.setConf(conf);
        return layer;
    }

    /** Only for DL4J's SameDiff bookkeeping: {@link FastConvolutionImpl} runs the ops directly. */
    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> params, SDVariable mask) {
        Conv2DConfig c = Conv2DConfig.builder().kH(kernel).kW(kernel).sH(stride).sW(stride)
                .paddingMode(PaddingMode.SAME).dataFormat("NCHW").build();
        SDVariable z = sd.cnn().conv2d(input, params.get("W"), params.get("b"), c);
        return activation == Activation.IDENTITY ? z : activation.asSameDiff(sd, z);
    }

    public int getKernel() {
        return kernel;
    }

    public void setKernel(int kernel) {
        this.kernel = kernel;
    }

    public int getStride() {
        return stride;
    }

    public void setStride(int stride) {
        this.stride = stride;
    }

    public long getNIn() {
        return nIn;
    }

    public void setNIn(long nIn) {
        this.nIn = nIn;
    }

    public long getNOut() {
        return nOut;
    }

    public void setNOut(long nOut) {
        this.nOut = nOut;
    }

    public double getBiasInit() {
        return biasInit;
    }

    /** Initial value of every bias (0 unless set). */
    public FastConvolution withBiasInit(double value) {
        this.biasInit = value;
        return this;
    }

    public void setBiasInit(double biasInit) {
        this.biasInit = biasInit;
    }

    public boolean isInputGradient() {
        return inputGradient;
    }

    public void setInputGradient(boolean inputGradient) {
        this.inputGradient = inputGradient;
    }

    /**
     * For a layer that reads a network input (an image): its backward pass computes only the gradients of its
     * own parameters and returns zeros for its input's, since nothing upstream has parameters.
     */
    public FastConvolution withoutInputGradient() {
        this.inputGradient = false;
        return this;
    }

    public Activation getActivation() {
        return activation;
    }

    public void setActivation(Activation activation) {
        this.activation = activation;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FastConvolution f && super.equals(o) && f.kernel == kernel && f.stride == stride
                && f.nIn == nIn && f.nOut == nOut && f.activation == activation
                && Double.compare(f.biasInit, biasInit) == 0 && f.inputGradient == inputGradient;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(super.hashCode(), kernel, stride, nIn, nOut, activation, biasInit, inputGradient);
    }
}
