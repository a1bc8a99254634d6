package org.polyvae.job.data;

import java.io.IOException;
import java.net.URI;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.util.SerializableConfiguration;
import org.apache.spark.util.TaskCompletionListener;
import org.polyvae.io.HadoopFiles;
import org.polyvae.image.GrayImageDecoder;
import org.polyvae.data.ImageEntry;
import org.polyvae.io.DataFileSystems;
import org.polyvae.data.LabeledImage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executor side of {@link DatasetReader}: reads and decodes one partition of listed images. One decoder
 * (one JPEG reader) per partition; undecodable images are logged, counted and dropped together with their
 * label. Failing to <em>read</em> a file is not a decoding problem and fails the task, so Spark retries it.
 */
final class DecodeImages implements FlatMapFunction<Iterator<ImageEntry>, LabeledImage> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DecodeImages.class);

    private final Broadcast<SerializableConfiguration> hadoopConf;
    private final int resolution;
    private final LongAccumulator skipped;
    private final CollectionAccumulator<String> skippedPaths;

    DecodeImages(Broadcast<SerializableConfiguration> hadoopConf, int resolution, LongAccumulator skipped,
            CollectionAccumulator<String> skippedPaths) {
        this.hadoopConf = hadoopConf;
        this.resolution = resolution;
        this.skipped = skipped;
        this.skippedPaths = skippedPaths;
    }

    @Override
    public Iterator<LabeledImage> call(Iterator<ImageEntry> entries) throws IOException {
        GrayImageDecoder decoder = new GrayImageDecoder();
        TaskContext task = TaskContext.get();
        if (task != null) {
            // Also covers a consumer that stops early (take, first), which never exhausts the iterator.
            task.addTaskCompletionListener((TaskCompletionListener) context -> decoder.close());
        }
        return new Decoding(entries, decoder, hadoopConf.value().value());
    }

    private final class Decoding implements Iterator<LabeledImage> {
        private final Iterator<ImageEntry> entries;
        private final GrayImageDecoder decoder;
        private final Configuration conf;
        // FileSystem.get is cached already, but its key includes the current UGI, which is not free to
        // look up; a partition normally needs one FileSystem.
        private final Map<String, FileSystem> fileSystems = new HashMap<>();
        private LabeledImage next;

        Decoding(Iterator<ImageEntry> entries, GrayImageDecoder decoder, Configuration conf) {
            this.entries = entries;
            this.decoder = decoder;
            this.conf = conf;
        }

        @Override
        public boolean hasNext() {
            while (next == null && entries.hasNext()) {
                next = decodeOrSkip(entries.next());
            }
            return next != null;
        }

        @Override
        public LabeledImage next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            LabeledImage result = next;
            next = null;
            return result;
        }

        private LabeledImage decodeOrSkip(ImageEntry entry) {
            Path path = new Path(entry.path());
            byte[] bytes = readFully(path);
            try {
                float[] pixels = decoder.decode(bytes, resolution);
                return new LabeledImage(entry.windowClass(), entry.chunk(), entry.number(), entry.e11(), pixels);
            } catch (IOException e) {
                LOG.warn("skipping undecodable image {} (its label {} is dropped with it): {}", entry.path(),
                        entry.e11(), e.getMessage());
                skipped.add(1);
                skippedPaths.add(entry.path());
                return null;
            }
        }

        private byte[] readFully(Path path) {
            try {
                return HadoopFiles.readBytes(fileSystem(path), path);
            } catch (IOException e) {
                throw new DatasetReadException("could not read " + path, e);
            }
        }

        private FileSystem fileSystem(Path path) throws IOException {
            URI uri = path.toUri();
            String key = uri.getScheme() + "://" + uri.getAuthority();
            FileSystem fs = fileSystems.get(key);
            if (fs == null) {
                fs = DataFileSystems.get(path, conf);
                fileSystems.put(key, fs);
            }
            return fs;
        }
    }
}
