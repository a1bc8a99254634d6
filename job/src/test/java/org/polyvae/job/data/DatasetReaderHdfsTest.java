package org.polyvae.job.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.polyvae.data.LabeledImage;
import org.polyvae.data.WindowClass;

class DatasetReaderHdfsTest {
    @TempDir
    static File hdfsBase;
    private static MiniDFSCluster cluster;
    private static JavaSparkContext sc;

    @BeforeAll
    static void start() throws IOException {
        cluster = new MiniDFSCluster.Builder(new Configuration(), hdfsBase).numDataNodes(1).build();
        cluster.waitActive();
        sc = DatasetReaderTest.sparkContext("DatasetReaderHdfsTest");
    }

    @AfterAll
    static void stop() {
        if (sc != null) {
            sc.stop();
        }
        if (cluster != null) {
            cluster.shutdown();
        }
    }

    @Test
    void readsFromHdfs() throws IOException {
        HadoopDatasetFixture fixture = new HadoopDatasetFixture(cluster.getFileSystem(), new Path("/data/polysilicon"))
                .chunk(WindowClass.W10, "1k", 3, 5, 8)
                .chunk(WindowClass.W10, "2k", 1001, 1002);
        String root = fixture.root().toString();
        assertTrue(root.startsWith("hdfs://"), root);

        DatasetRdd read = DatasetReader.read(sc, root, EnumSet.of(WindowClass.W10), 16, 2);
        List<LabeledImage> images = read.images().collect();

        assertEquals(List.of("10x10/1k/3", "10x10/1k/5", "10x10/1k/8", "10x10/2k/1001", "10x10/2k/1002"),
                DatasetReaderTest.ids(images));
        DatasetReaderTest.assertPaired(images, 16);
        assertEquals(0, read.skipped());
        assertTrue(read.index().entries().get(0).path().startsWith(root), read.index().entries().get(0).path());
    }
}
