package org.polyvae.job.evaluate;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.polyvae.image.GrayImageDecoder;
import org.polyvae.image.GrayImages;
import org.polyvae.job.spark.ModelPartitions;

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

    /** The judge and its network, restored once per task. */
    private record Restored(Judge judge, ComputationGraph net) {
        static Restored of(Judge judge) throws IOException {
            return new Restored(judge, judge.restore());
        }
    }

    /** Every image of the given batch files, in file order. */
    static List<Scored> batchFiles(JavaSparkContext sc, Judge judge, List<String> files) {
        return ModelPartitions.of(sc, judge, Restored::of).mapBatches(files, (r, p, batch) -> {
            Judge j = r.judge();
            INDArray x = batch.getFeatures(0);
            INDArray meta = batch.getLabels(0);
            Judge.Output o = j.apply(r.net(), x);
            float[][] px = Judge.rows(x);
            int size = (int) x.size(2);
            List<Scored> out = new ArrayList<>(px.length);
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
            return out;
        });
    }

    /** Image files (PNG, JPEG, ...) decoded to {@code resolution}², in the order given. */
    static List<Scored> imageFiles(JavaSparkContext sc, Judge judge, List<String> files, int resolution) {
        return ModelPartitions.of(sc, judge, Restored::of).mapFiles(files, CHUNK, (r, paths, contents) -> {
            List<float[]> images = new ArrayList<>(paths.size());
            try (GrayImageDecoder decoder = new GrayImageDecoder()) {
                for (int i = 0; i < paths.size(); i++) {
                    try {
                        images.add(decoder.decode(contents.get(i), resolution));
                    } catch (IOException | RuntimeException e) {
                        throw new IOException("cannot decode generated image " + paths.get(i) + ": " + e.getMessage(),
                                e);
                    }
                }
            }
            List<String> names = paths.stream().map(p -> new Path(p).getName()).toList();
            List<Scored> out = new ArrayList<>(paths.size());
            score(r.judge(), r.net(), names, images, resolution, out);
            return out;
        });
    }

    /** Images already in memory ([0, 1] pixels, size²), scored on the driver: a few hundred at most. */
    static List<Scored> images(Judge judge, List<float[]> images, int size) throws IOException {
        ComputationGraph net = judge.restore();
        List<Scored> out = new ArrayList<>(images.size());
        for (int from = 0; from < images.size(); from += CHUNK) {
            int to = Math.min(images.size(), from + CHUNK);
            List<String> names = new ArrayList<>();
            for (int i = from; i < to; i++) {
                names.add("image-" + i);
            }
            score(judge, net, names, images.subList(from, to), size, out);
        }
        return out;
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
