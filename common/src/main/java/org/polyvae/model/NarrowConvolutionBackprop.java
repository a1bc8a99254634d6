package org.polyvae.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * conv2d_bp ("same" padding, NCHW, weights [k, k, in, out]) for a layer with few input or output channels,
 * without oneDNN: its backward-weights kernel is pathologically slow when a side has fewer channels than
 * its 8-channel blocks on a large map (the encoder's first layer reads the 1-channel image, the decoder's
 * last layers write 4 channels before the pixel shuffle), while the same sums as matrix products over an
 * im2col of the narrow side are small.
 * <ul>
 *   <li>dW: Σ over the minibatch of delta·colᵀ, with col the im2col of x; or, at stride 1 when the output
 *       is the narrower side, of delta (its window flipped), so the copied side is the narrow one.</li>
 *   <li>dx: at stride 1 (odd kernel) the forward convolution of delta with the flipped, transposed kernel
 *       (oneDNN's forward kernels have no such problem); otherwise col2im (which writes every pixel) of Wᵀ·delta.</li>
 *   <li>db: the sum of delta over the minibatch and the map.</li>
 * </ul>
 */
final class NarrowConvolutionBackprop {
    /** oneDNN's channel block for AVX2 float32 kernels. */
    private static final int BLOCK = 8;

    private NarrowConvolutionBackprop() {
    }

    /**
     * Whether a kernel × kernel convolution between these channel counts takes this path: one side narrower
     * than a block and the other at most two blocks wide (with a wide side, as the 4 → 64 channels of the
     * latent map's first decoder layer, oneDNN's kernel is the faster one).
     */
    static boolean applies(int kernel, long nIn, long nOut) {
        return kernel > 1 && Math.min(nIn, nOut) < BLOCK && Math.max(nIn, nOut) <= 2 * BLOCK;
    }

    /** Writes conv2d_bp's three gradients into dx, dW and db; x and delta are contiguous 'c' arrays. */
    static void backprop(INDArray x, INDArray w, INDArray delta, int k, int s, INDArray dx, INDArray dW,
            INDArray db) {
        long n = x.size(0);
        long cIn = x.size(1);
        long cOut = delta.size(1);
        long h = x.size(2);
        long oh = delta.size(2);
        long ow = delta.size(3);
        weightGradient(x, delta, k, s, dW, db);
        if (s == 1 && k % 2 == 1) {
            // dx = delta convolved with the kernel turned by 180° and with in and out swapped.
            INDArray flipped = Nd4j.createUninitialized(w.dataType(), k, k, cIn, cOut);
            Nd4j.exec(DynamicCustomOp.builder("reverse").addInputs(w).addOutputs(flipped)
                    .addIntegerArguments(0, 1).build());
            INDArray wt = flipped.permute(0, 1, 3, 2).dup('c');
            Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(delta, wt).addOutputs(dx)
                    .addIntegerArguments(k, k, 1, 1, 0, 0, 1, 1, 1, 0, 0).build());
        } else {
            // dcol[n] = Wᵀ·delta[n], rows (in, ky, kx) as im2col lays them out, summed back into the image.
            INDArray wRows = w.permute(3, 2, 0, 1).dup('c').reshape(1, cOut, cIn * k * k);
            INDArray dcol = Nd4j.matmul(Nd4j.tile(wRows, (int) n, 1, 1), delta.reshape(n, cOut, oh * ow), true,
                    false, false);
            Nd4j.exec(DynamicCustomOp.builder("col2im").addInputs(dcol.reshape(n, cIn, k, k, oh, ow)).addOutputs(dx)
                    .addIntegerArguments(s, s, pad(h, oh, k, s), pad(x.size(3), ow, k, s), (int) h, (int) x.size(3), 1, 1, 1)
                    .build());
        }
    }

    /**
     * Only the parameters' gradients dW and db, by the same matrix products (any channel counts): for a layer
     * whose input gradient nobody needs ({@link FastConvolution#withoutInputGradient()}).
     */
    static void weightGradient(INDArray x, INDArray delta, int k, int s, INDArray dW, INDArray db) {
        if (s == 1 && k % 2 == 1 && delta.size(1) < x.size(1)) {
            weightGradientFromDelta(x, delta, k, dW);
        } else {
            weightGradientFromInput(x, delta, k, s, pad(x.size(2), delta.size(2), k, s), dW);
        }
        db.assign(delta.sum(0, 2, 3));
    }

    /** The top (left) padding of a "same" convolution, as conv2d computes it. */
    private static int pad(long in, long out, int k, int s) {
        return (int) Math.max(0, ((out - 1) * s + k - in) / 2);
    }

    /** dW[ky, kx, i, o] = Σ_n Σ_p delta[n, o, p]·col[n, (i, ky, kx), p], col the im2col of x. */
    private static void weightGradientFromInput(INDArray x, INDArray delta, int k, int s, int pad, INDArray dW) {
        long n = x.size(0);
        long cIn = x.size(1);
        long cOut = delta.size(1);
        long oh = delta.size(2);
        long ow = delta.size(3);
        INDArray col = Nd4j.createUninitialized(x.dataType(), n, cIn, k, k, oh, ow);
        Nd4j.exec(DynamicCustomOp.builder("im2col").addInputs(x).addOutputs(col)
                .addIntegerArguments(k, k, s, s, pad, pad, 1, 1, 1).addFloatingPointArguments(0.0).build());
        INDArray perImage = Nd4j.matmul(delta.reshape(n, cOut, oh * ow), col.reshape(n, cIn * k * k, oh * ow), false,
                true, false);
        dW.assign(perImage.sum(0).reshape(cOut, cIn, k, k).permute(2, 3, 1, 0));
    }

    /**
     * At stride 1: dW[ky, kx, i, o] = Σ_n Σ_p x[n, i, p]·col[n, (o, k−1−ky, k−1−kx), p], col the im2col of delta
     * (padded by (k−1)/2, so each window holds the outputs that pixel p fed).
     */
    private static void weightGradientFromDelta(INDArray x, INDArray delta, int k, INDArray dW) {
        long n = x.size(0);
        long cIn = x.size(1);
        long cOut = delta.size(1);
        long pixels = x.size(2) * x.size(3);
        int pad = (k - 1) / 2;
        INDArray col = Nd4j.createUninitialized(x.dataType(), n, cOut, k, k, x.size(2), x.size(3));
        Nd4j.exec(DynamicCustomOp.builder("im2col").addInputs(delta).addOutputs(col)
                .addIntegerArguments(k, k, 1, 1, pad, pad, 1, 1, 1).addFloatingPointArguments(0.0).build());
        INDArray perImage = Nd4j.matmul(col.reshape(n, cOut * k * k, pixels), x.reshape(n, cIn, pixels), false, true,
                false);
        INDArray sum = perImage.sum(0).reshape(cOut, k, k, cIn);
        INDArray flipped = sum.ulike();
        Nd4j.exec(DynamicCustomOp.builder("reverse").addInputs(sum).addOutputs(flipped).addIntegerArguments(1, 2).build());
        dW.assign(flipped.permute(1, 2, 3, 0));
    }
}
