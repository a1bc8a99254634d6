package org.polyvae.model;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.polyvae.config.ModelSettings;
import org.polyvae.data.WindowClass;
import org.polyvae.metrics.GrainStatistics;

/** Minibatches in the shape the VAE graph trains on. */
public final class VaeBatches {
    private VaeBatches() {
    }

    /**
     * @param images [n, 1, res, res] pixels in [0, 1]
     * @return features [images]; labels [images (reconstruction target), zeros(n, 2·codeLength) (the KL
     *         output ignores its labels but DL4J needs an array of the output's shape)]
     */
    /** The target code of {@link #targetLevels} for the Laplace likelihood. */
    public static final int LAPLACE_TARGET = -1;

    public static MultiDataSet of(INDArray images, int codeLength) {
        return of(images, null, codeLength);
    }

    /**
     * The same for the conditional VAE: features [images, classes] when {@code classes} (the
     * {@link #oneHot} of each image's window) is given.
     */
    public static MultiDataSet of(INDArray images, INDArray classes, int codeLength) {
        return of(images, classes, codeLength, 0);
    }

    /**
     * The same for a model's likelihood: with {@code grayLevels} K &gt; 0 (categorical) the reconstruction
     * target is {@link #levels}(images, K); with 0 (Bernoulli) the images themselves; with
     * {@link #LAPLACE_TARGET} the images beside a zero channel.
     */
    public static MultiDataSet of(INDArray images, INDArray classes, int codeLength, int grayLevels) {
        return of(images, classes, codeLength, grayLevels, 0);
    }

    /**
     * The same for a VAE with the adversarial term when {@code patchSide} &gt; 0: a third label array
     * [n, 2, patchSide, patchSide], channel 0 (each image's reconstruction) 0 and channel 1 (the image) 1.
     */
    public static MultiDataSet of(INDArray images, INDArray classes, int codeLength, int grayLevels, int patchSide) {
        return of(images, classes, codeLength, grayLevels, patchSide, false);
    }

    /**
     * The same for a VAE with the boundary head when {@code boundaryHead}: a last label array, the
     * {@link #boundaries} of the images.
     */
    public static MultiDataSet of(INDArray images, INDArray classes, int codeLength, int grayLevels, int patchSide,
            boolean boundaryHead) {
        return of(images, classes, codeLength, grayLevels, patchSide, boundaryHead, 1, 1);
    }

    /**
     * The same with {@code decodedGroups} channels of adversarial label 0 before {@code realGroups} of label 1: 2
     * and 2 for a VAE whose discriminator also judges the decodings of prior draws
     * (polyvae.model.adversarial-prior-draws: the images' decodings and the draws' as decoded, then the draws'
     * second copy and the images as real, {@link NonSaturatingDrawsVertex}).
     */
    public static MultiDataSet of(INDArray images, INDArray classes, int codeLength, int grayLevels, int patchSide,
            boolean boundaryHead, int decodedGroups, int realGroups) {
        long n = images.size(0);
        INDArray zeros = Nd4j.zeros(images.dataType(), n, 2L * codeLength);
        INDArray[] features = classes == null ? new INDArray[] {images} : new INDArray[] {images, classes};
        INDArray target = grayLevels > 0 ? levels(images, grayLevels)
                : grayLevels == LAPLACE_TARGET ? Nd4j.concat(1, images, Nd4j.zerosLike(images)) : images;
        java.util.List<INDArray> labels = new java.util.ArrayList<>(java.util.List.of(target, zeros));
        if (patchSide > 0) {
            labels.add(Nd4j.concat(1, Nd4j.zeros(images.dataType(), n, decodedGroups, patchSide, patchSide),
                    Nd4j.ones(images.dataType(), n, realGroups, patchSide, patchSide)));
        }
        if (boundaryHead) {
            labels.add(boundaries(images));
        }
        return new org.nd4j.linalg.dataset.MultiDataSet(features, labels.toArray(INDArray[]::new));
    }

    /** The targets of a model's settings: gray levels, adversarial labels and boundaries as its graph has them. */
    public static MultiDataSet of(INDArray images, INDArray classes, ModelSettings s) {
        int groups = s.adversarialPriorDraws() ? 2 : 1;
        return of(images, classes, s.codeLength(), targetLevels(s), patchSide(s), s.boundaryHead(), groups, groups);
    }

    /** The adversarial labels' patch side of a model's settings; 0 when it has no adversarial term. */
    public static int patchSide(ModelSettings s) {
        return s.adversarial() ? s.adversarialPatchSide() : 0;
    }

    /**
     * The gray levels of a model's reconstruction target: K for the categorical likelihood, 0 for Bernoulli
     * (the images), {@link #LAPLACE_TARGET} for Laplace (the images beside a zero channel: {@link LaplaceLoss}
     * reads two columns per pixel).
     */

