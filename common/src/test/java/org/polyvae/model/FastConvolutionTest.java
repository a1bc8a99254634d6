package org.polyvae.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** FastConvolution and DepthToSpaceVertex against finite differences and against DL4J's own layers. */
class FastConvolutionTest {

    private static ComputationGraph graph(org.deeplearning4j.nn.conf.layers.Layer conv, boolean shuffle) {
        return graph(conv, shuffle, 2);
    }

    private static ComputationGraph graph(org.deeplearning4j.nn.conf.layers.Layer conv, boolean shuffle, int channels) {
        ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE)
                .seed(3).updater(new NoOp()).convolutionMode(ConvolutionMode.Same).graphBuilder().addInputs("in")
                .addLayer("c", conv, "in");
        String last = "c";
        if (shuffle) {
            b.addVertex("shuffle", new DepthToSpaceVertex(2), "c");
            last = "shuffle";
        }
        ComputationGraph g = new ComputationGraph(b.addLayer("out", new CnnLossLayer.Builder(LossFunctions.LossFunction.MSE)
                .activation(Activation.IDENTITY).build(), last).setOutputs("out")
                .setInputTypes(InputType.convolutional(6, 6, channels)).build());
        g.init();
        return g;
    }

    /** Runs a check with ND4J's default data types at double precision, restoring them afterwards. */
    private static void inDoublePrecision(Runnable check) {
        DataType before = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            check.run();
        } finally {
            Nd4j.setDefaultDataTypes(before, before);
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        inDoublePrecision(FastConvolutionTest::check);
    }

    /** The layers above have a narrow side (NarrowConvolutionBackprop); these take conv2d_bp. */
    @Test
    void gradientsOfWideLayersMatchFiniteDifferences() {
        inDoublePrecision(() -> {
            for (int stride : new int[] {1, 2}) {
                ComputationGraph g = graph(new FastConvolution(3, stride, 8, Activation.LEAKYRELU, WeightInit.XAVIER),
                        false, 8);
                INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 8, 6, 6);
                INDArray y = Nd4j.rand(DataType.DOUBLE, 2, 8, 6 / stride, 6 / stride);
                assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g)
                        .inputs(new INDArray[] {x}).labels(new INDArray[] {y})), "stride " + stride);
            }
        });
    }

    /**
     * A first layer (withoutInputGradient) gets the same parameter gradients as the full layer, by im2col and
     * matrix products instead of conv2d_bp, and hands back a zero input gradient of the input's shape.
     */
    @Test
    void aLayerWithoutInputGradientHasTheFullLayersParameterGradients() {
        inDoublePrecision(() -> {
            for (int channels : new int[] {1, 3}) {
                for (int stride : new int[] {1, 2}) {
                    String what = channels + " input channels, stride " + stride;
                    ComputationGraph full = graph(new FastConvolution(3, stride, 8, Activation.LEAKYRELU,
                            WeightInit.XAVIER), false, channels);
                    ComputationGraph first = graph(new FastConvolution(3, stride, 8, Activation.LEAKYRELU,
                            WeightInit.XAVIER).withoutInputGradient(), false, channels);
                    first.setParams(full.params());
                    INDArray x = Nd4j.rand(DataType.DOUBLE, 2, channels, 6, 6);
                    INDArray y = Nd4j.rand(DataType.DOUBLE, 2, 8, 6 / stride, 6 / stride);
                    for (ComputationGraph g : new ComputationGraph[] {full, first}) {
                        g.setInputs(x);
                        g.setLabels(y);
                        g.computeGradientAndScore();
                    }
                    INDArray expected = full.gradient().gradient();
                    INDArray actual = first.gradient().gradient();
                    assertTrue(actual.equalsWithEps(expected, 1e-10), what + ":\n" + actual + "\n" + expected);

                    org.deeplearning4j.nn.api.Layer layer = first.getLayer("c");
                    org.deeplearning4j.nn.workspace.LayerWorkspaceMgr none =
                            org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces();
                    layer.setInput(x, none);
                    layer.activate(true, none);
                    INDArray dx = layer.backpropGradient(y, none).getSecond();
                    assertArrayEquals(x.shape(), dx.shape(), what);
                    assertTrue(dx.amaxNumber().doubleValue() == 0, what + ": input gradient " + dx);
                }
            }
            ComputationGraphConfiguration conf = graph(new FastConvolution(3, 2, 8, Activation.LEAKYRELU,
                    WeightInit.XAVIER).withoutInputGradient(), false, 1).getConfiguration();
            assertTrue(ComputationGraphConfiguration.fromJson(conf.toJson()).equals(conf), "the flag survives JSON");
        });
    }

    private static void check() {
        for (int kernel : new int[] {3, 1}) {
            for (int stride : new int[] {1, 2}) {
                for (Activation act : new Activation[] {Activation.IDENTITY, Activation.TANH, Activation.LEAKYRELU}) {
                    for (boolean shuffle : new boolean[] {false, true}) {
                        ComputationGraph g = graph(new FastConvolution(kernel, stride, 4, act, WeightInit.XAVIER),
                                shuffle);
                        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 2, 6, 6);
                        long side = 6 / stride * (shuffle ? 2 : 1);
                        INDArray y = Nd4j.rand(DataType.DOUBLE, 2, shuffle ? 1 : 4, side, side);
                        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g)
                                .inputs(new INDArray[] {x}).labels(new INDArray[] {y}));
                        assertTrue(ok, kernel + "×" + kernel + ", stride " + stride + ", " + act + ", shuffle "
                                + shuffle);
                    }
                }
            }
        }
    }

    @Test
    void computesWhatDl4jsConvolutionLayerComputes() {
        ComputationGraph fast = graph(new FastConvolution(3, 2, 4, Activation.LEAKYRELU, WeightInit.RELU), false);
        ComputationGraph dl4j = graph(new ConvolutionLayer.Builder(3, 3).stride(2, 2).nOut(4)
                .activation(Activation.LEAKYRELU).build(), false);
        // DL4J keeps weights as [out, in, k, k]; FastConvolution as conv2d's [k, k, in, out].
        INDArray w = dl4j.getLayer("c").getParam("W");
        fast.getLayer("c").setParam("W", w.permute(2, 3, 1, 0).dup('c'));
        fast.getLayer("c").setParam("b", dl4j.getLayer("c").getParam("b").reshape(4));
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 2, 6, 6);
        INDArray a = fast.feedForward(new INDArray[] {x}, false).get("c");
        INDArray b = dl4j.feedForward(new INDArray[] {x}, false).get("c");
        assertArrayEquals(b.shape(), a.shape());
        assertTrue(a.equalsWithEps(b, 1e-10), "same convolution:\n" + a + "\n" + b);
    }
}
