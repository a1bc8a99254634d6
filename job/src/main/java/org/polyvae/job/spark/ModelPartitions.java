package org.polyvae.job.spark;

import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.polyvae.job.batches.VaeBatchLoader;
import org.polyvae.model.NativeThreads;

/**
 * Scoring passes on the executors: a shared value (a model's bytes, query images) travels once per
 * executor as a broadcast, each task turns it into its working form once ({@link Restore}: a network is
 * restored once per task, not per file) and maps the files of its partition; the results are collected in
 * file order or reduced.
 *
 * @param <S> what is broadcast
 * @param <M> what each task works with
 */
public final class ModelPartitions<S, M> {
    /** Turns the broadcast value into what a task works with, once per task. */
    @FunctionalInterface
    public interface Restore<S, M> extends Serializable {
        M restore(S shared) throws Exception;
    }

    /** Maps one exported batch file (as {@link VaeBatchLoader#read} returns it) to results. */
    @FunctionalInterface
    public interface BatchFunction<M, T> extends Serializable {
        List<T> apply(M model, String path, MultiDataSet batch) throws Exception;
    }

    /** Maps up to a chunk of files (their paths and bytes, in order) to results. */
    @FunctionalInterface
    public interface FilesFunction<M, T> extends Serializable {
        List<T> apply(M model, List<String> paths, List<byte[]> contents) throws Exception;
    }

    /** How a task reads one file. */
    private interface Reader<X> extends Serializable {
        X read(InputStream in, String path) throws Exception;
    }

    private final JavaSparkContext sc;
    private final S shared;
    private final Restore<S, M> restore;

    private ModelPartitions(JavaSparkContext sc, S shared, Restore<S, M> restore) {
        this.sc = sc;
        this.shared = shared;
        this.restore = restore;
    }

    public static <S, M> ModelPartitions<S, M> of(JavaSparkContext sc, S shared, Restore<S, M> restore) {
        return new ModelPartitions<>(sc, shared, restore);
    }

    /** Every result of every batch file, in file order. */
    public <T> List<T> mapBatches(List<String> batchFiles, BatchFunction<M, T> fn) {
        if (batchFiles.isEmpty()) {
            return List.of();
        }
        Broadcast<S> b = sc.broadcast(shared);
        try {
            return rdd(b, batchFiles, 1, VaeBatchLoader::read, (m, paths, batches) -> fn.apply(m, paths.get(0),
                    batches.get(0))).collect();
        } finally {
            b.destroy();
        }
    }

    /** The results of every batch file combined with {@code combine} (associative and commutative). */
    public <T> T reduceBatches(List<String> batchFiles, BatchFunction<M, T> fn, Function2<T, T, T> combine) {
        if (batchFiles.isEmpty()) {
            throw new IllegalArgumentException("no batch files to reduce over");
        }
        Broadcast<S> b = sc.broadcast(shared);
        try {
            return rdd(b, batchFiles, 1, VaeBatchLoader::read, (m, paths, batches) -> fn.apply(m, paths.get(0),
                    batches.get(0))).reduce(combine);
        } finally {
            b.destroy();
        }
    }

    /** Every result of the files read as bytes and handed out {@code chunk} at a time, in file order. */
    public <T> List<T> mapFiles(List<String> files, int chunk, FilesFunction<M, T> fn) {
        if (files.isEmpty()) {
            return List.of();
        }
        Broadcast<S> b = sc.broadcast(shared);
        try {
            return rdd(b, files, chunk, (in, path) -> in.readAllBytes(), fn::apply).collect();
        } finally {
            b.destroy();
        }
    }

    /**
     * The one partition count of a scoring pass: up to four tasks per core, so that a slow file or executor
     * does not hold up the pass, and never an empty task.
     */
    public static int partitions(int files, int parallelism) {
        return Math.max(1, Math.min(files, 4 * parallelism));
    }

    private <X, T> JavaRDD<T> rdd(Broadcast<S> b, List<String> paths, int chunk, Reader<X> reader,
            Chunk<M, X, T> fn) {
        SerializableConfiguration hadoop = new SerializableConfiguration(sc.hadoopConfiguration());
        Restore<S, M> r = restore;
        FlatMapFunction<Iterator<String>, T> task = it -> {
            List<T> out = new ArrayList<>();
            if (!it.hasNext()) {
                return out.iterator();
            }
            NativeThreads.useConfigured();
            M model = r.restore(b.value());
            List<String> names = new ArrayList<>(chunk);
            List<X> contents = new ArrayList<>(chunk);
            while (it.hasNext()) {
                String p = it.next();
                Path path = new Path(p);
                try (InputStream in = path.getFileSystem(hadoop.value()).open(path)) {
                    contents.add(reader.read(in, p));
                }
                names.add(p);
                if (names.size() == chunk || !it.hasNext()) {
                    out.addAll(fn.apply(model, names, contents));
                    names.clear();
                    contents.clear();
                }
            }
            return out.iterator();
        };
        return sc.parallelize(paths, partitions(paths.size(), sc.defaultParallelism())).mapPartitions(task);
    }

    private interface Chunk<M, X, T> extends Serializable {
        List<T> apply(M model, List<String> paths, List<X> contents) throws Exception;
    }
}
