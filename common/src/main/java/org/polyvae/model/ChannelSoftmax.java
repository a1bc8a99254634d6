package org.polyvae.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The softmax over the channels (axis 1) of an NCHW map, computed on the map in place of DL4J's route through
 * rows (permute to [n·h·w, K], softmax, permute back). ND4J's own softmax op is no help: in 1.0.0-M2 it is
 * wrong along axis 1 of a rank-4 array. Shared by {@link ExpectedGrayVertexImpl} and
 * {@link CategoricalLossLayerImpl}, which in a training step take it of the same logits, once.
 */
final class ChannelSoftmax {
    /**
     * How far below a pixel's likeliest level (in logits) a level's logit is taken to lie at most. As the
     * decoder grows confident, a few percent of its probabilities would otherwise fall to subnormal floats
     * (below 1.2·10⁻³⁸), and every multiply that touches one (in the gradient p − y, the expected gray and the
     * last convolution's backward pass) takes the CPU's slow microcode path, since neither the JVM nor ND4J
     * turns on flush-to-zero: training slows down epoch after epoch. With the floor every probability is at
     * least e^-44 / K ≈ 2·10⁻²¹, and products of it with gradients stay far above the subnormal range, while
     * the loss and its gradient change by less than a float resolves next to the likeliest level's.
     */
    static final double FLOOR = 44;

    /** The last softmax {@link #remember}ed on this thread, and the logits it was taken of. */
    private static final ThreadLocal<Taken> LAST = new ThreadLocal<>();

    /**
     * Whether this JVM resolved jdk.incubator.vector, so that {@link VectorChannelKernels} can be loaded: a JVM
     * started without {@code --add-modules=jdk.incubator.vector} never touches that class.
     */
    static final boolean VECTOR_API = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    /** A softmax p of {@code logits}, with their per-pixel log-sum-exp. */
    record Taken(INDArray logits, INDArray p, INDArray logSumExp) {
    }

    private ChannelSoftmax() {
    }

    /**
     * Remembers a softmax of these logits ({@link #into}'s p and returned log-sum-exp) on this thread until the
     * next {@link #recall}: in a training step the expected gray takes the reconstruction logits' softmax in the
     * forward pass and the categorical loss layer needs the same one in the backward pass, which is then not
     * computed twice (README, "One softmax per step"). The caller keeps the arrays valid until then (in the
     * activations workspace, which DL4J keeps open through backpropagation).
     */
    static void remember(INDArray logits, INDArray p, INDArray logSumExp) {
        LAST.set(new Taken(logits, p, logSumExp));
    }

    /**
     * The softmax {@link #remember}ed last on this thread if it was taken of this very array (the same object,
     * so the same values: neither DL4J nor the vertices write to an activation after the pass that made it),
     * which it then forgets, so a remembered softmax is used at most once; else null.
     */
    static Taken recall(INDArray logits) {
        Taken last = LAST.get();
        if (last == null || last.logits() != logits) {
            return null;
        }
        LAST.remove();
        return last;
    }

    /** The softmax remembered on this thread and not yet recalled, or null (what the tests look at). */
    static Taken remembered() {
        return LAST.get();
    }

    /**
     * p = softmax(logits) over axis 1, into {@code p} (same shape), shifted by the per-pixel maximum for
     * stability, a logit more than {@link #FLOOR} below the pixel's largest taken as {@link #FLOOR} below it.
     * Returns the per-pixel log-sum-exp [n, 1, h, w], so that log p = logits − the returned value.
     */
    static INDArray into(INDArray logits, INDArray p) {
        if (vectorised(logits, p)) {
            long[] pixels = {logits.size(0), 1, logits.size(2), logits.size(3)};
            INDArray max = Nd4j.createUninitialized(logits.dataType(), pixels);
            INDArray sum = Nd4j.createUninitialized(logits.dataType(), pixels);
            VectorChannelKernels.softmax(logits, p, max, sum, (float) FLOOR);
            return Transforms.log(sum, false).addi(max);
        }
        return nd4jInto(logits, p);
    }

    /** {@link #into} with ND4J's ops, where {@link VectorChannelKernels} does not apply. */
    static INDArray nd4jInto(INDArray logits, INDArray p) {
        INDArray max = logits.max(true, 1);
        Nd4j.exec(new SubOp(new INDArray[] {logits, max}, new INDArray[] {p}));
        Transforms.exp(Transforms.max(p, -FLOOR, false), false);
        INDArray sum = channelSum(p);
        // One product with the per-pixel reciprocal: ND4J's broadcast division is about twice as slow.
        p.muli(sum.rdiv(1.0));
        return Transforms.log(sum, false).addi(max);
    }

    /**
     * Whether {@link VectorChannelKernels} takes a pass over these arrays: the JVM resolved the Vector API's
     * module (submit/jvm.properties adds it to every polyvae JVM) and the loops read every array. Else the
     * callers take ND4J's ops, which give the same values up to float rounding (the exp differs by at most 1 ulp).
     */
    static boolean vectorised(INDArray... arrays) {
        if (!VECTOR_API) {
            return false;
        }
        for (INDArray a : arrays) {
            if (!VectorChannelKernels.reads(a)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The sum over axis 1 of an NCHW map [n, K, h, w], as [n, 1, h, w] ({@link #weightedChannelSum} with weights
     * of one).
     */
    static INDArray channelSum(INDArray map) {
        return weightedChannelSum(map, Nd4j.ones(map.dataType(), map.size(1)),
                Nd4j.createUninitialized(map.dataType(), map.size(0), 1, map.size(2), map.size(3)));
    }

    /**
     * Σ_k w_k·map[:, k] of an NCHW map [n, K, h, w] into {@code out} [n, 1, h, w], for weights w [K]: per image
     * one [1, K]·[K, h·w] product (one batched matmul), which at one thread takes about a third of the time of
     * ND4J's strided reduction along axis 1 (a map that is not contiguous is copied by the reshape first).
     */
    static INDArray weightedChannelSum(INDArray map, INDArray weights, INDArray out) {
        perImageProduct(weights.reshape(1, map.size(1)), map, out);
        return out;
    }

    /**
     * m·x_i for every image i of an NCHW map x [n, C, h, w] and one matrix m [R, C], into {@code out} [n, R, h, w]
     * (contiguous, so that its [n, R, h·w] view is written): one batched matmul over the images' [C, h·w] slices.
     */
    static void perImageProduct(INDArray matrix, INDArray map, INDArray out) {
        long n = map.size(0);
        long pixels = map.size(2) * map.size(3);
        INDArray m = matrix.reshape(1, matrix.size(0), matrix.size(1)).repeat(0, n);
        Nd4j.exec(DynamicCustomOp.builder("matmul").addInputs(m, map.reshape('c', n, map.size(1), pixels))
                .addOutputs(out.reshape('c', n, matrix.size(0), pixels)).build());
    }
}
