package org.polyvae.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input to submit/local.sh, sweep.sh and yarn.sh: one line on stderr naming the problem, exit code 2; and the
 * environment their java starts with.
 */
class SubmitScriptsTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private record Result(int exit, String stderr) {
    }

    private Result run(Map<String, String> env, String script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", REPO.resolve("submit").resolve(script).toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(REPO.toFile());
        pb.environment().remove("HADOOP_CONF_DIR");
        pb.environment().remove("YARN_CONF_DIR");
        pb.environment().putAll(env);
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), err);
    }

    private void assertOneLineError(Result r, String expected) {
        assertEquals(2, r.exit(), r.stderr());
        assertEquals(1, r.stderr().lines().count(), "one line: " + r.stderr());
        assertTrue(r.stderr().contains(expected), r.stderr());
    }

    /** A HADOOP_CONF_DIR whose ResourceManager is a closed port on this machine. */
    private Path unreachableCluster() throws IOException {
        Path conf = Files.createDirectories(dir.resolve("hadoop-conf"));
        Files.writeString(conf.resolve("yarn-site.xml"), "<?xml version=\"1.0\"?><configuration><property>"
                + "<name>yarn.resourcemanager.address</name><value>127.0.0.1:1</value></property></configuration>");
        return conf;
    }

    @Test
    void yarnRejectsBadInputInOneLine() throws Exception {
        Path jar = Files.writeString(dir.resolve("job.jar"), "not really a jar");
        Path conf = unreachableCluster();
        Map<String, String> env = Map.of("HADOOP_CONF_DIR", conf.toString(), "POLYVAE_SPARK_SUBMIT", "/bin/true");

        assertOneLineError(run(env, "yarn.sh", "--jar", dir.resolve("missing.jar").toString()), "missing.jar not found");
        assertOneLineError(run(env, "yarn.sh", "--jar", jar.toString(), "--conf", "conf/nope.conf"),
                "config file conf/nope.conf not found");
        assertOneLineError(run(env, "yarn.sh", "--jar", jar.toString(), "--stages", "train,tune"), "unknown stage 'tune'");
        assertOneLineError(run(env, "yarn.sh", "--jar", jar.toString(), "--deploy-mode", "both"), "client or cluster");
        assertOneLineError(run(env, "yarn.sh", "--jar", jar.toString()),
                "YARN ResourceManager 127.0.0.1:1 (from " + conf + "/yarn-site.xml) is not reachable");
        assertOneLineError(run(Map.of("POLYVAE_SPARK_SUBMIT", "/bin/true"), "yarn.sh", "--jar", jar.toString()),
                "set HADOOP_CONF_DIR");
        assertOneLineError(run(Map.of("HADOOP_CONF_DIR", conf.toString(), "POLYVAE_SPARK_SUBMIT", "no-such-submit"),
                "yarn.sh", "--jar", jar.toString()), "spark-submit not found");
    }

    @Test
    void localSharesTheParsingAndRejectsClusterOptions() throws Exception {
        assertOneLineError(run(Map.of(), "local.sh", "--conf", "conf/nope.conf"), "config file conf/nope.conf not found");
        assertOneLineError(run(Map.of(), "local.sh", "--stages", "synth,tune"), "unknown stage 'tune'");
        assertOneLineError(run(Map.of(), "local.sh", "--deploy-mode", "cluster"), "not for this script");
        assertOneLineError(run(Map.of(), "local.sh", "--experiment", "conf/experiments/nope.conf"),
                "experiment file conf/experiments/nope.conf not found");
        assertOneLineError(run(Map.of(), "local.sh", "train"), "expected --conf FILE");
        assertOneLineError(run(Map.of(), "local.sh", "--out", "x"), "not for this script");
        assertOneLineError(run(Map.of(), "local.sh", "conf/experiments/baseline.conf"), "expected --conf FILE");
    }

    /**
     * The lines a bash {@code command} prints (it must exit 0), run from the repository without the launch settings
     * of the caller's environment (MALLOC_*, DNNL_MAX_CPU_ISA) and with {@code env}.
     */
    private List<String> output(Map<String, String> env, String... command) throws IOException, InterruptedException {
        List<String> bash = new ArrayList<>(List.of("bash"));
        bash.addAll(List.of(command));
        ProcessBuilder pb = new ProcessBuilder(bash).directory(REPO.toFile());
        for (String setting : List.of("MALLOC_ARENA_MAX", "MALLOC_MMAP_MAX_", "MALLOC_TRIM_THRESHOLD_",
                "DNNL_MAX_CPU_ISA")) {
            pb.environment().remove(setting);
        }
        pb.environment().putAll(env);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertEquals(0, p.waitFor(), lines.toString());
        return lines;
    }

    /**
     * The MALLOC_* and DNNL_* variables polyvae_java (submit/common.sh) starts java with, java itself replaced by a
     * shell function that prints its environment, with {@code env} set by the caller.
     */
    private List<String> javaEnvironment(Map<String, String> env) throws IOException, InterruptedException {
        return output(env, "-c", ". submit/common.sh; java() { env; }; POLYVAE_CLASSPATH=none polyvae_java Main")
                .stream().filter(l -> l.startsWith("MALLOC_") || l.startsWith("DNNL_")).toList();
    }

    @Test
    void javaStartsWithTheMallocAndOneDnnSettingsUnlessTheCallerSetsThem() throws Exception {
        List<String> defaults = javaEnvironment(Map.of());
        assertTrue(defaults.contains("MALLOC_ARENA_MAX=1"), "one heap for every thread: " + defaults);
        assertTrue(defaults.contains("MALLOC_MMAP_MAX_=0"), "large blocks from the heap: " + defaults);
        assertTrue(defaults.contains("MALLOC_TRIM_THRESHOLD_=536870912"), "freed memory kept: " + defaults);
        assertTrue(defaults.contains("DNNL_MAX_CPU_ISA=AVX2"), defaults.toString());

        List<String> overridden = javaEnvironment(Map.of("MALLOC_ARENA_MAX", "8", "MALLOC_MMAP_MAX_", "65536",
                "MALLOC_TRIM_THRESHOLD_", "131072", "DNNL_MAX_CPU_ISA", "ALL"));
        assertTrue(overridden.contains("MALLOC_ARENA_MAX=8"), overridden.toString());
        assertTrue(overridden.contains("MALLOC_MMAP_MAX_=65536"), overridden.toString());
        assertTrue(overridden.contains("MALLOC_TRIM_THRESHOLD_=131072"), overridden.toString());
        assertTrue(overridden.contains("DNNL_MAX_CPU_ISA=ALL"), overridden.toString());
    }

    @Test
    void yarnGivesTheSettingsToTheExecutorsTheApplicationMasterAndTheDriver() throws Exception {
        Path jar = Files.writeString(dir.resolve("job.jar"), "not really a jar");
        // With ResourceManager HA yarn.sh leaves the failover to YARN's client and checks no address.
        Path conf = Files.createDirectories(dir.resolve("ha-conf"));
        Files.writeString(conf.resolve("yarn-site.xml"), "<?xml version=\"1.0\"?><configuration><property>"
                + "<name>yarn.resourcemanager.ha.enabled</name><value>true</value></property></configuration>");
        Path submit = dir.resolve("spark-submit");
        Files.writeString(submit, "#!/usr/bin/env bash\nprintf '%s\\n' \"$@\"\nenv\n");
        assertTrue(submit.toFile().setExecutable(true));
        List<String> lines = output(Map.of("HADOOP_CONF_DIR", conf.toString(), "POLYVAE_SPARK_SUBMIT",
                submit.toString()), REPO.resolve("submit/yarn.sh").toString(), "--jar", jar.toString(), "--stages", "train");
        for (String setting : List.of("MALLOC_ARENA_MAX=1", "MALLOC_MMAP_MAX_=0", "MALLOC_TRIM_THRESHOLD_=536870912",
                "DNNL_MAX_CPU_ISA=AVX2")) {
            assertTrue(lines.contains("spark.executorEnv." + setting), setting + " for the executors: " + lines);
            assertTrue(lines.contains("spark.yarn.appMasterEnv." + setting), setting + " for the AM: " + lines);
            assertTrue(lines.contains(setting), setting + " for a client-mode driver: " + lines);
        }
    }

    @Test
    void sweepSharesTheParsing() throws Exception {
        assertOneLineError(run(Map.of(), "sweep.sh", "--conf", "conf/nope.conf"), "config file conf/nope.conf not found");
        assertOneLineError(run(Map.of(), "sweep.sh", "--stages", "train,tune,evaluate"), "unknown stage 'tune'");
        assertOneLineError(run(Map.of(), "sweep.sh", "--stages", "train,sample"), "must include evaluate");
        assertOneLineError(run(Map.of(), "sweep.sh", "conf/experiments/nope.conf"), "preset conf/experiments/nope.conf not found");
        assertOneLineError(run(Map.of(), "sweep.sh", "--deploy-mode", "cluster"), "not for this script");
        assertOneLineError(run(Map.of(), "sweep.sh", "--experiment", "conf/experiments/baseline.conf"),
                "name the presets as arguments");
        assertOneLineError(run(Map.of(), "sweep.sh", "--out"), "--out needs a value");
    }
}
