package org.polyvae.job.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.polyvae.config.PolyvaeConfig;

/**
 * Both serializers polyvae.train.kryo chooses between carry what the stages send through Spark: records
 * as broadcasts and task results, and INDArrays.
 */
class SparkSerializationTest {
    @TempDir
    static java.nio.file.Path tmp;

    /** A record as the stages return them from executors: arrays, an enum-free mix of fields. */
    record Probe(String path, int images, float[] pixels, INDArray mean) implements Serializable {
    }

    /** What is broadcast: a record holding an INDArray. */
    record Shared(String tag, INDArray offset) implements Serializable {
    }

    @Test
    void kryoOnRoundTripsRecordsWithTheRegistrator() throws IOException {
        SparkConf conf = SparkContexts.conf("kryo-on", PolyvaeConfig.load(List.of(), List.of("polyvae.train.kryo=true")));
        assertEquals(RecordsKryoRegistrator.class.getName(), conf.get("spark.kryo.registrator"));
        roundTrip(conf, "kryo-on");
    }

    @Test
    void kryoOffRunsOnJavaSerialization() throws IOException {
        SparkConf conf = SparkContexts.conf("kryo-off", PolyvaeConfig.load(List.of(), List.of("polyvae.train.kryo=false")));
        assertFalse(conf.contains("spark.serializer"));
        roundTrip(conf, "kryo-off");
    }

    private static void roundTrip(SparkConf conf, String name) throws IOException {
        List<String> paths = BatchFileFixture.write(tmp.resolve(name), 5);
        try (JavaSparkContext sc = new JavaSparkContext(conf.setMaster("local[2]").set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1"))) {
            Shared shared = new Shared("t", Nd4j.scalar(0.5f));
            List<Probe> probes = ModelPartitions.of(sc, shared, s -> s).mapBatches(paths, (s, p, batch) -> {
                INDArray x = batch.getFeatures(0);
                return List.of(new Probe(s.tag() + p, (int) x.size(0), x.dup('c').data().asFloat(),
                        x.mean().add(s.offset())));
            });
            assertEquals(paths.size(), probes.size());
            for (int k = 0; k < probes.size(); k++) {
                Probe probe = probes.get(k);
                assertEquals("t" + paths.get(k), probe.path());
                assertEquals(k + 1, probe.images());
                float[] expected = new float[4 * (k + 1)];
                java.util.Arrays.fill(expected, k);
                assertArrayEquals(expected, probe.pixels());
                assertEquals(k + 0.5, probe.mean().getDouble(0), 1e-6);
            }
            // Records as RDD elements shuffled between tasks, not only as task results.
            List<Probe> regrouped = sc.parallelize(probes, 2).repartition(3).collect();
            assertEquals(probes.stream().mapToInt(Probe::images).sum(),
                    regrouped.stream().mapToInt(Probe::images).sum());
        }
    }
}
