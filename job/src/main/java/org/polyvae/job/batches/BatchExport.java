package org.polyvae.job.batches;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.SerializableConfiguration;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.polyvae.config.ConfigError;
import org.polyvae.config.DataSettings;
import org.polyvae.config.TrainSettings;
import org.polyvae.data.DatasetIndex;
import org.polyvae.data.ImageEntry;
import org.polyvae.data.LabeledImage;
import org.polyvae.data.Seeds;
import org.polyvae.data.WindowClass;
import org.polyvae.io.AtomicOutput;
import org.polyvae.job.data.DatasetRdd;
import org.polyvae.job.data.DatasetReader;
import org.polyvae.job.output.Fingerprints;
import org.polyvae.job.output.OutputLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * DL4J's recommended practice for Spark training: decode the dataset once into minibatch files on the
 * shared file system ({@code <output.dir>/batches/{train,validation}/batch-PPPPP-NNNNN.bin}, one
 * MultiDataSet each) and train every epoch from their paths. The files are reused while the dataset and
 * the split settings are unchanged (recorded in {@code batches.conf}, compared as a Typesafe Config
 * without its image counts); otherwise they are rebuilt in a temporary folder and swapped in whole.
 */
public final class BatchExport {
    private static final Logger LOG = LoggerFactory.getLogger(BatchExport.class);
    /** The saved fingerprint's image counts: the export settings' fingerprint plus these. */
    private static final String TRAIN_IMAGES = "train-images";
    private static final String VALIDATION_IMAGES = "validation-images";

    /**
     * Paths of the exported batch files, the image counts behind them, and the training split's entries of
     * the dataset index (labels included) they were exported from.
     */
    public record Batches(List<String> train, List<String> validation, long trainImages, long validationImages,
            List<ImageEntry> trainEntries) {
    }

    private final DataSettings data;
    private final TrainSettings train;
    private final Path dir;

    public BatchExport(DataSettings data, TrainSettings train, OutputLayout layout) {
        this.data = data;
        this.train = train;
        this.dir = layout.batches();
    }

    public Batches ensure(JavaSparkContext sc) throws IOException {
        FileSystem fs = dir.getFileSystem(sc.hadoopConfiguration());
        DatasetRdd dataset = DatasetReader.read(sc, data.dir(), data.classes(), data.resolution(), 0);
        Config fingerprint = fingerprint(dataset.index());
        Path savedFile = OutputLayout.batchFingerprint(dir);
        Config saved = Fingerprints.read(fs, savedFile).withoutPath(TRAIN_IMAGES).withoutPath(VALIDATION_IMAGES);
        if (saved.equals(fingerprint)) {
            Batches b = list(fs, dataset.index());
            LOG.info("train: reusing {} training and {} validation batch files in {}", b.train().size(),
                    b.validation().size(), fs.makeQualified(dir));
            return b;
        }
        LOG.info("train: exporting {} images into minibatch files of {} under {}", dataset.index().size(),
                train.batchSize(), fs.makeQualified(dir));
        try (AtomicOutput out = AtomicOutput.begin(fs, dir, true, "polyvae.train")) {
            long[] counts = new long[2];
            double fraction = train.validationFraction();
            long splitSeed = train.splitSeed();
            // Decoded once, split twice.
            JavaRDD<LabeledImage> images = dataset.images().persist(StorageLevel.MEMORY_AND_DISK_SER());
            counts[0] = write(sc, images.filter(i -> !isValidation(i, fraction, splitSeed)),
                    OutputLayout.batches(out.tmp(), OutputLayout.TRAIN));
            counts[1] = write(sc, images.filter(i -> isValidation(i, fraction, splitSeed)),
                    OutputLayout.batches(out.tmp(), OutputLayout.VALIDATION));
            images.unpersist(false);
            if (dataset.skipped() > 0) {
                LOG.warn("train: {} undecodable images skipped: {}", dataset.skipped(), dataset.skippedPaths());
            }
            Config counted = fingerprint.withValue(TRAIN_IMAGES, ConfigValueFactory.fromAnyRef(counts[0]))
                    .withValue(VALIDATION_IMAGES, ConfigValueFactory.fromAnyRef(counts[1]));
            Fingerprints.write(fs, OutputLayout.batchFingerprint(out.tmp()),
                    "The batch files beside this were exported from this dataset with these settings.", counted);
            out.commit();
        }
        Batches b = list(fs, dataset.index());
        if (b.train().isEmpty()) {
            throw new ConfigError("no training images in " + data.dir() + ": polyvae.train.validation-fraction ("
                    + train.validationFraction() + ") leaves none for training");
        }
        return b;
    }

    static boolean isValidation(LabeledImage image, double fraction, long splitSeed) {
        return isValidation(image.windowClass(), image.number(), fraction, splitSeed);
    }

    static boolean isValidation(WindowClass windowClass, int imageNumber, double fraction, long splitSeed) {
        if (fraction <= 0) {
            return false;
        }
        return Seeds.uniform(Seeds.image(splitSeed, windowClass, imageNumber)) < fraction;
    }

