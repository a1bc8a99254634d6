package org.polyvae.model;

import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The reviewer's judge: a CNN trained on real images with two heads, the window class (softmax over the
 * classes) and E11 (regression on a standardised target). Its penultimate layer, {@link #FEATURES}, is the
 * feature space of the Fréchet distance between generated and real images.
 * <pre>
 *   image ─ conv-0 … conv-(L-1) (3×3, stride 2, FastConvolution) ─ pool (global average) ─ features (dense)
 *   features ─ class (softmax, cross-entropy)      features ─ e11 (identity, squared error)
 * </pre>
 * Global average pooling makes the class decision rest on statistics over the whole window (grain size and
 * count), not on where grains happen to sit.
 */
public final class JudgeArchitecture {
    public static final String INPUT = "image";
    public static final String FEATURES = "features";
    public static final String CLASS = "class";
    public static final String E11 = "e11";

    private JudgeArchitecture() {
    }

    /**
     * @param resolution image side in pixels
     * @param channels channels of the stride-2 convolutions, one per level
     * @param featureWidth width of the penultimate (feature) layer
     * @param classes number of window classes
     */
    public static ComputationGraphConfiguration cnn(int resolution, List<Integer> channels, int featureWidth,
            int classes, double learningRate, long seed) {
        if (channels.isEmpty() || resolution % (1 << channels.size()) != 0) {
            throw new IllegalArgumentException("resolution " + resolution + " must be a multiple of 2^"
                    + channels.size() + " (one stride-2 convolution per channel entry " + channels + ")");
        }
        GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Adam(learningRate))
                .weightInit(WeightInit.RELU)
                .activation(Activation.LEAKYRELU)
                .convolutionMode(ConvolutionMode.Same)
                .graphBuilder()
                .addInputs(INPUT);
        String prev = INPUT;
        for (int i = 0; i < channels.size(); i++) {
            FastConvolution conv = new FastConvolution(3, 2, channels.get(i), Activation.LEAKYRELU, WeightInit.RELU);
            g.addLayer("conv-" + i, i == 0 ? conv.withoutInputGradient() : conv, prev); // conv-0 reads the image
            prev = "conv-" + i;
        }
        g.addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), prev);
        g.addLayer(FEATURES, new DenseLayer.Builder().nOut(featureWidth).build(), "pool");
        g.addLayer(CLASS, new OutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX)
                .weightInit(WeightInit.XAVIER).nOut(classes).build(), FEATURES);
        g.addLayer(E11, new OutputLayer.Builder(LossFunction.MSE).activation(Activation.IDENTITY)
                .weightInit(WeightInit.XAVIER).nOut(1).build(), FEATURES);
        return g.setOutputs(CLASS, E11)
                .setInputTypes(InputType.convolutional(resolution, resolution, 1))
                .build();
    }
}
