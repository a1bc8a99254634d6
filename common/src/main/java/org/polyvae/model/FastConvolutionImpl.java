package org.polyvae.model;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.LeakyReLUDerivative;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runtime side of {@link FastConvolution}: ND4J's conv2d forward and conv2d_bp backward ops called directly.
 * It inherits DL4J's SameDiff-layer parameter handling (views into the flattened parameter and gradient
 * vectors) but not its SameDiff execution, whose M2 backward returns twice the true gradient (checked
 * against finite differences in FastConvolutionTest).
 */
final class FastConvolutionImpl extends SameDiffLayer {

    /**
     * What the backward pass needs from the last training forward pass, so it need not run the convolution
     * again: the layer's output for a leaky ReLU (whose derivative the output's sign gives), a copy of the
     * pre-activation for other nonlinear activations, nothing for the identity. Both live in the activations
     * workspace, which DL4J keeps open from the forward pass through backpropagation; {@link #cachedFor} is
     * the input they belong to, so a backward pass after any other forward pass recomputes instead.
     */
    private INDArray cachedOutput;
    private INDArray cachedPreOutput;
    private INDArray cachedFor;

    FastConvolutionImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private FastConvolution c() {
        return (FastConvolution) layerConf();
    }

    /** conv2d integer arguments: kernel, stride, no explicit padding, dilation 1, SAME, NCHW, [k,k,in,out] weights. */
    private int[] args() {
        FastConvolution c = c();
        return new int[] {c.getKernel(), c.getKernel(), c.getStride(), c.getStride(), 0, 0, 1, 1, 1, 0, 0};
    }

