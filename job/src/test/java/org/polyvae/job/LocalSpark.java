package org.polyvae.job;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.polyvae.job.spark.RecordsKryoRegistrator;

/**
 * The Spark context the stage tests run in: local[2] on loopback, no UI, Kryo with the CLI's registrator
 * (ND4J's registrations and records).
 */
public final class LocalSpark {
    private LocalSpark() {
    }

    public static JavaSparkContext start(String appName) {
        return new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName(appName)
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .set("spark.kryo.registrator", RecordsKryoRegistrator.class.getName()));
    }
}
