package org.polyvae.job.evaluate;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.polyvae.image.GrayImageDecoder;
import org.polyvae.image.GrayImages;
import org.polyvae.job.batches.VaeBatchLoader;

/**
 * Runs the judge on the executors: over exported batch files (real images with their labels) or over image
 * files (generated samples, decoded to the model resolution). The judge's bytes travel once per executor
 * as a broadcast; each task restores it once.
 */
final class JudgeScoring {
    /** Images per forward pass when scoring image files. */
    private static final int CHUNK = 64;

    private JudgeScoring() {
    }

    /** Every image of the given batch files, in file order. */
    static List<Scored> batchFiles(JavaSparkContext sc, Judge judge, List<String> files) {
        if (files.isEmpty()) {
            return List.of();
        }
        Broadcast<Judge> b = sc.broadcast(judge);
        SerializableConfiguration conf = new SerializableConfiguration(sc.hadoopConfiguration());
        FlatMapFunction<Iterator<String>, Scored> work = paths -> {
            List<Scored> out = new ArrayList<>();
            if (!paths.hasNext()) {
                return out.iterator();
            }
            Judge j = b.value();
            ComputationGraph net = j.restore();
            while (paths.hasNext()) {
                String p = paths.next();
                Path path = new Path(p);
                MultiDataSet batch;
                try (InputStream in = path.getFileSystem(conf.value()).open(path)) {
                    batch = VaeBatchLoader.read(in, p);
                }
                INDArray x = batch.getFeatures(0);
                INDArray meta = batch.getLabels(0);
                Judge.Output o = j.apply(net, x);
                float[][] px = Judge.rows(x);
                int size = (int) x.size(2);
                for (int i = 0; i < px.length; i++) {
                    int um = meta.getInt(i, 0);
                    int c = j.classIndex(um);
                    if (c < 0) {
                        throw new IOException("batch file " + p + " holds a " + um + " µm image; the judge knows "
                                + java.util.Arrays.toString(j.micrometres()) + " µm");
                    }
                    out.add(new Scored(new Path(p).getName() + "#" + i, c, meta.getDouble(i, 1), o.probabilities()[i],
                            o.e11()[i], o.features()[i], GrayImages.toBytes(px[i]), size));
                }
            }
            return out.iterator();
        };
        List<Scored> all = sc.parallelize(files, Math.max(1, Math.min(files.size(), 4 * sc.defaultParallelism())))
                .mapPartitions(work).collect();
        b.destroy();
        return all;
    }

    /** Image files (PNG, JPEG, ...) decoded to {@code resolution}², in the order given. */
    static List<Scored> imageFiles(JavaSparkContext sc, Judge judge, List<String> files, int resolution) {
        if (files.isEmpty()) {
            return List.of();
        }
        Broadcast<Judge> b = sc.broadcast(judge);
        SerializableConfiguration conf = new SerializableConfiguration(sc.hadoopConfiguration());
        FlatMapFunction<Iterator<String>, Scored> work = paths -> {
            List<Scored> out = new ArrayList<>();
            if (!paths.hasNext()) {
                return out.iterator();
            }
            Judge j = b.value();
            ComputationGraph net = j.restore();
            List<String> names = new ArrayList<>();
            List<float[]> images = new ArrayList<>();
            try (GrayImageDecoder decoder = new GrayImageDecoder()) {
                while (paths.hasNext()) {
                    String p = paths.next();
                    Path path = new Path(p);
                    byte[] bytes;
                    try (InputStream in = path.getFileSystem(conf.value()).open(path)) {
                        bytes = in.readAllBytes();
                    }
                    try {
                        images.add(decoder.decode(bytes, resolution));
                    } catch (IOException | RuntimeException e) {
                        throw new IOException("cannot decode generated image " + p + ": " + e.getMessage(), e);
                    }
                    names.add(path.getName());
                    if (images.size() == CHUNK || !paths.hasNext()) {
                        score(j, net, names, images, resolution, out);
                        names.clear();
                        images.clear();
                    }
                }
            }
            return out.iterator();
        };
        List<Scored> all = sc.parallelize(files, Math.max(1, Math.min(files.size() / CHUNK + 1, 4 * sc.defaultParallelism())))
                .mapPartitions(work).collect();
        b.destroy();
        return all;
    }

    private static void score(Judge j, ComputationGraph net, List<String> names, List<float[]> images, int size,
            List<Scored> out) {
        float[] flat = new float[images.size() * size * size];
        for (int i = 0; i < images.size(); i++) {
            System.arraycopy(images.get(i), 0, flat, i * size * size, size * size);
        }
        Judge.Output o = j.apply(net, Nd4j.create(flat, new long[] {images.size(), 1, size, size}));
        for (int i = 0; i < images.size(); i++) {
            out.add(new Scored(names.get(i), -1, Double.NaN, o.probabilities()[i], o.e11()[i], o.features()[i],
                    GrayImages.toBytes(images.get(i)), size));
        }
    }

}