    public static int targetLevels(ModelSettings s) {
        return switch (s.likelihood()) {
            case CATEGORICAL -> s.grayLevels();
            case LAPLACE -> LAPLACE_TARGET;
            case BERNOULLI -> 0;
        };
    }

    /**
     * [n, K, h, w]: the one-hot gray level of every pixel of [n, 1, h, w] images in [0, 1], level k holding the
     * grays in [k/K, (k+1)/K) (gray 1 in level K − 1); the decoder's {@link GrayLevelVertex} inverts it up to
     * the level's centre.
     */
    public static INDArray levels(INDArray images, int levels) {
        long n = images.size(0);
        int h = (int) images.size(2);
        int w = (int) images.size(3);
        int plane = h * w;
        float[] gray = images.castTo(DataType.FLOAT).dup('c').data().asFloat();
        // Zeroed natively and the ones written straight into the off-heap buffer: this runs for every minibatch a
        // worker loads, and a Java array of n·K·h·w floats copied off-heap (or ND4J's OneHot op) takes 3× longer.
        INDArray oneHot = Nd4j.createUninitialized(DataType.FLOAT, n, levels, h, w).assign(0);
        FloatBuffer out = oneHot.data().asNioFloat();
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < plane; p++) {
                int k = Math.min(levels - 1, Math.max(0, (int) Math.floor(gray[i * plane + p] * levels)));
                out.put((i * levels + k) * plane + p, 1f);
            }
        }
        return oneHot.castTo(images.dataType());
    }

    /**
     * [n, 1, h, w]: 1 where a pixel of [n, 1, h, w] images in [0, 1] lies on a grain boundary, i.e. its right or
     * lower neighbour differs by more than {@link GrainStatistics#REFERENCE_JUMP_THRESHOLD} grays, else 0. Of
     * two 4-neighbours in different grains the left or upper one is always marked, so the unmarked pixels of
     * different grains never touch: the regions {@link RegionDecoding} draws are the grains.
     */
    public static INDArray boundaries(INDArray images) {
        long n = images.size(0);
        int h = (int) images.size(2);
        int w = (int) images.size(3);
        int plane = h * w;
        float[] gray = images.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
        float[] marked = new float[gray.length];
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < h; r++) {
                for (int c = 0; c < w; c++) {
                    int p = i * plane + r * w + c;
                    int v = GrainStatistics.level(gray[p]);
                    boolean right = c + 1 < w && jump(v, GrainStatistics.level(gray[p + 1]));
                    boolean below = r + 1 < h && jump(v, GrainStatistics.level(gray[p + w]));
                    marked[p] = right || below ? 1f : 0f;
                }
            }
        }
        return Nd4j.create(marked, new long[] {n, 1, h, w}).castTo(images.dataType());
    }

    private static boolean jump(int a, int b) {
        return Math.abs(a - b) > GrainStatistics.REFERENCE_JUMP_THRESHOLD;
    }

    /**
     * [n, {@link VaeArchitecture#CLASSES}]: row i is the one-hot of window size micrometres[i] (µm), in the
     * VAE's class order (every {@link WindowClass}, ascending).
     */
    public static INDArray oneHot(int[] micrometres) {
        return oneHot(micrometres, VAE_ORDER);
    }

    /**
     * [n, classOrder.length]: row i is 1 in the column of micrometres[i] in {@code classOrder} (µm); the
     * one encoding of a window class, in whichever order a network's class input or output has.
     *
     * @throws IllegalArgumentException if a window size is not in {@code classOrder}
     */
    public static INDArray oneHot(int[] micrometres, int[] classOrder) {
        float[] v = new float[micrometres.length * classOrder.length];
        for (int i = 0; i < micrometres.length; i++) {
            int c = classIndex(micrometres[i], classOrder);
            if (c < 0) {
                throw new IllegalArgumentException("a " + micrometres[i] + " µm image; the classes are "
                        + Arrays.toString(classOrder) + " µm");
            }
            v[i * classOrder.length + c] = 1f;
        }
        return Nd4j.create(v, new long[] {micrometres.length, classOrder.length});
    }

    /** The column of window size {@code micrometres} in {@code classOrder}, or -1 when it is not there. */
    public static int classIndex(int micrometres, int[] classOrder) {
        for (int i = 0; i < classOrder.length; i++) {
            if (classOrder[i] == micrometres) {
                return i;
            }
        }
        return -1;
    }

    /** The VAE's class input order (µm): {@link WindowClass#index()}. */
    public static int[] classOrder() {
        return VAE_ORDER.clone();
    }

    /** The VAE's class order: {@link WindowClass#index()}. */
    private static final int[] VAE_ORDER = Arrays.stream(WindowClass.values()).mapToInt(WindowClass::micrometres)
            .toArray();
}
