package org.polyvae.model;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runtime side of {@link GrayLevelVertex}: the arg max over the channels (or the probability-weighted mean
 * level), as a gray at the level's centre.
 */
final class GrayLevelVertexImpl extends ParameterFreeVertexImpl {
    private final int levels;
    private final boolean mean;

    GrayLevelVertexImpl(ComputationGraph graph, String name, int index, int levels, boolean mean, DataType dataType) {
        super(graph, name, index, dataType);
        this.levels = levels;
        this.mean = mean;
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray in = inputs[0];
        INDArray level = mean
                ? in.mul(Nd4j.arange(levels).castTo(in.dataType()).reshape(1, levels, 1, 1).broadcast(in.shape())).sum(1)
                : Nd4j.argMax(in, 1).castTo(in.dataType());
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, in.dataType(), in.size(0), 1,
                in.size(2), in.size(3));
        out.assign(level.addi(0.5).divi(levels).reshape(in.size(0), 1, in.size(2), in.size(3)));
        return out;
    }

    /** Sampling only: nothing trains through this vertex (the mode's derivative is zero wherever it exists). */
    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        INDArray in = inputs[0];
        return new Pair<>(null, new INDArray[] {workspaceMgr.create(ArrayType.ACTIVATION_GRAD, in.dataType(),
                in.shape())});
    }

    @Override
    public String toString() {
        return "GrayLevelVertex(name=" + vertexName + ", levels=" + levels + ")";
    }
}
