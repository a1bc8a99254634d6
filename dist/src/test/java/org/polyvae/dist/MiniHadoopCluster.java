package org.polyvae.dist;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;

/**
 * HDFS (one NameNode, one DataNode) and YARN (one ResourceManager, two NodeManagers) in this JVM; the
 * containers YARN starts (application masters, Spark executors) are separate JVM processes. Writes the
 * client configuration (core-site.xml, hdfs-site.xml, yarn-site.xml) into a folder to be used as
 * HADOOP_CONF_DIR, as on a real cluster's gateway machine.
 */
final class MiniHadoopCluster implements AutoCloseable {
    private final MiniDFSCluster dfs;
    private final MiniYARNCluster yarn;
    private final Path confDir;

    MiniHadoopCluster(Path workDir, int nodeManagers, int nodeMemoryMb) throws IOException {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, workDir.resolve("dfs").toString());
        dfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        dfs.waitActive();

        YarnConfiguration yconf = new YarnConfiguration(dfs.getConfiguration(0));
        // FIFO: no capacity-scheduler limit on the share of memory application masters may hold, which on a
        // small cluster would keep the second application waiting.
        yconf.set(YarnConfiguration.RM_SCHEDULER,
                "org.apache.hadoop.yarn.server.resourcemanager.scheduler.fifo.FifoScheduler");
        yconf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 128);
        yconf.setInt(YarnConfiguration.NM_PMEM_MB, nodeMemoryMb);
        yconf.setInt(YarnConfiguration.NM_VCORES, 4);
        // ND4J allocates off-heap memory and reserves address space: YARN's memory checks would kill
        // containers that are well within what this machine has.
        yconf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, false);
        yconf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
        // A busy development disk must not mark the NodeManagers unhealthy.
        yconf.setFloat(YarnConfiguration.NM_MAX_PER_DISK_UTILIZATION_PERCENTAGE, 99.9f);
        yconf.setLong(YarnConfiguration.NM_MIN_PER_DISK_FREE_SPACE_MB, 0);
        yconf.setBoolean(YarnConfiguration.YARN_MINICLUSTER_FIXED_PORTS, false);
        yarn = new MiniYARNCluster("polyvae", nodeManagers, 1, 1);
        yarn.init(yconf);
        yarn.start();
        waitForNodeManagers(nodeManagers);

        confDir = Files.createDirectories(workDir.resolve("hadoop-conf"));
        Configuration client = new Configuration(yarn.getConfig());
        client.set("fs.defaultFS", dfs.getURI().toString());
        // The mini cluster's rack mapping is a test class of Hadoop's; clients use the default one.
        client.unset("net.topology.node.switch.mapping.impl");
        for (String name : new String[] {"core-site.xml", "hdfs-site.xml", "yarn-site.xml"}) {
            try (OutputStream out = Files.newOutputStream(confDir.resolve(name))) {
                client.writeXml(out);
            }
        }
    }

    private void waitForNodeManagers(int expected) throws IOException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (yarn.getResourceManager().getRMContext().getRMNodes().size() < expected) {
            if (System.nanoTime() > deadline) {
                throw new IOException("only " + yarn.getResourceManager().getRMContext().getRMNodes().size() + " of "
                        + expected + " NodeManagers registered within 60 s");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for NodeManagers", e);
            }
        }
    }

    /** hdfs://host:port of the NameNode. */
    String hdfsUri() {
        return dfs.getURI().toString();
    }

    Configuration configuration() {
        Configuration c = new Configuration(yarn.getConfig());
        c.set("fs.defaultFS", hdfsUri());
        return c;
    }

    File confDir() {
        return confDir.toFile();
    }

    @Override
    public void close() {
        try {
            yarn.stop();
        } finally {
            dfs.shutdown();
        }
    }
}
