package org.polyvae.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The categorical head's passes over the K channels of an NCHW map [n, K, h, w], each one pass over the map,
 * vectorised over neighbouring pixels with JDK 17's Vector API (module jdk.incubator.vector). ND4J takes one
 * strided pass per elementwise op and per reduction along axis 1, so a softmax there goes over the map six
 * times; here a run of pixels' K values stays in the cache between the steps. Callers ask
 * {@link ChannelSoftmax#vectorised} first: only a JVM that resolved the module loads this class, and only
 * arrays these loops read come here (float, contiguous in 'c' order, h·w a multiple of the vector length).
 *
 * <p>Every operation is an IEEE add, multiply, divide or comparison, or an integer operation on the bits: the
 * API's transcendental functions (EXP, LOG) round differently before and after the JIT compiles a loop, which
 * made training unrepeatable. exp is therefore Cephes' single-precision polynomial (within 1 ulp of the exact
 * value on the softmax's range), with 2ⁿ assembled in the exponent bits.
 */
final class VectorChannelKernels {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    /**
     * Pixels per run: a pass goes through the K channels' runs of this many pixels, each read in order, so
     * that the CPU's prefetchers follow K short sequential streams (one pixel block per channel at a time is K
     * strided accesses, which they do not), and a run's K·RUN floats stay in the L2 cache between the steps.
     */
    private static final int RUN = 256;

    /** t + MAGIC rounds t to an integer in the low mantissa bits (|t| < 2²²); MAGIC_BITS are MAGIC's bits. */
    private static final float MAGIC = 12582912f;
    private static final int MAGIC_BITS = Float.floatToRawIntBits(MAGIC);
    private static final float LOG2E = 1.44269504088896341f;
    /** ln 2 in two parts (Cephes' C1 + C2), so that x − n·ln 2 is exact to float precision. */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** Cephes' coefficients of (e^r − 1 − r) / r². */
    private static final float P0 = 1.9875691500e-4f;
    private static final float P1 = 1.3981999507e-3f;
    private static final float P2 = 8.3334519073e-3f;
    private static final float P3 = 4.1665795894e-2f;
    private static final float P4 = 1.6666665459e-1f;
    private static final float P5 = 5.0000001201e-1f;

    private VectorChannelKernels() {
    }

    /**
     * p = softmax over axis 1 of {@code logits} into {@code p}, a logit more than {@code floor} below its pixel's
     * largest taken as {@code floor} below it; the per-pixel maximum into {@code max} and the sum of the
     * shifted exponentials into {@code sum} (both [n, 1, h, w]), so that log-sum-exp = log(sum) + max.
     */
    static void softmax(INDArray logits, INDArray p, INDArray max, INDArray sum, float floor) {
        ByteBuffer x = bytes(logits);
        ByteBuffer out = bytes(p);
        ByteBuffer maxOut = bytes(max);
        ByteBuffer sumOut = bytes(sum);
        int k = (int) logits.size(1);
        int plane = plane(logits);
        int channelBytes = 4 * plane;
        float[] m = new float[RUN];
        float[] s = new float[RUN];
        for (int i = 0; i < (int) logits.size(0); i++) {
            for (int run = 0; run < plane; run += RUN) {
                int length = Math.min(RUN, plane - run);
                int first = 4 * (i * k * plane + run);
                int pixel = 4 * (i * plane + run);
                channelMax(x, first, channelBytes, k, length, m);
                shiftedExp(x, out, first, channelBytes, k, length, m, -floor, s);
                storeAndInvert(m, s, maxOut, sumOut, pixel, length);
                scale(out, first, channelBytes, k, length, s);
            }
        }
    }

    /** m = the maximum over the K channels of a run of {@code length} pixels starting at byte {@code first}. */
    private static void channelMax(ByteBuffer x, int first, int channelBytes, int k, int length, float[] m) {
        for (int j = 0; j < length; j += SPECIES.length()) {
            load(x, first + 4 * j).intoArray(m, j);
        }
        for (int c = 1; c < k; c++) {
            int at = first + c * channelBytes;
            for (int j = 0; j < length; j += SPECIES.length()) {
                FloatVector.fromArray(SPECIES, m, j).max(load(x, at + 4 * j)).intoArray(m, j);
            }
        }
    }

    /** out = exp(max(x − m, lowest)) for a run, and s = its sum over the channels. */
    private static void shiftedExp(ByteBuffer x, ByteBuffer out, int first, int channelBytes, int k, int length,
            float[] m, float lowest, float[] s) {
        Arrays.fill(s, 0, length, 0f);
        for (int c = 0; c < k; c++) {
            int at = first + c * channelBytes;
            for (int j = 0; j < length; j += SPECIES.length()) {
                FloatVector e = exp(load(x, at + 4 * j).sub(FloatVector.fromArray(SPECIES, m, j)).max(lowest));
                e.intoByteBuffer(out, at + 4 * j, ORDER);
                FloatVector.fromArray(SPECIES, s, j).add(e).intoArray(s, j);
            }
        }
    }

    /** A run's maxima and sums into the [n, 1, h, w] outputs, then s = 1 / s. */
    private static void storeAndInvert(float[] m, float[] s, ByteBuffer maxOut, ByteBuffer sumOut, int pixel,
            int length) {
        for (int j = 0; j < length; j += SPECIES.length()) {
            FloatVector.fromArray(SPECIES, m, j).intoByteBuffer(maxOut, pixel + 4 * j, ORDER);
            FloatVector sj = FloatVector.fromArray(SPECIES, s, j);
            sj.intoByteBuffer(sumOut, pixel + 4 * j, ORDER);
            FloatVector.broadcast(SPECIES, 1f).div(sj).intoArray(s, j);
        }
    }

    /** out *= factor per pixel, over a run's K channels. */
    private static void scale(ByteBuffer out, int first, int channelBytes, int k, int length, float[] factor) {
        for (int c = 0; c < k; c++) {
            int at = first + c * channelBytes;
            for (int j = 0; j < length; j += SPECIES.length()) {
                load(out, at + 4 * j).mul(FloatVector.fromArray(SPECIES, factor, j))
                        .intoByteBuffer(out, at + 4 * j, ORDER);
            }
        }
    }

    /**
     * The expected gray's backward pass: grad_k = p_k·(c_k·ε − g·ε) for probabilities p [n, K, h, w], level
     * centres c [K], the expected gray g and its gradient ε [n, 1, h, w], into {@code grad} [n, K, h, w].
     */
    static void expectedGrayGradient(INDArray p, float[] centres, INDArray gray, INDArray epsilon, INDArray grad) {
        ByteBuffer probabilities = bytes(p);
        ByteBuffer g = bytes(gray);
        ByteBuffer eps = bytes(epsilon);
        ByteBuffer out = bytes(grad);
        int k = centres.length;
        int plane = plane(p);
        int step = SPECIES.length();
        int channelBytes = 4 * plane;
        float[] e = new float[RUN];
        float[] ge = new float[RUN];
        for (int i = 0; i < (int) p.size(0); i++) {
            for (int run = 0; run < plane; run += RUN) {
                int length = Math.min(RUN, plane - run);
                int pixel = 4 * (i * plane + run);
                for (int j = 0; j < length; j += step) {
                    FloatVector ej = load(eps, pixel + 4 * j);
                    ej.intoArray(e, j);
                    load(g, pixel + 4 * j).mul(ej).intoArray(ge, j);
                }
                expectedGrayRun(probabilities, out, 4 * (i * k * plane + run), channelBytes, centres, length, e,
                        ge);
            }
        }
    }

    /** grad_k = p_k·(c_k·e − ge) over a run's K channels. */
    private static void expectedGrayRun(ByteBuffer p, ByteBuffer out, int first, int channelBytes, float[] centres,
            int length, float[] e, float[] ge) {
        for (int c = 0; c < centres.length; c++) {
            int at = first + c * channelBytes;
            float centre = centres[c];
            for (int j = 0; j < length; j += SPECIES.length()) {
                FloatVector term = FloatVector.fromArray(SPECIES, e, j).mul(centre)
                        .sub(FloatVector.fromArray(SPECIES, ge, j));
                load(p, at + 4 * j).mul(term).intoByteBuffer(out, at + 4 * j, ORDER);
            }
        }
    }

    /**
     * The categorical loss's backward pass: grad = p − y for probabilities p and one-hot labels y [n, K, h, w],
     * into {@code grad}; returns the summed cross-entropy −Σ y·log p = Σ_pixels lse·Σ_k y_k − Σ y·l, with l the
     * logits and lse their per-pixel log-sum-exp [n, 1, h, w], summed per image in float lanes and over lanes
     * and images in double, in a fixed order.
     */
    static double crossEntropyGradient(INDArray p, INDArray labels, INDArray logits, INDArray logSumExp,
            INDArray grad) {
        ByteBuffer probabilities = bytes(p);
        ByteBuffer y = bytes(labels);
        ByteBuffer l = bytes(logits);
        ByteBuffer lse = bytes(logSumExp);
        ByteBuffer out = bytes(grad);
        int k = (int) p.size(1);
        int plane = plane(p);
        int step = SPECIES.length();
        int channelBytes = 4 * plane;
        float[] labelled = new float[RUN];
        float[] labelledLogits = new float[RUN];
        float[] lanes = new float[step];
        double total = 0;
        for (int i = 0; i < (int) p.size(0); i++) {
            FloatVector imageSum = FloatVector.zero(SPECIES);
            for (int run = 0; run < plane; run += RUN) {
                int length = Math.min(RUN, plane - run);
                int first = 4 * (i * k * plane + run);
                crossEntropyRun(probabilities, y, l, out, first, channelBytes, k, length, labelled, labelledLogits);
                int pixel = 4 * (i * plane + run);
                for (int j = 0; j < length; j += step) {
                    imageSum = imageSum.add(load(lse, pixel + 4 * j).mul(FloatVector.fromArray(SPECIES, labelled, j))
                            .sub(FloatVector.fromArray(SPECIES, labelledLogits, j)));
                }
            }
            imageSum.intoArray(lanes, 0);
            for (float lane : lanes) {
                total += lane;
            }
        }
        return total;
    }

    /** out = p − y over a run's K channels; labelled = Σ_k y_k and labelledLogits = Σ_k y_k·l_k per pixel. */
    private static void crossEntropyRun(ByteBuffer p, ByteBuffer y, ByteBuffer l, ByteBuffer out, int first,
            int channelBytes, int k, int length, float[] labelled, float[] labelledLogits) {
        Arrays.fill(labelled, 0, length, 0f);
        Arrays.fill(labelledLogits, 0, length, 0f);
        for (int c = 0; c < k; c++) {
            int at = first + c * channelBytes;
            for (int j = 0; j < length; j += SPECIES.length()) {
                FloatVector yc = load(y, at + 4 * j);
                load(p, at + 4 * j).sub(yc).intoByteBuffer(out, at + 4 * j, ORDER);
                FloatVector.fromArray(SPECIES, labelled, j).add(yc).intoArray(labelled, j);
                FloatVector.fromArray(SPECIES, labelledLogits, j).add(yc.mul(load(l, at + 4 * j)))
                        .intoArray(labelledLogits, j);
            }
        }
    }

    /** e^x for x ≤ 0 and above −87 (Cephes expf: x = n·ln 2 + r, |r| ≤ ln 2 / 2, e^r by a polynomial). */
    static FloatVector exp(FloatVector x) {
        FloatVector t = x.mul(LOG2E).add(MAGIC);
        FloatVector n = t.sub(MAGIC);
        FloatVector r = x.sub(n.mul(LN2_HI)).sub(n.mul(LN2_LO));
        FloatVector poly = r.mul(P0).add(P1).mul(r).add(P2).mul(r).add(P3).mul(r).add(P4).mul(r).add(P5);
        FloatVector er = poly.mul(r.mul(r)).add(r).add(1f);
        IntVector exponent = ((IntVector) t.reinterpretAsInts()).sub(MAGIC_BITS - 127)
                .lanewise(VectorOperators.LSHL, 23);
        return er.mul(exponent.reinterpretAsFloats());
    }

    /** Whether these loops read {@code a}: float, contiguous in 'c' order, its h·w a multiple of the lanes. */
    static boolean reads(INDArray a) {
        return a.dataType() == DataType.FLOAT && a.rank() == 4 && a.ordering() == 'c'
                && a.elementWiseStride() == 1 && plane(a) % SPECIES.length() == 0
                && 4 * (a.offset() + a.length()) <= Integer.MAX_VALUE;
    }

    private static int plane(INDArray a) {
        return (int) (a.size(2) * a.size(3));
    }

    /** The array's bytes, from its first element (a ByteBuffer's positions are ints: {@link #reads} checks). */
    private static ByteBuffer bytes(INDArray a) {
        ByteBuffer all = a.data().asNio().order(ORDER);
        return a.offset() == 0 ? all : all.position((int) (4 * a.offset())).slice().order(ORDER);
    }

    private static FloatVector load(ByteBuffer buffer, int byteOffset) {
        return FloatVector.fromByteBuffer(SPECIES, buffer, byteOffset, ORDER);
    }
}
