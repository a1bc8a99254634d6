package org.polyvae.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.polyvae.config.PolyvaeConfig;

/** The fused passes against ND4J's ops, on maps the loops read (h·w a multiple of the lanes). */
class VectorChannelKernelsTest {
    private static final int LEVELS = 32;

    @Test
    void everyTestAndTrainingJvmHasTheVectorApi() {
        // submit/jvm.properties (read by surefire and the submit scripts) adds the module; without it training
        // silently takes the slower ND4J passes.
        assertTrue(ChannelSoftmax.VECTOR_API, "jdk.incubator.vector is not resolved: --add-modules missing");
    }

    @Test
    void theDefaultModelsLevelLogitsTakeTheFusedPasses() {
        // If a change to the decoder made its logits a view or another layout, training would silently fall back
        // to ND4J's slower ops: a training forward pass of the default model remembers the softmax it took.
        PolyvaeConfig defaults = PolyvaeConfig.defaultsOnly();
        int res = defaults.data().resolution();
        ComputationGraph g = new ComputationGraph(new VaeArchitecture(defaults.model()).vae());
        g.init();
        g.feedForward(new INDArray[] {Nd4j.rand(DataType.FLOAT, 2, 1, res, res), VaeBatches.oneHot(new int[] {2, 10})},
                true);
        ChannelSoftmax.Taken taken = ChannelSoftmax.remembered();
        assertNotNull(taken, "the expected gray took no softmax in training");
        ChannelSoftmax.recall(taken.logits());
        assertTrue(ChannelSoftmax.vectorised(taken.logits(), taken.p(), taken.logSumExp()),
                "the default model's level logits " + taken.logits().shapeInfoToString() + " do not suit the fused passes");
    }

    @Test
    void softmaxIsNd4jsUpToFloatRoundingFloorIncluded() {
        INDArray logits = logits(3);
        INDArray p = logits.ulike();
        assertTrue(ChannelSoftmax.vectorised(logits, p));
        INDArray lse = ChannelSoftmax.into(logits, p);
        INDArray expectedP = logits.ulike();
        INDArray expectedLse = ChannelSoftmax.nd4jInto(logits, expectedP);
        assertTrue(expectedP.equalsWithEps(p, 1e-6), "probabilities differ from ND4J's");
        assertTrue(expectedLse.equalsWithEps(lse, 1e-4), "log-sum-exp differs from ND4J's");
        // The floor: no probability under e^-FLOOR of its pixel's largest, so none is subnormal.
        assertTrue(p.minNumber().doubleValue() >= Float.MIN_NORMAL);
    }

    @Test
    void aViewIntoALargerBufferIsReadFromItsOwnFirstElement() {
        INDArray all = logits(4);
        INDArray view = all.get(NDArrayIndex.interval(1, 3), NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.all());
        assertTrue(view.offset() > 0 && ChannelSoftmax.vectorised(view));
        INDArray p = Nd4j.createUninitialized(DataType.FLOAT, view.shape());
        INDArray lse = ChannelSoftmax.into(view, p);
        INDArray expectedP = p.ulike();
        assertTrue(ChannelSoftmax.nd4jInto(view.dup(), expectedP).equalsWithEps(lse, 1e-4));
        assertTrue(expectedP.equalsWithEps(p, 1e-6));
    }

    @Test
    void mapsTheLoopsCannotReadTakeNd4jsOps() {
        INDArray oddPlane = Nd4j.randn(DataType.FLOAT, 2, LEVELS, 5, 5);
        INDArray fortran = logits(1).dup('f');
        INDArray doubles = logits(1).castTo(DataType.DOUBLE);
        for (INDArray a : new INDArray[] {oddPlane, fortran, doubles}) {
            assertFalse(ChannelSoftmax.vectorised(a, a.ulike()), a.shapeInfoToString());
            INDArray p = a.ulike();
            INDArray expected = a.ulike();
            assertTrue(ChannelSoftmax.nd4jInto(a, expected).equalsWithEps(ChannelSoftmax.into(a, p), 1e-6));
            assertTrue(expected.equalsWithEps(p, 1e-7));
        }
    }

