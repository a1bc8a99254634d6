package org.polyvae.job.train;

import org.polyvae.job.batches.VaeBatchLoader;
import java.io.Serializable;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.polyvae.job.spark.ModelPartitions;
import org.polyvae.model.VaeArchitecture;

/**
 * Scores batch files on the executors with the current parameters: the negative ELBO per image split
 * into its reconstruction and KL terms (and the adversarial term's discriminator loss, when the model has one). Uses a training-mode forward pass (z sampled, as in the loss being
 * optimised) with the noise seeded by the file name, so the same parameters always give the same figure.
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
        boolean adversarial = net.getConfiguration().getNetworkOutputs().contains(VaeArchitecture.ADVERSARIAL);
        double[] sums = ModelPartitions.of(sc, new Snapshot(net.getConfiguration().toJson(), net.params().dup()),
                Snapshot::restore).reduceBatches(paths, (vae, path, file) -> {
                    MultiDataSet batch = loader.toVae(file);
                    long n = batch.getFeatures(0).size(0);
                    Nd4j.getRandom().setSeed(new Path(path).getName().hashCode());
                    vae.score(batch, true);
                    // Each output layer keeps its own minibatch-mean score from the call above.
                    return List.of(new double[] {VaeArchitecture.reconstructionScore(vae) * n,
                            vae.getLayer(VaeArchitecture.KL).score() * n,
                            adversarial ? vae.getLayer(VaeArchitecture.ADVERSARIAL).score() * n : Double.NaN, n});
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
