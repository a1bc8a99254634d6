package org.polyvae.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/** CategoricalLossLayer computes what DL4J's CnnLossLayer with LossMCXENT and a softmax computes. */
class CategoricalLossLayerTest {
    private static final int K = 6;
    private static final int N = 3;
    private static final int SIDE = 5;

    /** input [n, 2, 5, 5] → 3×3 convolution to K logit channels → the loss layer under test. */
    private static ComputationGraph graph(Layer loss) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(42).dataType(DataType.DOUBLE)
                .graphBuilder().addInputs("x")
                .addLayer("logits", new ConvolutionLayer.Builder(3, 3).padding(1, 1).nOut(K)
                        .activation(Activation.IDENTITY).build(), "x")
                .addLayer("loss", loss, "logits").setOutputs("loss")
                .setInputTypes(InputType.convolutional(SIDE, SIDE, 2)).build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    private static ComputationGraph dl4j() {
        return graph(new CnnLossLayer.Builder(new LossMCXENT()).activation(Activation.SOFTMAX).build());
    }

    private static MultiDataSet data() {
        Nd4j.getRandom().setSeed(9);
        INDArray x = Nd4j.randn(DataType.DOUBLE, N, 2, SIDE, SIDE).muli(3);
        INDArray levels = VaeBatches.levels(Nd4j.rand(DataType.DOUBLE, N, 1, SIDE, SIDE), K);
        return new MultiDataSet(x, levels);
    }

    @Test
    void scoreGradientAndOutputAreCnnLossLayersWithMcxentAndSoftmax() {
        MultiDataSet mds = data();
        ComputationGraph ours = graph(new CategoricalLossLayer());
        ComputationGraph theirs = dl4j();
        assertEquals(theirs.params(), ours.params(), "same seed, same initial convolution");

        for (ComputationGraph g : new ComputationGraph[] {ours, theirs}) {
            g.setInputs(mds.getFeatures());
            g.setLabels(mds.getLabels());
            g.computeGradientAndScore();
        }
        assertEquals(theirs.score(), ours.score(), 1e-9 * Math.abs(theirs.score()), "training step's score");
        INDArray gradOurs = ours.gradient().gradient();
        INDArray gradTheirs = theirs.gradient().gradient();
        assertTrue(gradTheirs.norm2Number().doubleValue() > 1, "a gradient to compare");
        assertEquals(0, gradOurs.sub(gradTheirs).norm2Number().doubleValue(),
                1e-9 * gradTheirs.norm2Number().doubleValue(), "training step's gradient");

        assertEquals(theirs.score(mds), ours.score(mds), 1e-9 * Math.abs(theirs.score()), "score outside training");
        INDArray perExample = ours.scoreExamples(mds, false);
        assertEquals(N, perExample.length());
        assertEquals(0, perExample.sub(theirs.scoreExamples(mds, false)).norm2Number().doubleValue(), 1e-9);
        assertEquals(ours.score(mds) * N, perExample.sumNumber().doubleValue(), 1e-9 * Math.abs(ours.score(mds) * N));
        INDArray p = ours.outputSingle(mds.getFeatures(0));
        assertEquals(0, p.sub(theirs.outputSingle(mds.getFeatures(0))).norm2Number().doubleValue(), 1e-12);
        assertEquals(1.0, p.sum(1).minNumber().doubleValue(), 1e-12);

        // After a step of each, they stay together: the cached sums belong to the step that made them.
        ours.fit(mds);
        theirs.fit(mds);
        assertEquals(theirs.score(mds), ours.score(mds), 1e-9 * Math.abs(theirs.score(mds)));
    }

