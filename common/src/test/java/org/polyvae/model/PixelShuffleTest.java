package org.polyvae.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.enums.DataFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.DepthToSpace;
import org.nd4j.linalg.api.ops.impl.layers.convolution.SpaceToDepth;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** PixelShuffle against ND4J's depth_to_space and space_to_depth ops. */
class PixelShuffleTest {

    private static INDArray nd4jDepthToSpace(INDArray in, int b) {
        INDArray out = Nd4j.create(in.dataType(), in.size(0), in.size(1) / b / b, in.size(2) * b, in.size(3) * b);
        Nd4j.exec(new DepthToSpace(in.dup(), out, b, DataFormat.NCHW));
        return out;
    }

    private static INDArray nd4jSpaceToDepth(INDArray out, int b) {
        INDArray in = Nd4j.create(out.dataType(), out.size(0), out.size(1) * b * b, out.size(2) / b, out.size(3) / b);
        Nd4j.exec(new SpaceToDepth(out.dup(), in, b, DataFormat.NCHW));
        return in;
    }

    private static void check(INDArray deep, int b) {
        INDArray wide = Nd4j.createUninitialized(deep.dataType(), deep.size(0), deep.size(1) / b / b, deep.size(2) * b,
                deep.size(3) * b);
        PixelShuffle.depthToSpace(deep, wide, b);
        assertEquals(nd4jDepthToSpace(deep, b), wide, "depth to space " + deep.dataType() + ", b " + b);
        INDArray g = Nd4j.rand(DataType.FLOAT, wide.shape()).muli(100).castTo(deep.dataType());
        INDArray back = Nd4j.createUninitialized(deep.dataType(), deep.shape());
        PixelShuffle.spaceToDepth(g, back, b);
        assertEquals(nd4jSpaceToDepth(g, b), back, "space to depth " + deep.dataType() + ", b " + b);
    }

    @Test
    void shufflesAsNd4jDoes() {
        for (DataType t : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            check(Nd4j.rand(t, 2, 12, 3, 5), 2);
            check(Nd4j.rand(t, 1, 18, 2, 4), 3);
            // A view (every other image of a batch) and an integer type: copied, or left to ND4J's ops.
            check(Nd4j.rand(t, 4, 8, 2, 3).get(NDArrayIndex.interval(0, 2, 4)), 2);
        }
        check(Nd4j.rand(DataType.FLOAT, 2, 8, 3, 3).muli(100).castTo(DataType.INT), 2);
    }

    /** Inside a workspace an array's buffer starts at an offset into the workspace's memory. */
    @Test
    void shufflesArraysInsideAWorkspace() {
        WorkspaceConfiguration conf = WorkspaceConfiguration.builder().initialSize(1 << 20)
                .policyLearning(LearningPolicy.NONE).policyAllocation(AllocationPolicy.STRICT).build();
        INDArray deep = Nd4j.rand(DataType.FLOAT, 2, 8, 4, 4);
        INDArray g = Nd4j.rand(DataType.FLOAT, 2, 2, 8, 8);
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(conf, "pixel-shuffle-test")) {
            Nd4j.rand(DataType.FLOAT, 3, 7); // something before, so nothing starts at the workspace's start
            INDArray in = deep.dup();
            INDArray wide = Nd4j.createUninitialized(DataType.FLOAT, 2, 2, 8, 8);
            PixelShuffle.depthToSpace(in, wide, 2);
            INDArray gIn = g.dup();
            INDArray back = Nd4j.createUninitialized(DataType.FLOAT, 2, 8, 4, 4);
            PixelShuffle.spaceToDepth(gIn, back, 2);
            assertEquals(nd4jDepthToSpace(deep, 2), wide.detach());
            assertEquals(nd4jSpaceToDepth(g, 2), back.detach());
        }
    }
}
