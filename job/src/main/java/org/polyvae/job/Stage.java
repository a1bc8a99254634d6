package org.polyvae.job;

import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.polyvae.config.PolyvaeConfig;
import org.polyvae.model.NativeThreads;
import org.polyvae.job.synth.SynthStage;
import org.polyvae.job.evaluate.EvaluateStage;
import org.polyvae.job.explore.ExploreStage;
import org.polyvae.job.sample.SampleStage;
import org.polyvae.job.train.TrainStage;

/** The polyvae stages, in pipeline order. Each runs on an existing Spark context. */
public enum Stage {
    synth,
    train,
    sample,
    explore,
    evaluate;

    private static final Logger LOG = LoggerFactory.getLogger(Stage.class);

    /**
     * @param skipExisting synth only: skip it (with a log line) when polyvae.data.dir already holds a dataset
     *     and polyvae.synth.overwrite is false, so submit/local.sh's pipeline reuses the dataset on a re-run.
     *     The other stages always run: each replaces its own output, or refuses to (sample without overwrite)
     */
    void run(JavaSparkContext sc, PolyvaeConfig config, boolean skipExisting) throws Exception {
        if (this != synth) {
            // The driver's thread is the one ND4J initialises on; synth does not use ND4J.
            NativeThreads.useConfigured();
        }
        switch (this) {
            case synth -> {
                SynthStage stage = new SynthStage(config);
                if (skipExisting && !config.synth().overwrite() && stage.datasetExists(sc)) {
                    LOG.info("synth: skipped, {} already holds a dataset (polyvae.synth.overwrite=true replaces it)",
                            config.data().dir());
                } else {
                    stage.run(sc);
                }
            }
            case train -> new TrainStage(config).run(sc);
            case sample -> new SampleStage(config).run(sc);
            case explore -> new ExploreStage(config).run(sc);
            case evaluate -> new EvaluateStage(config).run(sc);
        }
    }
}
