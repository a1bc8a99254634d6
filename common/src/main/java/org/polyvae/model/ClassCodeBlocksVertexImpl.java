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

/**
 * Runtime side of {@link ClassCodeBlocksVertex}: out = in + Σ_c onehot_c · (in·M_c − in) over the classes
 * whose block side is above 1, M_c applied to each channel's row of positions; backward the transposed maps.
 */
final class ClassCodeBlocksVertexImpl extends ParameterFreeVertexImpl {
    private final ClassCodeBlocksVertex conf;
    /** Per class, its position map (null for block side 1), outside any workspace; built for {@link #mapType}. */
    private INDArray[] maps;
    private DataType mapType;

    ClassCodeBlocksVertexImpl(ComputationGraph graph, String name, int index, ClassCodeBlocksVertex conf,
            DataType dataType) {
        super(graph, name, index, dataType);
        this.conf = conf;
    }

    private INDArray[] maps(DataType type) {
        if (maps == null || mapType != type) {
            int[] blocks = conf.getBlocks();
            maps = new INDArray[blocks.length];
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                for (int c = 0; c < blocks.length; c++) {
                    maps[c] = blocks[c] == 1 ? null : conf.positionMap(blocks[c], type);
                }
            }
            mapType = type;
        }
        return maps;
    }

    /** {@code x}·M (or ·Mᵀ) per channel row, minus {@code x}: what class c's map changes. */
    private INDArray change(INDArray x, INDArray map, boolean transpose) {
        long n = x.size(0);
        long positions = (long) conf.getSize() * conf.getSize();
        // reshape copies only when x's layout needs it.
        INDArray rows = x.reshape('c', n * conf.getChannels(), positions);
        return rows.mmul(transpose ? map.transpose() : map).reshape(n, x.size(1)).subi(x);
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray in = inputs[0];
        INDArray classes = inputs[1];
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, in.dataType(), in.shape());
        out.assign(in);
        INDArray[] m = maps(in.dataType());
        try (MemoryWorkspace ignored = workspaceMgr.notifyScopeBorrowed(ArrayType.ACTIVATIONS)) {
            for (int c = 0; c < m.length; c++) {
                INDArray weight = classes.getColumn(c, true);
                if (m[c] != null && weight.amaxNumber().doubleValue() > 0) {
                    out.addi(change(in, m[c], false).muliColumnVector(weight.castTo(in.dataType())));
                }
            }
        }
        return out;
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        INDArray in = inputs[0];
        INDArray classes = inputs[1];
        INDArray grad = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, epsilon.dataType(), in.shape());
        grad.assign(epsilon);
        INDArray classGrad = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, classes.dataType(), classes.shape());
        INDArray[] m = maps(in.dataType());
        try (MemoryWorkspace ignored = workspaceMgr.notifyScopeBorrowed(ArrayType.ACTIVATION_GRAD)) {
            for (int c = 0; c < m.length; c++) {
                if (m[c] == null) {
                    continue;
                }
                INDArray weight = classes.getColumn(c, true).castTo(in.dataType());
                grad.addi(change(epsilon, m[c], true).muliColumnVector(weight));
                // d out / d onehot_c = in·M_c − in, summed against the incoming gradient.
                classGrad.getColumn(c, true).assign(change(in, m[c], false).muli(epsilon).sum(true, 1)
                        .castTo(classes.dataType()));
            }
        }
        return new Pair<>(null, new INDArray[] {grad, classGrad});
    }

    @Override
    public String toString() {
        return "ClassCodeBlocksVertex(name=" + vertexName + ", " + conf + ")";
    }
}
