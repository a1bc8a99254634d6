package org.polyvae.job.train;

import org.polyvae.job.batches.VaeBatchLoader;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.polyvae.job.spark.ModelPartitions;
import org.polyvae.model.VaeLoss;

/**
 * Scores batch files on the executors with the current parameters: the negative ELBO per image split
 * into its reconstruction and KL terms (and the adversarial term's discriminator loss, when the model has one),
 * as {@link VaeLoss} computes them: the same parameters at the same step always give the same figure.
 */
final class LossEvaluator {
    /**
     * Per-image means; {@code adversarial} is the discriminator's cross-entropy over the image's and its
     * reconstruction's patches (NaN without the adversarial term), reported beside the negative ELBO, not in it.
     */
    record Loss(double reconstruction, double kl, double adversarial, long images) {
        double total() {
            return reconstruction + kl;
        }
    }

    private final VaeBatchLoader loader;

    LossEvaluator(VaeBatchLoader loader) {
        this.loader = loader;
    }

    Loss evaluate(JavaSparkContext sc, ComputationGraph net, List<String> paths) {
        if (paths.isEmpty()) {
            return new Loss(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        VaeBatchLoader loader = this.loader;
        double[] sums = ModelPartitions.of(sc, new Snapshot(net.getConfiguration().toJson(), net.params().dup()),
                Snapshot::restore).reduceBatches(paths, (vae, path, file) -> {
                    MultiDataSet batch = loader.toVae(file);
                    long n = batch.getFeatures(0).size(0);
                    VaeLoss loss = VaeLoss.of(vae, batch);
                    return List.of(new double[] {loss.reconstruction() * n, loss.kl() * n, loss.adversarial() * n, n});
                }, (a, b) -> new double[] {a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]});
        return new Loss(sums[0] / sums[3], sums[1] / sums[3], sums[2] / sums[3], (long) sums[3]);
    }

    /** The network as it travels to the executors: its configuration and a copy of its parameters. */
    private record Snapshot(String configuration, INDArray params) implements Serializable {
        ComputationGraph restore() {
            ComputationGraph net = new ComputationGraph(ComputationGraphConfiguration.fromJson(configuration));
            net.init(params, false);
            return net;
        }
    }
}