    /** A deterministic shuffle (sort by a hash of class and number), then batches of batch-size per partition. */
    private long write(JavaSparkContext sc, JavaRDD<LabeledImage> images, Path target) throws IOException {
        int partitions = Math.max(1, sc.defaultParallelism());
        long seed = train.splitSeed();
        JavaRDD<LabeledImage> shuffled = images
                .mapToPair(i -> new Tuple2<>(Seeds.image(seed ^ 0x5DEECE66DL, i.windowClass(), i.number()), i))
                .sortByKey(true, partitions).values();
        SerializableConfiguration conf = new SerializableConfiguration(sc.hadoopConfiguration());
        String targetUri = target.toString();
        int batchSize = train.batchSize();
        Function2<Integer, Iterator<LabeledImage>, Iterator<Long>> writer = (part, it) -> {
            Path dirPath = new Path(targetUri);
            FileSystem fs = dirPath.getFileSystem(conf.value());
            List<LabeledImage> batch = new ArrayList<>(batchSize);
            long written = 0;
            int n = 0;
            while (it.hasNext()) {
                batch.add(it.next());
                if (batch.size() == batchSize || !it.hasNext()) {
                    Path file = new Path(dirPath, String.format(Locale.ROOT, "batch-%05d-%05d.bin", part, n++));
                    try (OutputStream os = fs.create(file, true)) {
                        toMultiDataSet(batch).save(os);
                    }
                    written += batch.size();
                    batch.clear();
                }
            }
            return List.of(written).iterator();
        };
        return shuffled.mapPartitionsWithIndex(writer, false).reduce(Long::sum);
    }

    static org.nd4j.linalg.dataset.MultiDataSet toMultiDataSet(List<LabeledImage> batch) {
        int res = batch.get(0).resolution();
        float[] pixels = new float[batch.size() * res * res];
        float[] meta = new float[batch.size() * 2];
        for (int i = 0; i < batch.size(); i++) {
            LabeledImage im = batch.get(i);
            System.arraycopy(im.pixels(), 0, pixels, i * res * res, res * res);
            meta[2 * i] = im.windowClass().micrometres();
            meta[2 * i + 1] = (float) im.e11();
        }
        INDArray features = Nd4j.create(pixels, new long[] {batch.size(), 1, res, res});
        INDArray labels = Nd4j.create(meta, new long[] {batch.size(), 2});
        return new org.nd4j.linalg.dataset.MultiDataSet(features, labels);
    }

    private Batches list(FileSystem fs, DatasetIndex index) throws IOException {
        List<String> t = files(fs, OutputLayout.batches(dir, OutputLayout.TRAIN));
        List<String> v = files(fs, OutputLayout.batches(dir, OutputLayout.VALIDATION));
        Config m = Fingerprints.read(fs, OutputLayout.batchFingerprint(dir));
        List<ImageEntry> trainEntries = index.entries().stream().filter(e -> !isValidation(e.windowClass(), e.number(),
                train.validationFraction(), train.splitSeed())).toList();
        return new Batches(t, v, count(m, TRAIN_IMAGES), count(m, VALIDATION_IMAGES), trainEntries);
    }

    private static long count(Config saved, String key) {
        return saved.hasPath(key) ? saved.getLong(key) : 0;
    }

    /** The batch files of one split ({@link OutputLayout#TRAIN} or {@link OutputLayout#VALIDATION}), sorted. */
    public static List<String> files(FileSystem fs, OutputLayout layout, String split) throws IOException {
        return files(fs, OutputLayout.batches(layout.batches(), split));
    }

    private static List<String> files(FileSystem fs, Path p) throws IOException {
        List<String> out = new ArrayList<>();
        if (fs.exists(p)) {
            for (FileStatus s : fs.listStatus(p)) {
                if (s.getPath().getName().endsWith(".bin")) {
                    out.add(s.getPath().toString());
                }
            }
        }
        out.sort(null);
        return out;
    }

    /**
     * What the exported batch files of {@code layout} hold (dataset, split and batch settings, image
     * counts): a fingerprint for models derived from them.
     */
    public static Config fingerprint(FileSystem fs, OutputLayout layout) throws IOException {
        return Fingerprints.read(fs, OutputLayout.batchFingerprint(layout.batches()));
    }

    /**
     * What the batch files depend on: the dataset's index and the split and batch settings. The label sum
     * (a cheap check that the labels are the same) is rounded so that summation noise does not count.
     */
    private Config fingerprint(DatasetIndex index) {
        double labelSum = index.entries().stream().mapToDouble(e -> e.e11()).sum();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", index.root());
        m.put("images", index.size());
        m.put("label-sum", Math.rint(labelSum * 1e6) / 1e6);
        m.put("resolution", data.resolution());
        m.put("batch-size", train.batchSize());
        m.put("validation-fraction", train.validationFraction());
        m.put("split-seed", train.splitSeed());
        return ConfigFactory.parseMap(m, "the batch files' fingerprint");
    }
}
