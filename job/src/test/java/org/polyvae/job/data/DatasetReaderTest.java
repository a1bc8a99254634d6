package org.polyvae.job.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.polyvae.data.DatasetFormatException;
import org.polyvae.data.DatasetIndex;
import org.polyvae.data.DatasetScanner;
import org.polyvae.data.DatasetLayout;
import org.polyvae.data.LabeledImage;
import org.polyvae.data.WindowClass;

class DatasetReaderTest {
    private static JavaSparkContext sc;

    @TempDir
    java.nio.file.Path tmp;

    @BeforeAll
    static void startSpark() {
        // Kryo here (the DL4J stages use it), Java serialization in DatasetReaderHdfsTest: both must work.
        sc = new JavaSparkContext(sparkConf("DatasetReaderTest")
                .set("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .set("spark.kryo.registrator", org.polyvae.job.spark.RecordsKryoRegistrator.class.getName()));
    }

    @AfterAll
    static void stopSpark() {
        if (sc != null) {
            sc.stop();
        }
    }

    static SparkConf sparkConf(String name) {
        return new SparkConf().setMaster("local[2]").setAppName(name)
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
    }

    static JavaSparkContext sparkContext(String name) {
        return new JavaSparkContext(sparkConf(name));
    }

    /** Asserts every image carries its own label and its own pixels, at the requested resolution. */
    static void assertPaired(List<LabeledImage> images, int resolution) {
        for (LabeledImage image : images) {
            assertEquals(HadoopDatasetFixture.label(image.windowClass(), image.number()), image.e11(), image.toString());
            assertEquals(resolution, image.resolution());
            float expected = HadoopDatasetFixture.grayLevel(image.number()) / 255f;
            for (float v : image.pixels()) {
                assertEquals(expected, v, 2f / 255, image.toString());
            }
        }
    }

    static List<String> ids(List<LabeledImage> images) {
        return images.stream().map(i -> i.windowClass().token() + "/" + i.chunk() + "/" + i.number())
                .collect(Collectors.toList());
    }

    private HadoopDatasetFixture localFixture() throws IOException {
        FileSystem fs = FileSystem.getLocal(new Configuration());
        return new HadoopDatasetFixture(fs, new Path(tmp.resolve("polysilicon").toUri()));
    }

    @Test
    void readsLocalDatasetWithGapsKeepingLabelsAndPixelsPaired() throws IOException {
        HadoopDatasetFixture fixture = localFixture()
                .chunk(WindowClass.W2, "1k", 1, 2, 4, 5)
                .chunk(WindowClass.W2, "2k", 1001, 1003)
                .chunk(WindowClass.W5, "1k", 1, 2, 3);
        DatasetRdd read = DatasetReader.read(sc, fixture.root().toString(),
                EnumSet.allOf(WindowClass.class), 16, 3);
        assertEquals(3, read.images().getNumPartitions());
        List<LabeledImage> images = read.images().collect();

        assertEquals(List.of("2x2/1k/1", "2x2/1k/2", "2x2/1k/4", "2x2/1k/5", "2x2/2k/1001", "2x2/2k/1003",
                "5x5/1k/1", "5x5/1k/2", "5x5/1k/3"), ids(images));
        assertPaired(images, 16);
        assertEquals(0, read.skipped());
        assertEquals(Map.of(WindowClass.W2, 6L, WindowClass.W3, 0L, WindowClass.W5, 3L, WindowClass.W10, 0L),
                read.decodedCounts());
        assertEquals(EnumSet.of(WindowClass.W3, WindowClass.W10), read.index().missingClasses());
    }

    @Test
    void readsOnlyTheEntriesOfASampledIndex() throws IOException {
        HadoopDatasetFixture fixture = localFixture()
                .chunk(WindowClass.W2, "1k", 1, 2, 3, 4, 5, 6)
                .chunk(WindowClass.W10, "1k", 1, 2, 3);
        DatasetIndex sample = DatasetScanner.scan(fixture.root().toString(), EnumSet.allOf(WindowClass.class),
                sc.hadoopConfiguration()).samplePerClass(2, 11);
        DatasetRdd read = DatasetReader.read(sc, sample, 16, 0);
        List<LabeledImage> images = read.images().collect();
        assertEquals(sample.entries().stream().map(e -> e.windowClass().token() + "/" + e.chunk() + "/" + e.number())
                .toList(), ids(images));
        assertEquals(4, images.size());
        assertPaired(images, 16);
    }

    @Test
    void undecodableImageIsSkippedCountedAndTakesItsLabelWithIt() throws IOException {
        HadoopDatasetFixture fixture = localFixture()
                .chunk(WindowClass.W3, "1k", 1, 2, 4, 5, 6);
        Path corrupt = DatasetLayout.imageFile(fixture.root(), WindowClass.W3, "1k", 4);
        fixture.write(corrupt, "this is not a JPEG".getBytes(StandardCharsets.UTF_8));

        DatasetRdd read = DatasetReader.read(sc, fixture.root().toString(), EnumSet.of(WindowClass.W3), 8, 2);
        List<LabeledImage> images = read.images().collect();

        assertEquals(List.of("3x3/1k/1", "3x3/1k/2", "3x3/1k/5", "3x3/1k/6"), ids(images));
        assertPaired(images, 8);
        assertEquals(1, read.skipped());
        assertEquals(List.of(corrupt.toString()), read.skippedPaths());
        assertEquals(4L, read.decodedCounts().get(WindowClass.W3));
        assertTrue(read.summary().contains("skipped 1 undecodable: " + corrupt), read.summary());

        // A second evaluation of the uncached RDD decodes again; the distinct count must not double.
        assertEquals(4, read.images().count());
        assertEquals(1, read.skipped());
        assertEquals(2, read.skippedAccumulator().value());
    }

    @Test
    void layoutErrorsSurfaceOnTheDriverBeforeAnyJob() throws IOException {
        HadoopDatasetFixture fixture = localFixture().chunk(WindowClass.W2, "1k", 1, 2, 3);
        fixture.write(DatasetLayout.labelsFile(fixture.root(), WindowClass.W2, "1k"),
                "1\n2\n".getBytes(StandardCharsets.UTF_8));
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> DatasetReader.read(sc, fixture.root().toString(), EnumSet.of(WindowClass.W2), 16, 2));
        assertTrue(e.getMessage().contains("2 labels") && e.getMessage().contains("3 images"), e.getMessage());
    }

    @Test
    void unreadableFileFailsTheJobInsteadOfBeingSkipped() throws IOException {
        HadoopDatasetFixture fixture = localFixture().chunk(WindowClass.W2, "1k", 1, 2);
        DatasetRdd read = DatasetReader.read(sc, fixture.root().toString(), EnumSet.of(WindowClass.W2), 16, 1);
        Path gone = DatasetLayout.imageFile(fixture.root(), WindowClass.W2, "1k", 2);
        FileSystem.getLocal(new Configuration()).delete(gone, false);
        Exception e = assertThrows(Exception.class, () -> read.images().collect());
        assertTrue(e.getMessage().contains("could not read " + gone), e.getMessage());
        assertFalse(read.skipped() > 0);
    }
}
