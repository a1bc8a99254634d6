package org.polyvae.job;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** The Spark context the stage tests run in: local[2] on loopback, no UI, Kryo with ND4J's registrator. */
public final class LocalSpark {
    private LocalSpark() {
    }

    public static JavaSparkContext start(String appName) {
        return new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName(appName)
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .set("spark.kryo.registrator", "org.nd4j.kryo.Nd4jRegistrator"));
    }
}
