package org.polyvae.model;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Runtime side of {@link GradientReversalVertex}: a copy forward, −weight × the gradient backward. */
final class GradientReversalVertexImpl extends ParameterFreeVertexImpl {
    private final double weight;

    GradientReversalVertexImpl(ComputationGraph graph, String name, int index, double weight, DataType dataType) {
        super(graph, name, index, dataType);
        this.weight = weight;
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        return workspaceMgr.dup(ArrayType.ACTIVATIONS, inputs[0]);
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        INDArray grad = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, epsilon.dataType(),
                epsilon.shape());
        grad.assign(epsilon).muli(-weight);
        return new Pair<>(null, new INDArray[] {grad});
    }

    @Override
    public String toString() {
        return "GradientReversalVertex(name=" + vertexName + ", weight=" + weight + ")";
    }
}
