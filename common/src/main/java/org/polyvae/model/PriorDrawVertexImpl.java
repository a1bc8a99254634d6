package org.polyvae.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Runtime side of {@link PriorDrawVertex}. */
final class PriorDrawVertexImpl extends ParameterFreeVertexImpl {
    /** The noise stream of {@link ReparameterizationVertexImpl#stepRandom}: not the posterior noise's (0). */
    private static final long STREAM = 0x5052494F52L; // "PRIOR"
    private final boolean classGaussian;
    private org.nd4j.linalg.api.rng.Random random;

    PriorDrawVertexImpl(ComputationGraph graph, String name, int index, DataType dataType, boolean classGaussian) {
        super(graph, name, index, dataType);
        this.classGaussian = classGaussian;
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoForward()) {
            throw new IllegalStateException("PriorDrawVertex " + vertexName + ": inputs not set");
        }
        INDArray posterior = inputs[0];
        long n = posterior.size(0);
        long d = posterior.size(1) / 2;
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, posterior.dataType(), n, d);
        if (!training) {
            return out.assign(0);
        }
        random = ReparameterizationVertexImpl.stepRandom(graph, STREAM, random);
        Nd4j.randn(out, random);
        if (!classGaussian) {
            return out;
        }
        INDArray mu = posterior.get(NDArrayIndex.all(), NDArrayIndex.interval(0, d));
        INDArray logvar = posterior.get(NDArrayIndex.all(), NDArrayIndex.interval(d, 2 * d));
        for (int[] rows : classRows((int) n)) {
            INDArray m = mu.getRows(rows);
            INDArray mean = m.mean(true, 0);
            INDArray deviations = m.subRowVector(mean);
            INDArray noiseSd = Transforms.sqrt(Transforms.exp(logvar.getRows(rows), false).mean(true, 0), false);
            INDArray eps = out.getRows(rows);
            INDArray w = Nd4j.randn(Nd4j.createUninitialized(posterior.dataType(), rows.length, rows.length), random)
                    .divi(Math.sqrt(rows.length));
            INDArray draws = w.mmul(deviations).addiRowVector(mean).addi(eps.muliRowVector(noiseSd));
            for (int i = 0; i < rows.length; i++) {
                out.putRow(rows[i], draws.getRow(i));
            }
        }
        return out;
    }

    /** The row indices of each class among the rows (all rows as one group without a class input). */
    private List<int[]> classRows(int n) {
        if (inputs.length < 2) {
            return List.of(java.util.stream.IntStream.range(0, n).toArray());
        }
        int[] classes = inputs[1].argMax(1).toIntVector();
        Map<Integer, List<Integer>> byClass = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            byClass.computeIfAbsent(classes[i], k -> new ArrayList<>()).add(i);
        }
        List<int[]> out = new ArrayList<>();
        for (List<Integer> rows : byClass.values()) {
            out.add(rows.stream().mapToInt(Integer::intValue).toArray());
        }
        return out;
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        INDArray[] grads = new INDArray[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            grads[i] = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, inputs[i].dataType(),
                    inputs[i].shape()).assign(0);
        }
        return new Pair<>(null, grads);
    }

    @Override
    public String toString() {
        return "PriorDrawVertex(name=" + vertexName + ", classGaussian=" + classGaussian + ")";
    }
}
