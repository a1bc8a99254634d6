package org.polyvae.model;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Runtime side of {@link ReparameterizationVertex}. The noise is drawn from the vertex's own generator,
 * seeded per step from the network's seed, epoch and iteration, so that training is repeatable: a Spark
 * worker's ND4J generator is never seeded, and other code on its thread draws from it.
 */
final class ReparameterizationVertexImpl extends ParameterFreeVertexImpl {
    /** The noise of the last training forward pass, outside any workspace so backward still sees it. */
    private INDArray eps;
    private org.nd4j.linalg.api.rng.Random random;

    ReparameterizationVertexImpl(ComputationGraph graph, String name, int index, DataType dataType) {
        super(graph, name, index, dataType);
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoForward()) {
            throw new IllegalStateException("ReparameterizationVertex " + vertexName + ": inputs not set");
        }
        INDArray in = inputs[0];
        long d = in.size(1) / 2;
        INDArray mu = in.get(NDArrayIndex.all(), NDArrayIndex.interval(0, d));
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, in.dataType(), in.size(0), d);
        if (!training) {
            eps = null;
            return out.assign(mu);
        }
        INDArray logvar = in.get(NDArrayIndex.all(), NDArrayIndex.interval(d, 2 * d));
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            eps = Nd4j.randn(Nd4j.createUninitialized(in.dataType(), in.size(0), d), noise());
        }
        try (MemoryWorkspace ignored = workspaceMgr.notifyScopeBorrowed(ArrayType.ACTIVATIONS)) {
            INDArray std = Transforms.exp(logvar.mul(0.5), false);
            return out.assign(std.muli(eps).addi(mu));
        }
    }

    /** The generator, seeded for this step: the same network at the same epoch and iteration draws the same noise. */
    private org.nd4j.linalg.api.rng.Random noise() {
        random = stepRandom(graph, 0, random);
        return random;
    }

    /**
     * {@code reuse} (or a new generator when null) seeded for the graph's current step and a stream: the same
     * network at the same epoch and iteration draws the same numbers in one stream, other numbers in another.
     */
    static org.nd4j.linalg.api.rng.Random stepRandom(ComputationGraph graph, long stream,
            org.nd4j.linalg.api.rng.Random reuse) {
        var conf = graph.getConfiguration();
        long seed = conf.getDefaultConfiguration().getSeed();
        long step = (long) conf.getEpochCount() << 32 | (conf.getIterationCount() & 0xffffffffL);
        long mixed = org.polyvae.data.Seeds.mix64(seed ^ 0x9E3779B97F4A7C15L * (step + 1));
        if (stream != 0) {
            mixed = org.polyvae.data.Seeds.mix64(mixed + stream);
        }
        if (reuse == null) {
            return Nd4j.getRandomFactory().getNewRandomInstance(mixed);
        }
        reuse.setSeed(mixed);
        return reuse;
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoBackward()) {
            throw new IllegalStateException("ReparameterizationVertex " + vertexName + ": errors not set");
        }
        if (eps == null) {
            throw new IllegalStateException("ReparameterizationVertex " + vertexName
                    + ": backward without a training forward pass (no noise kept)");
        }
        INDArray in = inputs[0];
        long d = in.size(1) / 2;
        INDArray logvar = in.get(NDArrayIndex.all(), NDArrayIndex.interval(d, 2 * d));
        INDArray grad = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, in.dataType(), in.shape());
        try (MemoryWorkspace ignored = workspaceMgr.notifyScopeBorrowed(ArrayType.ACTIVATION_GRAD)) {
            // dz/dmu = 1; dz/dlogvar = 0.5 · exp(logvar / 2) · eps.
            grad.get(NDArrayIndex.all(), NDArrayIndex.interval(0, d)).assign(epsilon);
            INDArray dLogvar = Transforms.exp(logvar.mul(0.5), false).muli(eps).muli(epsilon).muli(0.5);
            grad.get(NDArrayIndex.all(), NDArrayIndex.interval(d, 2 * d)).assign(dLogvar);
        }
        return new Pair<>(null, new INDArray[] {grad});
    }

    @Override
    public String toString() {
        return "ReparameterizationVertex(name=" + vertexName + ")";
    }
}
