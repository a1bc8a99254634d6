package org.polyvae.config;

import com.typesafe.config.Config;
import java.io.Serializable;
import java.util.List;

/**
 * {@code polyvae.train.*}: distributed training with parameter averaging (see conf/application.conf).
 *
 * @param workers           parallel workers (Spark tasks per averaging round); 0 = the context's default parallelism
 * @param lossSampleBatches training batches re-scored after each epoch for the reconstruction/KL split; 0 = all
 */
public record TrainSettings(
        int epochs,
        int batchSize,
        int averagingFrequency,
        int workers,
        int prefetch,
        String repartition,
        String storageLevel,
        boolean kryo,
        double validationFraction,
        long splitSeed,
        int lossSampleBatches,
        int checkpointKeep,
        boolean resume) implements Serializable {

    public static final List<String> REPARTITION = List.of("always", "never", "num-partitions-workers-differs");
    public static final List<String> STORAGE_LEVELS = List.of("MEMORY_ONLY", "MEMORY_ONLY_SER", "MEMORY_AND_DISK",
            "MEMORY_AND_DISK_SER", "DISK_ONLY");

    public static TrainSettings from(Config config) {
        Settings s = new Settings(config, "polyvae.train");
        return new TrainSettings(
                s.intIn("epochs", 1, 100_000),
                s.intIn("batch-size", 1, 65_536),
                s.intIn("averaging-frequency", 1, 100_000),
                s.intIn("workers", 0, 100_000),
                s.intIn("prefetch", 0, 1_000),
                s.oneOf("repartition", REPARTITION),
                s.oneOf("storage-level", STORAGE_LEVELS),
                s.bool("kryo"),
                s.doubleIn("validation-fraction", 0.0, 0.5),
                s.longValue("split-seed"),
                s.intIn("loss-sample-batches", 0, 1_000_000),
                s.intIn("checkpoint-keep", 1, 1_000),
                s.bool("resume"));
    }
}
