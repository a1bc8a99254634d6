package org.polyvae.job.evaluate;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.polyvae.job.spark.ModelPartitions;

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
        double[] d2 = ModelPartitions.of(sc, flat, f -> Queries.of(f, nq, pixels)).reduceBatches(trainBatchFiles,
                (q, p, batch) -> {
                    INDArray t = batch.getFeatures(0).castTo(DataType.FLOAT);
                    long n = t.size(0);
                    if (t.length() / n != pixels) {
                        throw new IllegalStateException("batch file " + p + " holds " + t.length() / n
                                + "-pixel images, the queries " + pixels + ": export and samples differ in resolution");
                    }
                    INDArray tm = t.reshape(n, pixels);
                    INDArray tNorm = tm.mul(tm).sum(1).reshape(1, n);
                    INDArray d = q.matrix().mmul(tm.transpose()).muli(-2).addiColumnVector(q.norms())
                            .addiRowVector(tNorm);
                    return List.of(d.min(1).castTo(DataType.DOUBLE).toDoubleVector());
                }, (a, b) -> {
                    double[] m = new double[a.length];
                    for (int i = 0; i < a.length; i++) {
                        m[i] = Math.min(a[i], b[i]);
                    }
                    return m;
                });
        return Arrays.stream(d2).map(v -> Math.sqrt(Math.max(0, v) / pixels)).toArray();
    }

    /** The queries as a [queries, pixels] matrix and their squared norms [queries, 1], built once per task. */
    private record Queries(INDArray matrix, INDArray norms) {
        static Queries of(float[] flat, int nq, int pixels) {
            INDArray qm = Nd4j.create(flat, new long[] {nq, pixels});
            return new Queries(qm, qm.mul(qm).sum(1).reshape(nq, 1));
        }
    }
}
