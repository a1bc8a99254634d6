package org.polyvae.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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
}