    @Test
    void expectedGrayGradientIsNd4jsUpToFloatRounding() {
        INDArray logits = logits(3);
        INDArray p = logits.ulike();
        ChannelSoftmax.into(logits, p);
        INDArray centres = Nd4j.arange(LEVELS).castTo(DataType.FLOAT).addi(0.5).divi(LEVELS);
        INDArray gray = Nd4j.createUninitialized(DataType.FLOAT, 3, 1, 16, 16);
        ChannelSoftmax.weightedChannelSum(p, centres, gray);
        INDArray epsilon = Nd4j.randn(DataType.FLOAT, 3, 1, 16, 16);
        INDArray grad = p.ulike();
        assertTrue(ChannelSoftmax.vectorised(p, gray, epsilon, grad));
        ExpectedGrayVertexImpl.gradient(p, centres, gray, epsilon, grad);
        INDArray expected = p.ulike();
        ExpectedGrayVertexImpl.nd4jGradient(p, centres, gray, epsilon, expected);
        assertTrue(expected.equalsWithEps(grad, 1e-6), "gradient differs from ND4J's");
        assertTrue(grad.amaxNumber().doubleValue() > 1e-3, "a gradient of zeros proves nothing");
    }

    @Test
    void crossEntropyGradientAndSumAreNd4jsUpToFloatRounding() {
        INDArray logits = logits(3);
        INDArray p = logits.ulike();
        INDArray lse = ChannelSoftmax.into(logits, p);
        INDArray labels = VaeBatches.levels(Nd4j.rand(DataType.FLOAT, 3, 1, 16, 16), LEVELS);
        INDArray grad = p.ulike();
        double sum = CategoricalLossLayerImpl.gradient(p, labels, logits, lse, grad);
        INDArray expected = p.ulike();
        double expectedSum = CategoricalLossLayerImpl.nd4jGradient(p, labels, logits, lse, expected);
        assertTrue(expected.equalsWithEps(grad, 1e-7), "p − y differs from ND4J's");
        assertEquals(expectedSum, sum, 1e-5 * Math.abs(expectedSum));
        // In place (grad is p), as the loss layer does when no softmax was remembered.
        double inPlace = CategoricalLossLayerImpl.gradient(p, labels, logits, lse, p);
        assertEquals(sum, inPlace, 0);
        assertTrue(expected.equals(p));
    }

    @Test
    void expIsWithinOneUlpOfTheExactValueOverTheSoftmaxsRange() {
        int lanes = VectorChannelKernels.SPECIES.length();
        float[] x = new float[lanes];
        float[] e = new float[lanes];
        int checked = 0;
        for (float v = -87f; v <= 0f; v += 0.0013f) {
            x[checked % lanes] = v;
            if (++checked % lanes == 0) {
                VectorChannelKernels.exp(FloatVector.fromArray(VectorChannelKernels.SPECIES, x, 0)).intoArray(e, 0);
                for (int i = 0; i < lanes; i++) {
                    float exact = (float) StrictMath.exp(x[i]);
                    assertTrue(Math.abs(e[i] - exact) <= Math.ulp(exact), "exp(" + x[i] + ") = " + e[i]
                            + ", exactly " + exact);
                }
            }
        }
        assertTrue(checked > 60_000);
    }

    @Test
    void expRoundsTheSameBeforeAndAfterTheJitCompilesIt() {
        // The Vector API's own EXP does not: its Java fallback and the JIT's intrinsic differ by an ulp in about
        // 1 % of values, which made training unrepeatable. The first call here runs interpreted; after thousands
        // the loop is compiled.
        float[] x = new float[VectorChannelKernels.SPECIES.length() * 512];
        for (int i = 0; i < x.length; i++) {
            x[i] = -44f * i / x.length;
        }
        float[] first = expAll(x);
        float[] last = first;
        for (int round = 0; round < 400; round++) {
            last = expAll(x);
        }
        assertArrayEquals(first, last);
    }

    private static float[] expAll(float[] x) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i += VectorChannelKernels.SPECIES.length()) {
            VectorChannelKernels.exp(FloatVector.fromArray(VectorChannelKernels.SPECIES, x, i)).intoArray(out, i);
        }
        return out;
    }

    /** [n, 32, 16, 16] logits, spread like a confident decoder's: some levels far more than FLOOR below. */
    private static INDArray logits(int n) {
        Nd4j.getRandom().setSeed(7);
        INDArray logits = Nd4j.randn(DataType.FLOAT, n, LEVELS, 16, 16).muli(20);
        logits.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 4), NDArrayIndex.all(), NDArrayIndex.all())
                .subi(60);
        return logits;
    }
}
