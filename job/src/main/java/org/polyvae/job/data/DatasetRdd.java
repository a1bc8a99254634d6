package org.polyvae.job.data;

import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.polyvae.data.DatasetIndex;
import org.polyvae.data.ImageEntry;
import org.polyvae.data.LabeledImage;
import org.polyvae.data.WindowClass;

/**
 * The result of {@link DatasetReader#read}: the lazily decoded images, the driver-side index they come from,
 * and the undecodable images skipped so far.
 *
 * <p>The skip figures are only complete after an action has evaluated all of {@link #images()}. They count
 * distinct files, so re-evaluating the RDD (no cache, a retried task) does not inflate them; the raw
 * {@link #skippedAccumulator()} (shown in the Spark UI) counts every attempt.
 */
public final class DatasetRdd {
    private final JavaRDD<LabeledImage> images;
    private final DatasetIndex index;
    private final int resolution;
    private final LongAccumulator skippedAccumulator;
    private final CollectionAccumulator<String> skippedPathsAccumulator;

    DatasetRdd(JavaRDD<LabeledImage> images, DatasetIndex index, int resolution, LongAccumulator skipped,
            CollectionAccumulator<String> skippedPaths) {
        this.images = images;
        this.index = index;
        this.resolution = resolution;
        this.skippedAccumulator = skipped;
        this.skippedPathsAccumulator = skippedPaths;
    }

    /** Images in index order (class, chunk, image number), undecodable ones left out. Not cached. */
    public JavaRDD<LabeledImage> images() {
        return images;
    }

    public DatasetIndex index() {
        return index;
    }

    public int resolution() {
        return resolution;
    }

    /** The distinct undecodable files seen so far, sorted. */
    public List<String> skippedPaths() {
        return List.copyOf(new TreeSet<>(skippedPathsAccumulator.value()));
    }

    /** How many listed images could not be decoded (after an action; see the class comment). */
    public long skipped() {
        return skippedPaths().size();
    }

    public LongAccumulator skippedAccumulator() {
        return skippedAccumulator;
    }

    /** Listed images per requested class minus the skipped ones (after an action). */
    public Map<WindowClass, Long> decodedCounts() {
        Map<String, WindowClass> classOfPath = new HashMap<>();
        for (ImageEntry e : index.entries()) {
            classOfPath.put(e.path(), e.windowClass());
        }
        EnumMap<WindowClass, Long> counts = new EnumMap<>(WindowClass.class);
        index.counts().forEach((c, n) -> counts.put(c, n.longValue()));
        for (String path : skippedPaths()) {
            counts.merge(classOfPath.get(path), -1L, Long::sum);
        }
        return Collections.unmodifiableMap(counts);
    }

    /** One line for the stage log: per-class counts and the skipped files (after an action). */
    public String summary() {
        StringJoiner perClass = new StringJoiner(", ");
        decodedCounts().forEach((c, n) -> perClass.add(c.token() + ": " + n
                + (index.missingClasses().contains(c) ? " (folder missing)" : "")));
        List<String> skippedPaths = skippedPaths();
        StringBuilder s = new StringBuilder("read ").append(index.size() - skippedPaths.size())
                .append(" images at ").append(resolution).append("px from ").append(index.root())
                .append(" (").append(perClass).append("); skipped ").append(skippedPaths.size())
                .append(" undecodable");
        if (!skippedPaths.isEmpty()) {
            int shown = Math.min(5, skippedPaths.size());
            s.append(": ").append(String.join(", ", skippedPaths.subList(0, shown)));
            if (shown < skippedPaths.size()) {
                s.append(", ... (see the executor WARN logs)");
            }
        }
        return s.toString();
    }
}
