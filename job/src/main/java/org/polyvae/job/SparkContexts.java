package org.polyvae.job;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** Creates the one Spark context of a polyvae run. */
public final class SparkContexts {
    private SparkContexts() {
    }

    /**
     * spark-submit (submit/*.sh) sets the master; a plain {@code java} launch of Main (an IDE, a test)
     * falls back to local mode on every core.
     */
    public static JavaSparkContext create(String appName) {
        SparkConf conf = new SparkConf()
                .setAppName(appName)
                .setIfMissing("spark.master", "local[*]")
                // Progress lines and stage summaries are ours; Spark's console progress bar would interleave.
                .setIfMissing("spark.ui.showConsoleProgress", "false");
        return new JavaSparkContext(conf);
    }
}
