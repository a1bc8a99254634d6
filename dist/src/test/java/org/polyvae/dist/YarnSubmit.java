package org.polyvae.dist;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs submit/yarn.sh against a {@link MiniHadoopCluster} the way a user on the cluster's gateway would:
 * HADOOP_CONF_DIR set, the shaded job jar, and a spark-submit. The spark-submit is the stand-in for a
 * Spark install's bin/spark-submit: Spark's own SparkSubmit started from exactly the jars of Spark with
 * YARN support (dist's provided dependencies, target/spark-classpath.txt), which YARN containers also
 * use (spark.yarn.jars with local: URIs, as on clusters that install Spark on every node).
 */
final class YarnSubmit {
    static final Path REPO = Path.of(System.getProperty("polyvae.repo"));
    static final Path JAR = Path.of(System.getProperty("polyvae.cluster.jar"));
    private static final Path SPARK_CLASSPATH = Path.of(System.getProperty("polyvae.spark.classpath"));

    /** The exit code and everything the script printed. */
    record Run(int exitCode, String output) {
    }

    private final MiniHadoopCluster cluster;
    private final Path logDir;
    private final Path sparkSubmit;
    private final String sparkJars;

    YarnSubmit(MiniHadoopCluster cluster, Path logDir) throws IOException {
        this.cluster = cluster;
        this.logDir = logDir;
        String classpath = Files.readString(SPARK_CLASSPATH).trim();
        List<String> jars = new ArrayList<>();
        for (String jar : classpath.split(":")) {
            jars.add("local:" + jar);
        }
        this.sparkJars = String.join(",", jars);
        this.sparkSubmit = writeSparkSubmit(logDir.resolve("spark-submit"), classpath);
    }

    Path log(String name) {
        return logDir.resolve(name + ".log");
    }

    Run run(String name, List<String> args, Consumer<String> onLine) throws IOException, InterruptedException {
        return run(name, args, Map.of(), onLine, new Process[1]);
    }

    /**
     * Runs submit/yarn.sh with {@code args}, logging to NAME.log and handing each output line to onLine.
     *
     * @param env overrides of the defaults below (POLYVAE_EXECUTORS etc.)
     * @param started receives the process (so that a test can kill it)
     */
    Run run(String name, List<String> args, Map<String, String> env, Consumer<String> onLine, Process[] started)
            throws IOException, InterruptedException {
        String javaHome = System.getProperty("java.home");
        List<String> command = new ArrayList<>(List.of("bash", REPO.resolve("submit/yarn.sh").toString(),
                "--jar", JAR.toString(),
                "--spark-conf", "spark.yarn.jars=" + sparkJars,
                // What a cluster's nodes have configured: the JDK the containers run on.
                "--spark-conf", "spark.executorEnv.JAVA_HOME=" + javaHome,
                "--spark-conf", "spark.yarn.appMasterEnv.JAVA_HOME=" + javaHome,
                // A Spark distribution brings hadoop-yarn-server-web-proxy for the UI's YARN proxy filter;
                // the Maven artifacts standing in for it here do not, and the tests need no UI.
                "--spark-conf", "spark.ui.enabled=false"));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(REPO.toFile()).redirectErrorStream(true);
        pb.environment().put("HADOOP_CONF_DIR", cluster.confDir().getPath());
        pb.environment().put("POLYVAE_SPARK_SUBMIT", sparkSubmit.toString());
        pb.environment().put("POLYVAE_EXECUTORS", "2");
        pb.environment().put("POLYVAE_EXECUTOR_CORES", "1");
        pb.environment().put("POLYVAE_EXECUTOR_MEMORY", "1g");
        pb.environment().put("POLYVAE_EXECUTOR_OVERHEAD", "1g");
        pb.environment().put("POLYVAE_DRIVER_MEMORY", "1g");
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.environment().putAll(env);
        Process process = pb.start();
        started[0] = process;
        StringBuilder output = new StringBuilder();
        try (InputStream in = process.getInputStream(); BufferedWriter writer = Files.newBufferedWriter(log(name))) {
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = readLine(reader, process)) != null; ) {
                writer.write(line);
                writer.newLine();
                writer.flush();
                output.append(line).append('\n');
                onLine.accept(line);
            }
        }
        return new Run(process.waitFor(), output.toString());
    }

    /** The next line, or null at the end, including the end a killed process's closed pipe gives. */
    private static String readLine(BufferedReader reader, Process process) throws IOException, InterruptedException {
        try {
            return reader.readLine();
        } catch (IOException e) {
            // Killing the process closes the pipe before the process is reaped.
            if (process.waitFor(30, TimeUnit.SECONDS)) {
                return null;
            }
            throw e;
        }
    }

    /**
     * SparkSubmit with the Java 17 module flags and, as Spark's launcher does, HADOOP_CONF_DIR first on the
     * classpath (that is how the YARN client finds the ResourceManager).
     */
    private static Path writeSparkSubmit(Path file, String classpath) throws IOException {
        Properties jvm = new Properties();
        try (InputStream in = Files.newInputStream(REPO.resolve("submit/jvm.properties"))) {
            jvm.load(in);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String script = "#!/usr/bin/env bash\n"
                + "exec '" + java + "' " + jvm.getProperty("polyvae.jvm.options") + " -Xmx1536m"
                + " -cp \"$HADOOP_CONF_DIR:" + classpath + "\" org.apache.spark.deploy.SparkSubmit \"$@\"\n";
        Files.writeString(file, script);
        if (!file.toFile().setExecutable(true)) {
            throw new IOException("cannot make " + file + " executable");
        }
        return file;
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
