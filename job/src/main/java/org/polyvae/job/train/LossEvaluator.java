package org.polyvae.job.train;

import org.polyvae.job.batches.VaeBatchLoader;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.polyvae.model.VaeArchitecture;

/**
 * Scores batch files on the executors with the current parameters: the negative ELBO per image split
 * into its reconstruction and KL terms. Uses a training-mode forward pass (z sampled, as in the loss being
 * optimised) with the noise seeded by the file name, so the same parameters always give the same figure.
 */
final class LossEvaluator {
    /** Per-image means. */
    record Loss(double reconstruction, double kl, long images) {
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
            return new Loss(Double.NaN, Double.NaN, 0);
        }
        Broadcast<String> conf = sc.broadcast(net.getConfiguration().toJson());
        Broadcast<INDArray> params = sc.broadcast(net.params().dup());
        SerializableConfiguration hadoop = new SerializableConfiguration(sc.hadoopConfiguration());
        int slices = Math.max(1, Math.min(paths.size(), sc.defaultParallelism()));
        double[] sums = sc.parallelize(paths, slices)
                .mapPartitions(new ScoreFiles(conf, params, hadoop, loader))
                .reduce((a, b) -> new double[] {a[0] + b[0], a[1] + b[1], a[2] + b[2]});
        conf.destroy();
        params.destroy();
        return new Loss(sums[0] / sums[2], sums[1] / sums[2], (long) sums[2]);
    }

    private static final class ScoreFiles implements FlatMapFunction<Iterator<String>, double[]> {
        private static final long serialVersionUID = 1L;
        private final Broadcast<String> conf;
        private final Broadcast<INDArray> params;
        private final SerializableConfiguration hadoop;
        private final VaeBatchLoader loader;

        ScoreFiles(Broadcast<String> conf, Broadcast<INDArray> params, SerializableConfiguration hadoop,
                VaeBatchLoader loader) {
            this.conf = conf;
            this.params = params;
            this.hadoop = hadoop;
            this.loader = loader;
        }

        @Override
        public Iterator<double[]> call(Iterator<String> paths) throws Exception {
            if (!paths.hasNext()) {
                return List.<double[]>of().iterator();
            }
            ComputationGraph net = new ComputationGraph(ComputationGraphConfiguration.fromJson(conf.value()));
            net.init(params.value(), false);
            double recon = 0;
            double kl = 0;
            double images = 0;
            while (paths.hasNext()) {
                String p = paths.next();
                Path path = new Path(p);
                FileSystem fs = path.getFileSystem(hadoop.value());
                MultiDataSet batch;
                try (InputStream in = fs.open(path)) {
                    batch = loader.toVae(VaeBatchLoader.read(in, p));
                }
                long n = batch.getFeatures(0).size(0);
                Nd4j.getRandom().setSeed(path.getName().hashCode());
                net.score(batch, true);
                // Each output layer keeps its own minibatch-mean score from the call above.
                recon += net.getLayer(VaeArchitecture.RECONSTRUCTION).score() * n;
                kl += net.getLayer(VaeArchitecture.KL).score() * n;
                images += n;
            }
            List<double[]> out = new ArrayList<>();
            out.add(new double[] {recon, kl, images});
            return out.iterator();
        }
    }
}
