package org.polyvae.job.sample;

import java.io.IOException;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.polyvae.data.Seeds;
import org.polyvae.image.GrayImages;
import org.polyvae.job.output.TrainedModel;
import org.polyvae.model.AutoregressivePrior;
import org.polyvae.model.Decoders;
import org.polyvae.model.LatentPrior;
import org.polyvae.model.VaeArchitecture;
import org.polyvae.model.RegionDecoding;
import org.polyvae.model.VaeBatches;

/**
 * Draws and decodes samples by global index: sample i's latent vector comes from a java.util.Random seeded
 * with a hash of (seed, i), through the autoregressive prior when it draws the sample's class, else the
 * Gaussian learned prior of its class when there is one (else N(0, I)), and
 * samples are decoded in fixed batches of {@link #BATCH} aligned to the
 * global index, so the driver and any partitioning of the work produce byte-identical images. A
 * conditional decoder draws sample i as window class {@code classes[i mod classes.length]}.
 */
final class LatentSampler {
    static final int BATCH = 50;

    private final ComputationGraph decoder;
    private final int codeLength;
    private final long seed;
    private final double temperature;
    private final int[] classes;
    private final LatentPrior prior;
    private final AutoregressivePrior codePrior;
    private final Double e11Target;
    private RegionDecoding.Split split;
    private RegionDecoding.Cleanup cleanup = RegionDecoding.Cleanup.NONE;
    /** The codes of the last aligned batch the autoregressive prior drew (it draws a batch at a time). */
    private int drawnBatch = -1;
    private double[][] drawn;

    /**
     * @param classes window sizes (µm) to draw in turn; must be non-empty for a conditional decoder and empty
     *                for an unconditional one
     * @param prior   the learned prior to draw z from (scaled by the temperature about its class's mean), or
     *                null for N(0, temperature² I)
     * @param e11Target E11 (GPa) to draw z given (the learned prior's Gaussian conditional), or null
     */
    LatentSampler(byte[] decoderZip, int codeLength, long seed, double temperature, int[] classes, LatentPrior prior,
            AutoregressivePrior codePrior, Double e11Target) throws IOException {
        this(TrainedModel.restore(decoderZip), codeLength, seed, temperature, classes, prior, codePrior, e11Target);
    }

    /**
     * @param codeLength the length of z ({@link org.polyvae.config.ModelSettings#codeLength()} of the model)
     * @param codePrior  the autoregressive prior to draw z from instead for the classes it draws (its mixtures'
     *                   spread scaled by the temperature), or null; the other classes need {@code prior}
     */
    LatentSampler(ComputationGraph decoder, int codeLength, long seed, double temperature, int[] classes,
            LatentPrior prior, AutoregressivePrior codePrior, Double e11Target) {
        this.decoder = decoder;
        this.codeLength = codeLength;
        this.seed = seed;
        this.temperature = temperature;
        this.classes = classes.clone();
        this.prior = prior;
        this.codePrior = codePrior;
        this.e11Target = e11Target;
        if (e11Target != null && prior == null) {
            throw new IllegalArgumentException("drawing toward E11 = " + e11Target + " GPa needs the learned prior");
        }
        if (codePrior != null) {
            if (codePrior.codeLength() != codeLength) {
                throw new IllegalArgumentException("the autoregressive prior draws codes of length "
                        + codePrior.codeLength() + ", the decoder takes " + codeLength);
            }
            for (int um : classes) {
                if (!codePrior.covers(um) && prior == null) {
                    throw new IllegalArgumentException("the autoregressive prior has no " + um + " µm class (it "
                            + "draws " + java.util.Arrays.toString(codePrior.classes()) + " µm), and no learned "
                            + "prior was given to draw it from");
                }
            }
            if (codePrior.unconditional() != (classes.length == 0)) {
                throw new IllegalArgumentException("the autoregressive prior is " + (codePrior.unconditional()
                        ? "unconditional" : "conditional") + ", the decoder is not");
            }
        }
        if (VaeArchitecture.isConditional(decoder) == (classes.length == 0)) {
            throw new IllegalArgumentException(classes.length == 0 ? "a conditional decoder needs window classes to draw"
                    : "an unconditional decoder cannot draw requested classes " + java.util.Arrays.toString(classes));
        }
        if (prior != null) {
            if (prior.codeLength() != codeLength) {
                throw new IllegalArgumentException("the learned prior draws codes of length " + prior.codeLength()
                        + ", the decoder takes " + codeLength);
            }
            for (int um : classes) {
                prior.component(um);
            }
        }
    }

