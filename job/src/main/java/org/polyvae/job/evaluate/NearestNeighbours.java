package org.polyvae.job.evaluate;

import java.io.InputStream;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.polyvae.job.batches.VaeBatchLoader;

/**
 * The memorisation check: for each query image, the distance to its nearest image in the training split,
 * as the root-mean-square pixel difference (gray in [0, 1]). The queries travel as one broadcast; every
 * task scans its batch files with one matrix product per file (|q|² + |t|² − 2 q·t), and the per-task
 * minima are reduced element-wise.
 */
final class NearestNeighbours {
    private NearestNeighbours() {
    }

    static double[] rmsDistances(JavaSparkContext sc, List<String> trainBatchFiles, List<float[]> queries) {
        if (queries.isEmpty()) {
            return new double[0];
        }
        if (trainBatchFiles.isEmpty()) {
            throw new IllegalArgumentException("no training batch files to compare with");
        }
        int pixels = queries.get(0).length;
        float[] flat = new float[queries.size() * pixels];
        for (int i = 0; i < queries.size(); i++) {
            if (queries.get(i).length != pixels) {
                throw new IllegalArgumentException("query " + i + " has " + queries.get(i).length + " pixels, expected "
                        + pixels);
            }
            System.arraycopy(queries.get(i), 0, flat, i * pixels, pixels);
        }
        int nq = queries.size();
        Broadcast<float[]> q = sc.broadcast(flat);
        SerializableConfiguration conf = new SerializableConfiguration(sc.hadoopConfiguration());
        FlatMapFunction<Iterator<String>, double[]> work = paths -> {
            double[] best = new double[nq];
            Arrays.fill(best, Double.POSITIVE_INFINITY);
            if (!paths.hasNext()) {
                return List.of(best).iterator();
            }
            INDArray qm = Nd4j.create(q.value(), new long[] {nq, pixels});
            INDArray qNorm = qm.mul(qm).sum(1).reshape(nq, 1);
            while (paths.hasNext()) {
                String p = paths.next();
                Path path = new Path(p);
                INDArray t;
                try (InputStream in = path.getFileSystem(conf.value()).open(path)) {
                    t = VaeBatchLoader.read(in, p).getFeatures(0).castTo(DataType.FLOAT);
                }
                long n = t.size(0);
                if (t.length() / n != pixels) {
                    throw new IllegalStateException("batch file " + p + " holds " + t.length() / n
                            + "-pixel images, the queries " + pixels + ": export and samples differ in resolution");
                }
                INDArray tm = t.reshape(n, pixels);
                INDArray tNorm = tm.mul(tm).sum(1).reshape(1, n);
                INDArray d2 = qm.mmul(tm.transpose()).muli(-2).addiColumnVector(qNorm).addiRowVector(tNorm);
                double[] min = d2.min(1).castTo(DataType.DOUBLE).toDoubleVector();
                for (int i = 0; i < nq; i++) {
                    best[i] = Math.min(best[i], min[i]);
                }
            }
            return List.of(best).iterator();
        };
        int slices = Math.max(1, Math.min(trainBatchFiles.size(), 4 * sc.defaultParallelism()));
        double[] d2 = sc.parallelize(trainBatchFiles, slices).mapPartitions(work).reduce((a, b) -> {
            double[] m = new double[a.length];
            for (int i = 0; i < a.length; i++) {
                m[i] = Math.min(a[i], b[i]);
            }
            return m;
        });
        q.destroy();
        return Arrays.stream(d2).map(v -> Math.sqrt(Math.max(0, v) / pixels)).toArray();
    }
}
