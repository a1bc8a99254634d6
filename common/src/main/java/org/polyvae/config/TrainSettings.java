package org.polyvae.config;

import com.typesafe.config.Config;
import java.io.Serializable;
import java.util.List;

/**
 * {@code polyvae.train.*}: distributed training with parameter averaging (see conf/application.conf).
 *
 * @param workers           parallel workers (Spark tasks per averaging round); 0 = the context's default parallelism
 * @param lossSampleBatches training batches re-scored after each epoch for the reconstruction/KL split; 0 = all
 * @param prior             {@code polyvae.train.prior.*}: the autoregressive prior over the code trained after the VAE
 */
public record TrainSettings(
        int epochs,
        int batchSize,
        int averagingFrequency,
        int workers,
        int prefetch,
        Repartitioning repartition,
        StorageLevel storageLevel,
        boolean kryo,
        double validationFraction,
        long splitSeed,
        int lossSampleBatches,
        int checkpointKeep,
        boolean resume,
        PriorTraining prior) implements Serializable {

    /**
     * {@code polyvae.train.prior.*}: the autoregressive prior over the code ({@code AutoregressivePrior}),
     * trained after the VAE on its codes of the training images, by the same parameter averaging.
     *
     * @param autoregressive whether to train it (stage sample's prior = autoregressive needs it)
     * @param draws          posterior draws z = mu + σ·ε per training image it is trained on
     * @param batchRows      code positions per minibatch
     * @param keepBestEpoch  keep the epoch whose held-out negative log-likelihood is lowest instead of the last
     * @param classes        the window sizes (µm) it is trained on and draws; empty = every class of the model
     * @param order          the order it draws the code map's positions in
     */
    public record PriorTraining(boolean autoregressive, int epochs, int hidden, int components, int draws,
            double learningRate, int batchRows, int averagingFrequency, boolean keepBestEpoch, List<Integer> classes,
            PriorOrder order) implements Serializable {
        static PriorTraining from(Config config) {
            Settings s = new Settings(config, "polyvae.train.prior");
            return new PriorTraining(
                    s.bool("autoregressive"),
                    s.intIn("epochs", 1, 100_000),
                    s.intIn("hidden", 1, 65_536),
                    s.intIn("components", 1, 256),
                    s.intIn("draws", 1, 1_000),
                    s.doubleAbove("learning-rate", 0.0, 1.0),
                    s.intIn("batch-rows", 1, 1_000_000),
                    s.intIn("averaging-frequency", 1, 100_000),
                    s.bool("keep-best-epoch"),
                    s.windowSizes("classes"),
                    s.option("order", PriorOrder.class));
        }
    }

    /** polyvae.train.prior.order: in which order the autoregressive prior draws the code map's positions. */
    public enum PriorOrder implements OptionValue {
        /** Row by row; each position sees the drawn positions of a causal window above and beside it. */
        RASTER,
        /**
         * A new random order per code; each position sees the drawn positions of a window centred on it, on
         * every side, so positions far apart are drawn before the ones between them.
         */
        RANDOM
    }

    /** polyvae.train.repartition: when each averaging round's batches are repartitioned over the workers. */
    public enum Repartitioning implements OptionValue {
        ALWAYS,
        NEVER,
        /** Only when the number of partitions differs from the number of workers. */
        NUM_PARTITIONS_WORKERS_DIFFERS
    }

    /** polyvae.train.storage-level: a Spark storage level, written as Spark names it (MEMORY_ONLY_SER). */
    public enum StorageLevel implements OptionValue {
        MEMORY_ONLY, MEMORY_ONLY_SER, MEMORY_AND_DISK, MEMORY_AND_DISK_SER, DISK_ONLY;

        @Override
        public String configValue() {
            return name();
        }
    }

    public static TrainSettings from(Config config) {
        Settings s = new Settings(config, "polyvae.train");
        return new TrainSettings(
                s.intIn("epochs", 1, 100_000),
                s.intIn("batch-size", 1, 65_536),
                s.intIn("averaging-frequency", 1, 100_000),
                s.intIn("workers", 0, 100_000),
                s.intIn("prefetch", 0, 1_000),
                s.option("repartition", Repartitioning.class),
                s.option("storage-level", StorageLevel.class),
                s.bool("kryo"),
                s.doubleIn("validation-fraction", 0.0, 0.5),
                s.longValue("split-seed"),
                s.intIn("loss-sample-batches", 0, 1_000_000),
                s.intIn("checkpoint-keep", 1, 1_000),
                s.bool("resume"),
                PriorTraining.from(config));
    }
}
