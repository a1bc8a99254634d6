package org.polyvae.job.data;

import java.io.IOException;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.util.SerializableConfiguration;
import org.polyvae.data.DatasetIndex;
import org.polyvae.data.DatasetScanner;
import org.polyvae.data.LabeledImage;
import org.polyvae.data.WindowClass;

/**
 * Reads the polysilicon dataset (or the synthetic one, same layout) from any Hadoop FileSystem into an RDD
 * of {@link LabeledImage}s. The driver lists the files and pairs images with labels ({@link DatasetScanner});
 * the executors read and decode the images.
 */
public final class DatasetReader {
    private DatasetReader() {
    }

    /**
     * @param rootUri       dataset root: any Hadoop URI, or a path on the default FileSystem (relative
     *                      local paths resolve against the driver's working directory)
     * @param classes       the window classes to read; a missing class folder is allowed (see
     *                      {@link DatasetIndex#missingClasses()}) as long as one exists
     * @param resolution    model resolution: images are area-averaged to resolution² pixels
     * @param numPartitions partitions to spread decoding over; ≤ 0 means the context's default parallelism
     * @throws org.polyvae.data.DatasetFormatException if the layout or the labels are wrong (before any
     *                                                  Spark job runs)
     */
    public static DatasetRdd read(JavaSparkContext sc, String rootUri, Set<WindowClass> classes, int resolution,
            int numPartitions) throws IOException {
        if (resolution < 1) {
            throw new IllegalArgumentException("resolution must be positive, got " + resolution);
        }
        return read(sc, DatasetScanner.scan(rootUri, classes, sc.hadoopConfiguration()), resolution, numPartitions);
    }

    /**
     * Decodes the images of an index already scanned on the driver, e.g. a {@link DatasetIndex#samplePerClass}
     * subset, so that only those files are read.
     */
    public static DatasetRdd read(JavaSparkContext sc, DatasetIndex index, int resolution, int numPartitions) {
        if (resolution < 1) {
            throw new IllegalArgumentException("resolution must be positive, got " + resolution);
        }
        int partitions = numPartitions > 0 ? numPartitions : sc.defaultParallelism();
        partitions = Math.max(1, Math.min(partitions, index.size()));

        Broadcast<SerializableConfiguration> conf =
                sc.broadcast(new SerializableConfiguration(sc.hadoopConfiguration()));
        LongAccumulator skipped = sc.sc().longAccumulator("polyvae.data.undecodable");
        CollectionAccumulator<String> skippedPaths = sc.sc().collectionAccumulator("polyvae.data.undecodablePaths");
        JavaRDD<LabeledImage> images = sc.parallelize(index.entries(), partitions)
                .mapPartitions(new DecodeImages(conf, resolution, skipped, skippedPaths))
                .setName("polyvae dataset " + index.root() + " @" + resolution + "px");
        return new DatasetRdd(images, index, resolution, skipped, skippedPaths);
    }
}
