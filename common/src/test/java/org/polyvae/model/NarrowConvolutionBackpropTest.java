package org.polyvae.model;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/** NarrowConvolutionBackprop against ND4J's conv2d_bp (in double precision: libnd4j's own implementation). */
class NarrowConvolutionBackpropTest {

    /** n, in, size, out, kernel, stride: both dW routes, both dx routes, odd sizes and a 5×5 kernel. */
    private static final int[][] SHAPES = {
        {3, 1, 9, 5, 3, 2}, {2, 1, 8, 16, 3, 2}, {2, 6, 7, 3, 3, 1}, {2, 3, 6, 10, 3, 1}, {2, 9, 6, 2, 5, 1},
        {2, 2, 8, 4, 3, 2}, {2, 4, 6, 4, 4, 1}};

    @Test
    void givesConv2dBpsGradients() {
        Nd4j.getRandom().setSeed(7);
        for (int[] s : SHAPES) {
            int n = s[0], cIn = s[1], size = s[2], cOut = s[3], k = s[4], stride = s[5];
            long out = (size + stride - 1) / stride;
            INDArray x = Nd4j.rand(DataType.DOUBLE, n, cIn, size, size).subi(0.5);
            INDArray w = Nd4j.rand(DataType.DOUBLE, k, k, cIn, cOut).subi(0.5);
            INDArray b = Nd4j.rand(DataType.DOUBLE, cOut);
            INDArray delta = Nd4j.rand(DataType.DOUBLE, n, cOut, out, out).subi(0.5);
            INDArray dx = x.ulike();
            INDArray dW = w.ulike();
            INDArray db = b.ulike();
            Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(x, w, b, delta).addOutputs(dx, dW, db)
                    .addIntegerArguments(k, k, stride, stride, 0, 0, 1, 1, 1, 0, 0).build());
            INDArray dx2 = Nd4j.rand(DataType.DOUBLE, x.shape()); // garbage: every element must be written
            INDArray dW2 = Nd4j.rand(DataType.DOUBLE, w.shape());
            INDArray db2 = Nd4j.rand(DataType.DOUBLE, b.shape());
            NarrowConvolutionBackprop.backprop(x, w, delta, k, stride, dx2, dW2, db2);
            String what = java.util.Arrays.toString(s);
            assertTrue(dx2.equalsWithEps(dx, 1e-10), "dx " + what);
            assertTrue(dW2.equalsWithEps(dW, 1e-10), "dW " + what);
            assertTrue(db2.equalsWithEps(db, 1e-10), "db " + what);
        }
    }

    @Test
    void takesOnlyLayersWithANarrowSide() {
        assertTrue(NarrowConvolutionBackprop.applies(3, 1, 16));
        assertTrue(NarrowConvolutionBackprop.applies(3, 16, 4));
        assertFalse(NarrowConvolutionBackprop.applies(3, 16, 32));
        assertFalse(NarrowConvolutionBackprop.applies(3, 4, 64));
        assertFalse(NarrowConvolutionBackprop.applies(1, 64, 4));
    }
}
