package org.polyvae.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/**
 * {@link NonSaturatingDrawsVertex}: [a | b] → [a | b | b]; backward −λ·g_a, nothing of the first copy of b, (w / ε)
 * times the second copy's gradient; it survives the configuration's JSON, and rejects weights it cannot use.
 */
class NonSaturatingDrawsVertexTest {
    private static final double LAMBDA = 2.5;
    private static final double W = 0.7;
    private static final double EPS = 0.05;

    @Test
    void copiesTheDrawsAndGatesEachCopysGradient() {
        NonSaturatingDrawsVertex conf = new NonSaturatingDrawsVertex(LAMBDA, W, EPS);
        ComputationGraphConfiguration graph = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE)
                .graphBuilder().addInputs("in").addVertex("gate", conf, "in")
                .addLayer("out", new LossLayer.Builder(new LossMSE()).activation(Activation.IDENTITY).build(), "gate")
                .setOutputs("out").setInputTypes(InputType.feedForward(3)).build();
        assertEquals(graph, ComputationGraphConfiguration.fromJson(graph.toJson()));
        ComputationGraph g = new ComputationGraph(graph);
        g.init();
        GraphVertex vertex = conf.instantiate(g, "gate", 0, null, false, DataType.DOUBLE);
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        int n = 2;
        INDArray in = Nd4j.rand(DataType.DOUBLE, 2 * n, 3);
        vertex.setInputs(in);
        INDArray out = vertex.doForward(true, mgr);
        assertEquals(3L * n, out.size(0));
        assertEquals(in, out.get(NDArrayIndex.interval(0, 2 * n), NDArrayIndex.all()));
        assertEquals(in.get(NDArrayIndex.interval(n, 2 * n), NDArrayIndex.all()),
                out.get(NDArrayIndex.interval(2 * n, 3 * n), NDArrayIndex.all()));

        INDArray upstream = Nd4j.rand(DataType.DOUBLE, 3 * n, 3);
        vertex.setEpsilon(upstream);
        INDArray actual = vertex.doBackward(false, mgr).getSecond()[0];
        INDArray expected = Nd4j.zeros(DataType.DOUBLE, 2 * n, 3);
        expected.get(NDArrayIndex.interval(0, n), NDArrayIndex.all())
                .assign(upstream.get(NDArrayIndex.interval(0, n), NDArrayIndex.all()).mul(-LAMBDA));
        expected.get(NDArrayIndex.interval(n, 2 * n), NDArrayIndex.all())
                .assign(upstream.get(NDArrayIndex.interval(2 * n, 3 * n), NDArrayIndex.all()).mul(W / EPS));
        assertTrue(expected.equalsWithEps(actual, 1e-12), "expected " + expected + " got " + actual);

        vertex.setInputs(Nd4j.rand(DataType.DOUBLE, 3, 3));
        assertThrows(IllegalStateException.class, () -> vertex.doForward(true, mgr), "an odd number of rows");
    }

    @Test
    void rejectsWeightsItCannotUse() {
        assertThrows(IllegalArgumentException.class, () -> new NonSaturatingDrawsVertex(-1, W, EPS));
        assertThrows(IllegalArgumentException.class, () -> new NonSaturatingDrawsVertex(LAMBDA, Double.NaN, EPS));
        assertThrows(IllegalArgumentException.class, () -> new NonSaturatingDrawsVertex(LAMBDA, W, 0));
        assertThrows(IllegalArgumentException.class, () -> new NonSaturatingDrawsVertex(LAMBDA, W, 1.5));
    }
}