    boolean conditional() {
        return classes.length > 0;
    }

    /** Window size (µm) of sample {@code index}; only for a conditional decoder. */
    int windowClass(int index) {
        return classes[index % classes.length];
    }

    /**
     * How region decoding finds the regions (polyvae.sample.regions, basin-merge) and what it does with small and
     * thin ones (min-region-pixels, absorb-thin-regions); needed before a region-decoding decoder decodes.
     */
    LatentSampler withDecoding(RegionDecoding.Split split, RegionDecoding.Cleanup cleanup) {
        this.split = java.util.Objects.requireNonNull(split, "split");
        this.cleanup = java.util.Objects.requireNonNull(cleanup, "cleanup");
        return this;
    }

    /** The E11 (GPa) the codes are drawn toward, or null. */
    Double e11Target() {
        return e11Target;
    }

    int codeLength() {
        return codeLength;
    }

    /** Whether sample {@code index} is drawn from the autoregressive prior. */
    private boolean autoregressive(int index) {
        return codePrior != null && (!conditional() || codePrior.covers(windowClass(index)));
    }

    double[] latent(int index) {
        if (autoregressive(index)) {
            return drawnBatch(index / BATCH)[index % BATCH].clone();
        }
        Random r = new Random(Seeds.sample(seed, index));
        if (prior != null) {
            int um = conditional() ? windowClass(index) : LatentPrior.ALL_CLASSES;
            return e11Target != null ? prior.sampleGivenE11(um, e11Target, r, temperature)
                    : prior.sample(um, r, temperature);
        }
        double[] z = new double[codeLength];
        for (int j = 0; j < codeLength; j++) {
            z[j] = temperature * r.nextGaussian();
        }
        return z;
    }

    /**
     * The autoregressive prior's codes of aligned batch {@code b}, indexed by position in the batch (null where
     * the sample's class is drawn from the Gaussian). Indices b·BATCH up to the count's end are not known here,
     * so a whole batch is drawn: each sample from its own seeded random numbers, so a sample's code does not
     * depend on which others share its batch, and a batch's samples of the prior's classes are always drawn
     * together, so they do not depend on float rounding of other batch shapes either.
     */
    private synchronized double[][] drawnBatch(int b) {
        if (drawnBatch != b) {
            int[] at = java.util.stream.IntStream.range(0, BATCH).filter(i -> autoregressive(b * BATCH + i)).toArray();
            int[] um = new int[at.length];
            for (int k = 0; k < at.length; k++) {
                um[k] = conditional() ? windowClass(b * BATCH + at[k]) : 0;
            }
            double[][] codes = codePrior.sample(um, k -> new Random(Seeds.sample(seed, b * BATCH + at[k])),
                    temperature);
            drawn = new double[BATCH][];
            for (int k = 0; k < at.length; k++) {
                drawn[at[k]] = codes[k];
            }
            drawnBatch = b;
        }
        return drawn;
    }

    /** Decodes samples [from, to) — within one aligned batch — to 8-bit gray images (row-major). */
    byte[][] decode(int from, int to) {
        int n = to - from;
        float[] z = new float[n * codeLength];
        for (int i = 0; i < n; i++) {
            double[] v = latent(from + i);
            for (int j = 0; j < codeLength; j++) {
                z[i * codeLength + j] = (float) v[j];
            }
        }
        INDArray zs = Nd4j.create(z, new long[] {n, codeLength}, DataType.FLOAT);
        if (split == null && Decoders.regionDecoding(decoder)) {
            throw new IllegalStateException("a region-decoding decoder needs withDecoding(split, cleanup) first");
        }
        INDArray out;
        if (conditional()) {
            int[] um = new int[n];
            for (int i = 0; i < n; i++) {
                um[i] = windowClass(from + i);
            }
            out = Decoders.decode(decoder, zs, VaeBatches.oneHot(um), split, cleanup);
        } else {
            out = Decoders.decode(decoder, zs, null, split, cleanup);
        }
        int pixels = (int) (out.length() / n);
        float[] p = out.castTo(DataType.FLOAT).dup('c').data().asFloat();
        byte[][] images = new byte[n][pixels];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < pixels; k++) {
                images[i][k] = GrayImages.toByte(p[i * pixels + k]);
            }
        }
        return images;
    }
}
