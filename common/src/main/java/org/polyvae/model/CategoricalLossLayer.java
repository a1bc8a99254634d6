package org.polyvae.model;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * The categorical likelihood's output layer: a softmax over the K gray levels (the channels) of every pixel of
 * an NCHW map and the cross-entropy against the one-hot levels of {@link VaeBatches#levels}. It is a
 * {@code CnnLossLayer} with {@code LossMCXENT} and a softmax, and computes what that layer computes (the same
 * score per minibatch and per example, the same softmax − label gradient, the same output), but on the map as
 * it is: DL4J's layer permutes the [n, K, h, w] logits into [n·h·w, K] rows and back, and runs the softmax
 * anew in every one of its calls. Here one softmax per training step serves both the gradient and the score
 * (see {@link CategoricalLossLayerImpl}). Being a {@code CnnLossLayer}, it exports to ONNX as one (a softmax
 * over the channels), and models saved with DL4J's own layer keep loading and running as they were.
 * JSON-serialisable by class name (keep the no-argument constructor).
 */
public class CategoricalLossLayer extends CnnLossLayer {
    private static final long serialVersionUID = 1L;

    public CategoricalLossLayer() {
        setLossFn(new LossMCXENT());
        setActivationFn(new ActivationSoftmax());
        setFormat(CNN2DFormat.NCHW);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int index,
            INDArray params, boolean initializeParams, DataType dataType) {
        CategoricalLossLayerImpl layer = new CategoricalLossLayerImpl(conf, dataType);
        layer.setListeners(listeners);
        layer.setIndex(index);
        layer.setParamsViewArray(params);
        layer.setParamTable(initializer().init(conf, params, initializeParams));
        layer.setConf(conf);
        return layer;
    }
}
