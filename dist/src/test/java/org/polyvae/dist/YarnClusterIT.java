package org.polyvae.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FSDataInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The cluster job jar on a real multi-process cluster: a MiniYARNCluster (two NodeManagers) with HDFS, to
 * which submit/yarn.sh submits the shaded jar through SparkSubmit (the stand-in for a Spark install's
 * bin/spark-submit, from Spark's own jars). Every stage runs as a YARN application with a separate
 * application-master JVM and two executor JVMs; paths are the hdfs:/// URIs of conf/yarn.conf.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class YarnClusterIT {
    private static final Path WORK = YarnSubmit.REPO.resolve("dist/target/yarn-it");
    private static final Pattern APPLICATION = Pattern.compile("(application_\\d+_\\d+)");
    /** Spark's driver log lines of a task's launch and end, e.g. "Starting task 0.0 in stage 21.0 (TID 42) (host, executor 1, ...". */
    private static final Pattern STARTING_TASK =
            Pattern.compile("Starting task \\S+ in stage (\\d+)\\.\\d+ \\(TID (\\d+)\\) \\([^,]*, executor (\\d+),");
    /** The stage of DL4J's parameter-averaging round, whose tasks fit the model: the only ones surely long. */
    private static final Pattern FITTING_STAGE =
            Pattern.compile("Submitting \\d+ missing tasks from ResultStage (\\d+) .*treeAggregate at ParameterAveraging");
    private static final Pattern FINISHED_TASK = Pattern.compile("Finished task .*\\(TID (\\d+)\\)");
    /** Small enough for 2 cores, large enough that an epoch has several averaging rounds. */
    private static final List<String> TINY = List.of("polyvae.synth.count-per-class=24",
            "polyvae.synth.images-per-task=12", "polyvae.train.batch-size=8",
            "polyvae.train.averaging-frequency=2", "polyvae.train.loss-sample-batches=2");

    private static MiniHadoopCluster cluster;
    private static FileSystem hdfs;
    private static YarnSubmit yarn;

    @BeforeAll
    static void startCluster() throws IOException {
        YarnSubmit.deleteRecursively(WORK);
        Files.createDirectories(WORK);
        cluster = new MiniHadoopCluster(WORK, 2, 4096);
        hdfs = FileSystem.get(cluster.configuration());
        yarn = new YarnSubmit(cluster, WORK);
    }

    @AfterAll
    static void stopCluster() throws IOException {
        if (hdfs != null) {
            hdfs.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void synthTrainSampleExploreEvaluateOnYarnWrite200ImagesAndTheEvaluationToHdfs() throws Exception {
        List<String> synth = new ArrayList<>(List.of("--stages", "synth"));
        synth.addAll(TINY);
        assertEquals(0, yarn.run("synth", synth, line -> { }).exitCode(),
                "synth on YARN failed; see " + yarn.log("synth"));

        // The default stages (train, sample, explore, evaluate), with the driver in a YARN container: the conf file
        // reaches it through --files.
        List<String> pipeline = new ArrayList<>(List.of("--deploy-mode", "cluster"));
        pipeline.addAll(TINY);
        pipeline.add("polyvae.train.epochs=2");
        pipeline.add("polyvae.evaluate.epochs=2");
        YarnSubmit.Run run = yarn.run("pipeline", pipeline, line -> { });
        assertEquals(0, run.exitCode(), "train/sample/explore/evaluate on YARN failed; see " + yarn.log("pipeline"));

        org.apache.hadoop.fs.Path samples = new org.apache.hadoop.fs.Path("/polyvae/out/samples");
        int images = 0;
        for (FileStatus f : hdfs.listStatus(samples)) {
            if (!f.getPath().getName().matches("sample-\\d{3}\\.png")) {
                continue;
            }
            try (FSDataInputStream in = hdfs.open(f.getPath())) {
                BufferedImage image = ImageIO.read(in);
                assertEquals(BufferedImage.TYPE_BYTE_GRAY, image.getType(), f.getPath() + " is not 8-bit gray");
                assertEquals(64, image.getWidth(), f.getPath().toString());
                assertEquals(64, image.getHeight(), f.getPath().toString());
            }
            images++;
        }
        assertEquals(200, images, "PNG samples in hdfs " + samples);
        assertEquals(201, lines("/polyvae/out/samples/manifest.csv").size(), "manifest: header + 200 rows");
        assertEquals(3, lines("/polyvae/out/metrics/train.csv").size(), "train.csv: header + 2 epochs");
        assertTrue(String.join("\n", lines("/polyvae/out/report/index.html")).contains("Evaluation by the judge CNN"),
                "the evaluate stage's section in the report");
        assertTrue(String.join("\n", lines("/polyvae/out/evaluation/evaluation.json")).contains("\"ratio\""));
        assertTrue(hdfs.exists(new org.apache.hadoop.fs.Path("/polyvae/out/judge/cnn.zip")));
    }

    @Test
    @Order(2)
    void trainingRecoversWhenAnExecutorIsKilled() throws Exception {
        List<String> train = new ArrayList<>(List.of("--stages", "train"));
        train.addAll(TINY);
        // Six minibatches per worker between averagings (all of a worker's minibatches of an epoch: one round), and
        // four times the default's channels: fitting tasks long enough to be caught running. With the default model
        // a warm task fits its five minibatches in about a second, and the kill could land just after it ended.
        train.addAll(List.of("polyvae.train.epochs=3", "polyvae.train.averaging-frequency=6",
                "polyvae.model.encoder-channels=[64, 128, 256]", "polyvae.output.dir=hdfs:///polyvae/fault-executor"));
        String[] app = new String[1];
        String[] killed = new String[1];
        Set<String> fittingStages = ConcurrentHashMap.newKeySet();
        Map<String, long[]> running = new ConcurrentHashMap<>();  // TID of a fitting task -> {start nanos, executor id}
        Thread watcher = new Thread(() -> {
            // Kill an executor only while every running fitting task (2-4 s each, warm or not) has run for a second, so
            // the kill lands mid-task (a short bookkeeping task, a count or a loss evaluation, may end before
            // it, leaving an idle executor lost and no task to re-run) and after the other executors have read
            // the round's parameter broadcast: a piece they were fetching from the killed executor could stall
            // their task (TorrentBroadcast's fetch waits without a timeout).
            while (killed[0] == null && !Thread.currentThread().isInterrupted()) {
                List<long[]> tasks = List.copyOf(running.values());
                if (!tasks.isEmpty() && tasks.stream().allMatch(t -> System.nanoTime() - t[0] > 1_000_000_000L)) {
                    killed[0] = Long.toString(tasks.get(0)[1]);
                    killExecutor(app[0], killed[0]);
                    return;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        YarnSubmit.Run run = yarn.run("executor-kill", train, line -> {
            Matcher a = APPLICATION.matcher(line);
            if (app[0] == null && line.contains("Submitted application") && a.find()) {
                app[0] = a.group(1);
            }
            if (line.contains("train: epoch 1/3") && watcher.getState() == Thread.State.NEW) {
                watcher.start();
            }
            Matcher fitting = FITTING_STAGE.matcher(line);
            if (fitting.find()) {
                fittingStages.add(fitting.group(1));
            }
            Matcher started = STARTING_TASK.matcher(line);
            if (started.find() && fittingStages.contains(started.group(1))) {
                running.put(started.group(2), new long[] {System.nanoTime(), Long.parseLong(started.group(3))});
            }
            Matcher finished = FINISHED_TASK.matcher(line);
            if (finished.find()) {
                running.remove(finished.group(1));
            }
        });
        watcher.interrupt();
        watcher.join();
        assertTrue(killed[0] != null, "no fitting task ran long enough after epoch 1 to be killed; see " + yarn.log("executor-kill"));
        assertEquals(0, run.exitCode(), "training did not survive a lost executor; see " + yarn.log("executor-kill"));
        Matcher recovered = Pattern.compile("recovered from 1 lost executor\\(s\\): (\\d+) failed task")
                .matcher(run.output());
        assertTrue(recovered.find(), "the driver log does not report the recovery; see " + yarn.log("executor-kill"));
        assertTrue(Integer.parseInt(recovered.group(1)) >= 1, "the killed executor's task was not re-run");
        assertEquals(4, lines("/polyvae/fault-executor/metrics/train.csv").size(), "header + 3 epochs");
    }

    @Test
    @Order(3)
    void killedDriverResumesFromTheLastCheckpoint() throws Exception {
        List<String> train = new ArrayList<>(List.of("--stages", "train"));
        train.addAll(TINY);
        train.addAll(List.of("polyvae.train.epochs=3", "polyvae.output.dir=hdfs:///polyvae/fault-driver"));
        Process[] driver = new Process[1];
        YarnSubmit.Run killed = yarn.run("driver-kill", train, Map.of(), line -> {
            if (line.contains("train: epoch 1/3")) {
                // kill -9 of spark-submit and everything it started on this machine: the client-mode driver.
                driver[0].descendants().forEach(ProcessHandle::destroyForcibly);
                driver[0].destroyForcibly();
            }
        }, driver);
        assertNotEquals(0, killed.exitCode(), "the driver was not killed; see " + yarn.log("driver-kill"));
        assertTrue(hdfs.exists(new org.apache.hadoop.fs.Path("/polyvae/fault-driver/checkpoints/epoch-001.zip")));
        assertTrue(!hdfs.exists(new org.apache.hadoop.fs.Path("/polyvae/fault-driver/model/decoder.zip")));

        train.add("polyvae.train.resume=true");
        YarnSubmit.Run resumed = yarn.run("driver-resume", train, line -> { });
        assertEquals(0, resumed.exitCode(), "resume failed; see " + yarn.log("driver-resume"));
        assertTrue(resumed.output().contains("train: resuming after epoch 1"), "see " + yarn.log("driver-resume"));
        assertTrue(!resumed.output().contains("train: epoch 1/3"), "epoch 1 was trained again; see " + yarn.log("driver-resume"));
        assertEquals(4, lines("/polyvae/fault-driver/metrics/train.csv").size(), "header + 3 epochs");
        assertTrue(hdfs.exists(new org.apache.hadoop.fs.Path("/polyvae/fault-driver/model/decoder.zip")));
    }

    /**
     * Kills (SIGKILL) the JVM of the application's executor with this id. Its container's shell carries the same
     * command line; killing that instead leaves the JVM to YARN's clean-up, which let the JVM run on for more
     * than a second, time enough for the running task to finish and report.
     */
    private static void killExecutor(String application, String executorId) {
        if (application == null) {
            throw new IllegalStateException("the driver log named no YARN application");
        }
        Pattern id = Pattern.compile("--executor-id\\s+" + executorId + "\\s");
        for (ProcessHandle p : ProcessHandle.allProcesses().toList()) {
            String cmd = commandLine(p.pid());
            if (cmd.contains("YarnCoarseGrainedExecutorBackend") && cmd.contains(application) && id.matcher(cmd).find()
                    && isJava(cmd)) {
                p.destroyForcibly();
                return;
            }
        }
        throw new IllegalStateException("no JVM of executor " + executorId + " of " + application);
    }

    /** Whether a command line runs a JVM itself (its first word is a java launcher), not a shell that starts one. */
    private static boolean isJava(String commandLine) {
        String program = commandLine.strip().split("\\s+", 2)[0];
        return program.equals("java") || program.endsWith("/java");
    }

    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                    StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "";  // gone, or not ours
        }
    }

    private static List<String> lines(String hdfsPath) throws IOException {
        try (FSDataInputStream in = hdfs.open(new org.apache.hadoop.fs.Path(hdfsPath))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }
}
