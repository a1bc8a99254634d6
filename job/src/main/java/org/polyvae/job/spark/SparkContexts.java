package org.polyvae.job.spark;

import org.polyvae.job.Main;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.polyvae.config.PolyvaeConfig;

/** Creates the one Spark context of a polyvae run. */
public final class SparkContexts {
    private SparkContexts() {
    }

    /**
     * spark-submit (submit/*.sh) sets the master; a plain {@code java} launch of Main (an IDE, a test)
     * falls back to local mode on every core.
     */
    public static JavaSparkContext create(String appName, PolyvaeConfig config) {
        return new JavaSparkContext(conf(appName, config));
    }

    static SparkConf conf(String appName, PolyvaeConfig config) {
        SparkConf conf = new SparkConf()
                .setAppName(appName)
                .setIfMissing("spark.master", "local[*]")
                // Progress lines and stage summaries are ours; Spark's console progress bar would interleave.
                .setIfMissing("spark.ui.showConsoleProgress", "false");
        if (config.train().kryo()) {
            // ND4J's registrations serialise INDArrays (parameters, minibatches) compactly, and records go
            // through Java serialization; needs to be set before the context starts, and spark-submit's own
            // --conf wins.
            conf.setIfMissing("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                    .setIfMissing("spark.kryo.registrator", RecordsKryoRegistrator.class.getName());
        }
        return conf;
    }
}
