package org.polyvae.job.sample;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Random;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.polyvae.data.GrayImages;
import org.polyvae.job.synth.SynthPlan;
import org.polyvae.model.VaeArchitecture;

/**
 * Draws and decodes samples by global index: sample i's latent vector comes from a java.util.Random seeded
 * with a hash of (seed, i), and samples are decoded in fixed batches of {@link #BATCH} aligned to the
 * global index, so the driver and any partitioning of the work produce byte-identical images.
 */
final class LatentSampler {
    static final int BATCH = 50;

    private final ComputationGraph decoder;
    private final int codeLength;
    private final long seed;
    private final double temperature;

    LatentSampler(byte[] decoderZip, long seed, double temperature) throws IOException {
        this.decoder = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(decoderZip), false);
        this.codeLength = codeLength(decoder);
        this.seed = seed;
        this.temperature = temperature;
    }

    /** Length of z: the input width of the first decoder layer (dense) or of its reshape to a map (spatial). */
    static int codeLength(ComputationGraph decoder) {
        var conf = decoder.getConfiguration();
        for (var e : conf.getVertexInputs().entrySet()) {
            if (e.getValue().contains(VaeArchitecture.Z) && conf.getVertices().get(e.getKey()) instanceof LayerVertex v) {
                if (v.getPreProcessor() instanceof FeedForwardToCnnPreProcessor p) {
                    return (int) (p.getInputHeight() * p.getInputWidth() * p.getNumChannels());
                }
                if (v.getLayerConf().getLayer() instanceof FeedForwardLayer f) {
                    return (int) f.getNIn();
                }
            }
        }
        throw new IllegalStateException("not a polyvae decoder: no layer reads its input '" + VaeArchitecture.Z + "'");
    }

    int codeLength() {
        return codeLength;
    }

    static long sampleSeed(long seed, int index) {
        return SynthPlan.mix64(seed ^ SynthPlan.mix64(0x73616D706CL + index));
    }

    double[] latent(int index) {
        Random r = new Random(sampleSeed(seed, index));
        double[] z = new double[codeLength];
        for (int j = 0; j < codeLength; j++) {
            z[j] = temperature * r.nextGaussian();
        }
        return z;
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
        INDArray out = decoder.output(false, Nd4j.create(z, new long[] {n, codeLength}, DataType.FLOAT))[0];
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
