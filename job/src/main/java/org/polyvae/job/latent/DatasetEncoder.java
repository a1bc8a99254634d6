package org.polyvae.job.latent;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.polyvae.job.batches.VaeBatchLoader;
import org.polyvae.job.spark.ModelPartitions;
import org.polyvae.metrics.GrainStatistics;
import org.polyvae.model.VaeArchitecture;

/**
 * Encodes every exported batch file (training and validation) on the executors with the trained VAE:
 * per image the posterior mean and log-variance, its class and E11 (carried in the batch files) and three
 * measured features, mean gray, grains per image and their mean area (as on the reference figure). A conditional VAE is
 * given each image's true class, so mu is the code of q(z | x, c).
 */
public final class DatasetEncoder {
    private DatasetEncoder() {
    }

    public static List<EncodedImage> encode(JavaSparkContext sc, byte[] vaeZip, List<String> batchFiles) {
        return ModelPartitions.of(sc, vaeZip, DatasetEncoder::restore).mapBatches(batchFiles, DatasetEncoder::encode);
    }

    /** The VAE and whether it is conditional (checked once per task). */
    private record Encoder(ComputationGraph vae, boolean conditional) {
    }

    private static Encoder restore(byte[] vaeZip) throws IOException {
        ComputationGraph vae = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(vaeZip), false);
        return new Encoder(vae, VaeArchitecture.isConditional(vae));
    }

    private static List<EncodedImage> encode(Encoder encoder, String path, MultiDataSet batch) {
        INDArray x = batch.getFeatures(0);
        INDArray meta = batch.getLabels(0);
        INDArray[] inputs = encoder.conditional() ? new INDArray[] {x, VaeBatchLoader.classes(batch)}
                : new INDArray[] {x};
        INDArray posterior = VaeArchitecture.posterior(encoder.vae(), inputs).castTo(DataType.FLOAT);
        int n = (int) x.size(0);
        int size = (int) x.size(2);
        int d = (int) posterior.size(1) / 2;
        float[] px = x.castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[] post = posterior.dup('c').data().asFloat();
        List<EncodedImage> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] img = Arrays.copyOfRange(px, i * size * size, (i + 1) * size * size);
            double mean = 0;
            for (float v : img) {
                mean += v;
            }
            int[] areas = GrainStatistics.grainAreas(img, size, GrainStatistics.REFERENCE_JUMP_THRESHOLD,
                    GrainStatistics.REFERENCE_MIN_AREA);
            double meanArea = areas.length == 0 ? 0 : java.util.Arrays.stream(areas).average().orElse(0);
            out.add(new EncodedImage(meta.getInt(i, 0), meta.getDouble(i, 1), 255 * mean / img.length, areas.length,
                    meanArea,
                    Arrays.copyOfRange(post, i * 2 * d, i * 2 * d + d),
                    Arrays.copyOfRange(post, i * 2 * d + d, (i + 1) * 2 * d)));
        }
        return out;
    }
}