    /**
     * logits → the loss under test, and logits → expected gray → a squared-error output: the categorical layer takes
     * the expected gray's softmax of the same logits instead of computing its own, and must train as DL4J's does.
     */
    private static ComputationGraph withExpectedGray(Layer loss) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(42).dataType(DataType.DOUBLE)
                .graphBuilder().addInputs("x")
                .addLayer("logits", new ConvolutionLayer.Builder(3, 3).padding(1, 1).nOut(K)
                        .activation(Activation.IDENTITY).build(), "x")
                .addLayer("loss", loss, "logits")
                .addVertex("gray", new ExpectedGrayVertex(K), "logits")
                .addLayer("gray-loss", new CnnLossLayer.Builder(new LossMSE()).activation(Activation.IDENTITY).build(),
                        "gray")
                .setOutputs("loss", "gray-loss")
                .setInputTypes(InputType.convolutional(SIDE, SIDE, 2)).build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    @Test
    void takesTheExpectedGraysSoftmaxOfTheSameLogitsAndTrainsAsDl4jDoes() {
        MultiDataSet one = data();
        INDArray gray = Nd4j.rand(DataType.DOUBLE, N, 1, SIDE, SIDE);
        MultiDataSet mds = new MultiDataSet(one.getFeatures(), new INDArray[] {one.getLabels(0), gray});
        ComputationGraph ours = withExpectedGray(new CategoricalLossLayer());
        ComputationGraph theirs = withExpectedGray(
                new CnnLossLayer.Builder(new LossMCXENT()).activation(Activation.SOFTMAX).build());
        assertEquals(theirs.params(), ours.params(), "same seed, same initial convolution");

        theirs.setInputs(mds.getFeatures());
        theirs.setLabels(mds.getLabels());
        theirs.computeGradientAndScore();
        assertNotNull(ChannelSoftmax.remembered(), "the expected gray remembers its softmax in a training pass");
        ours.setInputs(mds.getFeatures());
        ours.setLabels(mds.getLabels());
        ours.computeGradientAndScore();
        assertNull(ChannelSoftmax.remembered(), "the categorical layer took the expected gray's softmax");

        assertEquals(theirs.score(), ours.score(), 1e-9 * Math.abs(theirs.score()), "training step's score");
        INDArray gradTheirs = theirs.gradient().gradient();
        assertTrue(gradTheirs.norm2Number().doubleValue() > 1, "a gradient to compare");
        assertEquals(0, ours.gradient().gradient().sub(gradTheirs).norm2Number().doubleValue(),
                1e-9 * gradTheirs.norm2Number().doubleValue(), "training step's gradient");
        for (int i = 0; i < 3; i++) {
            ours.fit(mds);
            theirs.fit(mds);
        }
        assertEquals(0, ours.params().sub(theirs.params()).norm2Number().doubleValue(),
                1e-9 * theirs.params().norm2Number().doubleValue(), "parameters after three steps");
    }

    @Test
    void recallsARememberedSoftmaxOnlyForTheVeryLogitsItWasTakenOf() {
        INDArray logits = Nd4j.randn(DataType.DOUBLE, N, K, SIDE, SIDE);
        INDArray p = Nd4j.createUninitialized(DataType.DOUBLE, logits.shape());
        INDArray lse = ChannelSoftmax.into(logits, p);
        ChannelSoftmax.remember(logits, p, lse);
        assertNull(ChannelSoftmax.recall(logits.dup()), "equal values in another array");
        assertSame(p, ChannelSoftmax.recall(logits).p());
        assertNull(ChannelSoftmax.recall(logits), "recalled once");
    }

    @Test
    void survivesJsonAsItsOwnClassAndRefusesLabelsOfAnotherShape() {
        ComputationGraph ours = graph(new CategoricalLossLayer());
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(ours.getConfiguration().toJson());
        assertInstanceOf(CategoricalLossLayer.class,
                ((org.deeplearning4j.nn.conf.graph.LayerVertex) back.getVertices().get("loss")).getLayerConf()
                        .getLayer());
        MultiDataSet wrong = new MultiDataSet(data().getFeatures(0), Nd4j.zeros(DataType.DOUBLE, N, K + 1, SIDE, SIDE));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ours.score(wrong));
        assertTrue(e.getMessage().contains("do not match the logits"), e.getMessage());
    }
}
