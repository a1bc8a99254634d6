package org.polyvae.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Training throughput on the MiniYARNCluster with 1 and 2 single-core executors (separate JVMs), for
 * README's scaling section. Not part of the test suite (no IT suffix): bench/yarn-scaling.sh runs it and
 * it prints a table. Every executor is a process of this 2-core machine, next to the driver, the
 * application master and the cluster itself, so the numbers are a lower bound for real nodes.
 */
class YarnScalingBenchmark {
    private static final Pattern EPOCH = Pattern.compile(
            "train: epoch (\\d+)/\\d+ .*validation ([0-9.]+) +([0-9.]+) images/s +([0-9.]+) s");
    private static final int EPOCHS = Integer.getInteger("polyvae.bench.epochs", 4);
    private static final int PER_CLASS = Integer.getInteger("polyvae.bench.count-per-class", 150);

    @Test
    void trainingImagesPerSecondWithOneAndTwoExecutors() throws Exception {
        Path work = YarnSubmit.REPO.resolve("dist/target/yarn-scaling");
        YarnSubmit.deleteRecursively(work);
        Files.createDirectories(work);
        List<String> rows = new ArrayList<>();
        try (MiniHadoopCluster cluster = new MiniHadoopCluster(work, 2, 4096)) {
            YarnSubmit yarn = new YarnSubmit(cluster, work);
            assertEquals(0, yarn.run("synth", List.of("--stages", "synth",
                    "polyvae.synth.count-per-class=" + PER_CLASS, "polyvae.synth.images-per-task=50"),
                    line -> { }).exitCode(), "synth failed; see " + yarn.log("synth"));
            for (int executors : new int[] {1, 2}) {
                String name = "train-" + executors;
                // Adam at a constant 0.001, as when the README's scaling numbers were measured (preset lr-1e-3).
                YarnSubmit.Run run = yarn.run(name, List.of("--stages", "train", "polyvae.train.epochs=" + EPOCHS,
                        "polyvae.model.learning-rate=0.001", "polyvae.model.lr-decay=1.0",
                        "polyvae.output.dir=hdfs:///polyvae/" + name), Map.of("POLYVAE_EXECUTORS", "" + executors),
                        line -> { }, new Process[1]);
                assertEquals(0, run.exitCode(), "training failed; see " + yarn.log(name));
                rows.add(row(executors, run.output()));
            }
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "%-10s | %-6s | %-22s | %-18s | %-16s%n", "executors", "epochs",
                "images/s (epochs 2..)", "s/epoch (epochs 2..)", "validation loss");
        rows.forEach(System.out::println);
        System.out.printf(Locale.ROOT, "(MiniYARNCluster, 1 core and 1 GiB per executor, %d images/class, batch 32,"
                + " averaging every 5; %s)%n", PER_CLASS, System.getProperty("os.arch"));
    }

    /** Mean throughput and epoch time over epochs 2.. (epoch 1 includes the executors' warm-up). */
    private static String row(int executors, String log) {
        double rate = 0;
        double seconds = 0;
        double loss = Double.NaN;
        int n = 0;
        for (String line : log.lines().toList()) {
            Matcher m = EPOCH.matcher(line);
            if (m.find()) {
                loss = Double.parseDouble(m.group(2));
                if (Integer.parseInt(m.group(1)) > 1) {
                    rate += Double.parseDouble(m.group(3));
                    seconds += Double.parseDouble(m.group(4));
                    n++;
                }
            }
        }
        if (n == 0) {
            throw new IllegalStateException("no epoch lines after epoch 1 in the training log");
        }
        return String.format(Locale.ROOT, "%-10d | %-6d | %22.1f | %20.1f | %16.1f", executors, EPOCHS, rate / n,
                seconds / n, loss);
    }
}