    private INDArray preOutput(INDArray x, INDArray out) {
        Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(x, paramTable.get("W"), paramTable.get("b"))
                .addOutputs(out).addIntegerArguments(args()).build());
        return out;
    }

    private long[] outputShape(INDArray x) {
        long s = c().getStride();
        return new long[] {x.size(0), c().getNOut(), (x.size(2) + s - 1) / s, (x.size(3) + s - 1) / s};
    }

    private INDArray contiguousInput() {
        INDArray x = input.dataType() == dataType ? input : input.castTo(dataType);
        return x.isView() || x.ordering() != 'c' ? x.dup('c') : x;
    }

    private IActivation activationFn() {
        return c().getActivation().getActivationFunction();
    }

    /** Writes into the parameter view (the SameDiff implementation would only update its own graph). */
    @Override
    public void setParam(String key, INDArray val) {
        INDArray p = paramTable.get(key);
        if (p == null) {
            throw new IllegalArgumentException("FastConvolution has parameters W and b, not '" + key + "'");
        }
        if (p.length() != val.length()) {
            throw new IllegalArgumentException("parameter " + key + " has shape " + java.util.Arrays.toString(p.shape())
                    + ", got " + java.util.Arrays.toString(val.shape()));
        }
        p.assign(val.reshape(p.shape()));
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
        assertInputSet(false);
        INDArray x = contiguousInput();
        INDArray z = mgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, outputShape(x), 'c');
        preOutput(x, z);
        clearCache();
        IActivation act = activationFn();
        if (training && !(act instanceof ActivationIdentity) && leakyAlpha(act) < 0) {
            cachedPreOutput = mgr.dup(ArrayType.ACTIVATIONS, z);
        }
        INDArray out = act.getActivation(z, training);
        if (training) {
            cachedOutput = out;
            cachedFor = input;
        }
        return out;
    }

    /** The slope of a leaky ReLU with a non-negative slope (out &gt; 0 exactly when z &gt; 0), else −1. */
    private static double leakyAlpha(IActivation act) {
        return act instanceof ActivationLReLU l && l.getAlpha() >= 0 ? l.getAlpha() : -1;
    }

    private void clearCache() {
        cachedOutput = null;
        cachedPreOutput = null;
        cachedFor = null;
    }

    /** dL/dz from dL/d(output), from what the forward pass left if it saw this input, else recomputing z. */
    private INDArray delta(INDArray x, INDArray epsilon) {
        IActivation act = activationFn();
        INDArray eps = epsilon.isView() || epsilon.ordering() != 'c' ? epsilon.dup('c') : epsilon;
        if (act instanceof ActivationIdentity) {
            return eps;
        }
        boolean cached = cachedFor == input;
        double alpha = leakyAlpha(act);
        if (cached && alpha >= 0 && cachedOutput != null) {
            // The slope per pixel, then times eps: two of ND4J's elementwise ops, where its fused LeakyReLUBp op
            // is several times slower than both together.
            INDArray d = Nd4j.createUninitialized(dataType, eps.shape());
            Nd4j.exec(new LeakyReLUDerivative(cachedOutput, d, alpha));
            return d.muli(eps);
        }
        INDArray z = cached && cachedPreOutput != null ? cachedPreOutput
                : preOutput(x, Nd4j.createUninitialized(dataType, outputShape(x)));
        // IActivation.backprop may work in place on its arguments, and epsilon is DL4J's.
        return act.backprop(z, epsilon.dup('c')).getFirst();
    }

    /**
     * conv2d_bp for a 1×1, stride-1 convolution as two matrix products over the pixels: oneDNN's 1×1
     * backward-weights kernel is pathologically slow for few output channels (the latent heads have 4, the
     * discriminator's logit 1), while as a gemm these are tiny. A channels-major copy of x and a pixels-major
     * copy of delta make both products plain 2-D: dW = x·delta over the [n·h·w] pixels, dx = delta·Wᵀ,
     * db = Σ delta. Both go through {@code mmul} (ND4J's BLAS), not {@code Nd4j.gemm}, which M2 hands to
     * oneDNN's matmul: for dW's long reduction into a 64 × 4 result that kernel is over ten times slower.
     */
    private void pointwiseBackprop(INDArray x, INDArray delta, INDArray dx, INDArray dW, INDArray db) {
        long n = x.size(0);
        long cIn = x.size(1);
        long cOut = delta.size(1);
        long pixels = n * x.size(2) * x.size(3);
        INDArray xColumns = x.permute(1, 0, 2, 3).dup('c').reshape(cIn, pixels);
        INDArray deltaRows = delta.permute(0, 2, 3, 1).dup('c').reshape(pixels, cOut);
        dW.assign(xColumns.mmul(deltaRows).reshape(dW.shape()));
        db.assign(delta.sum(0, 2, 3));
        INDArray dxRows = deltaRows.mmul(paramTable.get("W").reshape(cIn, cOut).transpose());
        dx.assign(dxRows.reshape(n, x.size(2), x.size(3), cIn).permute(0, 3, 1, 2));
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        assertInputSet(true);
        INDArray x = contiguousInput();
        INDArray delta = delta(x, epsilon);
        clearCache();
        INDArray dW = Nd4j.createUninitialized(dataType, paramTable.get("W").shape());
        INDArray db = Nd4j.createUninitialized(dataType, paramTable.get("b").shape());
        // Without an input gradient the graph still passes one on (and adds it up where an input feeds two
        // vertices), so it gets zeros.
        INDArray dx = c().isInputGradient()
                ? mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c')
                : mgr.create(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c');
        if (!c().isInputGradient()) {
            NarrowConvolutionBackprop.weightGradient(x, delta, c().getKernel(), c().getStride(), dW, db);
        } else if (c().getKernel() == 1 && c().getStride() == 1) {
            pointwiseBackprop(x, delta, dx, dW, db);
        } else if (NarrowConvolutionBackprop.applies(c().getKernel(), x.size(1), delta.size(1))) {
            NarrowConvolutionBackprop.backprop(x, paramTable.get("W"), delta, c().getKernel(), c().getStride(), dx, dW,
                    db);
        } else {
            Nd4j.exec(DynamicCustomOp.builder("conv2d_bp")
                    .addInputs(x, paramTable.get("W"), paramTable.get("b"), delta)
                    .addOutputs(dx, dW, db).addIntegerArguments(args()).build());
        }
        Gradient g = new DefaultGradient(gradients);
        g.gradientForVariable().put("W", gradTable.get("W").assign(dW));
        g.gradientForVariable().put("b", gradTable.get("b").assign(db));
        return new Pair<>(g, dx);
    }
}
