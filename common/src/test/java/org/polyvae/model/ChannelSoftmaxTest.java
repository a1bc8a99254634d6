package org.polyvae.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

class ChannelSoftmaxTest {
    /** One pixel's logits over 6 levels, from the likeliest to 300 below it. */
    private static final float[] LOGITS = {10, 9, -30, -80, -85, -290};

    @Test
    void noProbabilityIsSubnormalHoweverConfidentTheLogits() {
        INDArray logits = Nd4j.create(LOGITS, new long[] {1, LOGITS.length, 1, 1}).castTo(DataType.FLOAT);
        INDArray p = logits.ulike();
        INDArray lse = ChannelSoftmax.into(logits, p);
        float[] probs = p.data().asFloat();
        double sum = 0;
        for (float v : probs) {
            assertTrue(v >= Float.MIN_NORMAL, "probability " + v + " is zero or subnormal (slow on the CPU)");
            sum += v;
        }
        assertEquals(1, sum, 1e-6);
        // The floor lifts only the levels more than FLOOR below the likeliest: the two likeliest and the third
        // are exact, the log-sum-exp too.
        double exact = 10 + Math.log(1 + Math.exp(-1) + Math.exp(-40));
        assertEquals(exact, lse.getDouble(0), 1e-5);
        assertEquals(Math.exp(10 - exact), probs[0], 1e-6);
        assertEquals(Math.exp(-30 - exact), probs[2], 1e-24);
        assertEquals(Math.exp(-ChannelSoftmax.FLOOR + 10 - exact), probs[5], 1e-26);
    }

    @Test
    void theChannelSumIsTheReductionAlongAxisOneContiguousOrNot() {
        INDArray map = Nd4j.rand(DataType.FLOAT, 3, 5, 4, 6);
        INDArray expected = map.sum(true, 1);
        INDArray sum = ChannelSoftmax.channelSum(map);
        assertArrayEquals(expected.shape(), sum.shape());
        assertTrue(expected.equalsWithEps(sum, 1e-6), "contiguous map: " + sum + " against " + expected);
        // A view (every other channel): the sum of its own channels, not of the buffer it lies in.
        INDArray view = map.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2, 5), NDArrayIndex.all(),
                NDArrayIndex.all());
        assertTrue(view.sum(true, 1).equalsWithEps(ChannelSoftmax.channelSum(view), 1e-6));
    }

    @Test
    void everyPixelsProbabilitiesSumToOne() {
        INDArray logits = Nd4j.randn(DataType.FLOAT, 2, 7, 3, 5).muli(4);
        INDArray p = logits.ulike();
        INDArray lse = ChannelSoftmax.into(logits, p);
        assertTrue(p.sum(true, 1).equalsWithEps(Nd4j.ones(DataType.FLOAT, 2, 1, 3, 5), 1e-6));
        // log p = logits − log-sum-exp, pixel by pixel.
        INDArray logP = logits.sub(lse.broadcast(logits.shape()));
        assertTrue(Transforms.log(p, true).equalsWithEps(logP, 1e-5));
    }
}
