package org.polyvae.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.polyvae.config.PolyvaeConfig;
import org.polyvae.data.WindowClass;
import org.polyvae.fem.CubicCrystal;
import org.polyvae.fem.PlaneStressHomogenizer;
import org.polyvae.job.data.DatasetReader;
import org.polyvae.job.synth.SynthStage;
import org.polyvae.job.synth.SynthSummary;
import org.polyvae.synth.GrainProcess;
import org.polyvae.synth.Microstructure;
import org.polyvae.synth.MicrostructureGenerator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The dataset benchmarks of bench/dataset.sh: FE solves per second per core, microstructures generated
 * per second per core, the synth stage's end-to-end images per second on Spark local[1] and local[2],
 * and the dataset reader's images per second. Prints one table.
 */
@Command(name = "dataset-benchmark", mixinStandardHelpOptions = true)
public final class DatasetBenchmark implements Callable<Integer> {
    @Option(names = "--count-per-class", description = "Images per class for the Spark runs (default ${DEFAULT-VALUE}).")
    int countPerClass = 150;

    @Option(names = "--fem-images", description = "Images per grid size for the FE timing (default ${DEFAULT-VALUE}).")
    int femImages = 40;

    @Option(names = "--work-dir", description = "Scratch folder (default: a new temporary folder).")
    Path workDir;

    private final List<String[]> rows = new ArrayList<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new DatasetBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path dir = workDir != null ? workDir : Files.createTempDirectory("polyvae-bench");
        PolyvaeConfig defaults = PolyvaeConfig.defaultsOnly();
        MicrostructureGenerator generator = new MicrostructureGenerator(GrainProcess.of(defaults.synth()));

        for (int n : new int[] {32, 64, 128}) {
            femRow(generator, n, defaults.synth().femTolerance());
        }
        for (WindowClass c : WindowClass.values()) {
            generatorRow(generator, c);
        }
        for (int threads : new int[] {1, 2}) {
            String data = dir.resolve("data-local" + threads).toUri().toString();
            PolyvaeConfig config = PolyvaeConfig.load(List.of(), List.of(
                    "polyvae.data.dir=" + data, "polyvae.output.dir=" + dir.resolve("out").toUri(),
                    "polyvae.synth.count-per-class=" + countPerClass, "polyvae.synth.overwrite=true"));
            try (JavaSparkContext sc = context(threads)) {
                SynthSummary s = new SynthStage(config).run(sc);
                row("synth stage, Spark local[" + threads + "]", s.totalImages() + " images (4 classes)",
                        s.totalImages() / s.seconds(), "images/s");
                long t0 = System.nanoTime();
                long n = DatasetReader.read(sc, data, EnumSet.allOf(WindowClass.class), 64, 2 * threads).images().count();
                double seconds = (System.nanoTime() - t0) / 1e9;
                row("read + decode + resize to 64 px, local[" + threads + "]", n + " JPEGs of 128 px", n / seconds,
                        "images/s");
            }
        }
        print();
        return 0;
    }

    private void femRow(MicrostructureGenerator generator, int n, double tolerance) {
        PlaneStressHomogenizer fem = new PlaneStressHomogenizer(n, CubicCrystal.SILICON, tolerance, 10_000);
        List<double[]> angles = new ArrayList<>();
        for (int k = 0; k < femImages; k++) {
            angles.add(generator.generate(WindowClass.W10, 1000 + k).elementAngles(n));
        }
        for (int k = 0; k < 12; k++) {
            fem.homogenize(angles.get(k % angles.size())); // warm-up: JIT and the once-per-grid preconditioner
        }
        long iterations = 0;
        long t0 = System.nanoTime();
        for (double[] a : angles) {
            iterations += fem.homogenize(a).iterations();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        row("FE homogenisation " + n + "x" + n + " (3 load cases), 1 core",
                String.format(Locale.ROOT, "%.1f PCG iterations/solve", iterations / (double) femImages),
                femImages / seconds, "solves/s");
    }

    private void generatorRow(MicrostructureGenerator generator, WindowClass c) {
        int n = 200;
        long pixels = 0;
        for (int k = 0; k < 20; k++) {
            pixels += generator.generate(c, k).render(128).length;
        }
        long t0 = System.nanoTime();
        long grains = 0;
        for (int k = 0; k < n; k++) {
            Microstructure m = generator.generate(c, 10_000 + k);
            pixels += m.render(128).length + m.elementAngles(64).length;
            grains += m.visibleGrains();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        row("generate + render 128 px + raster 64, " + c.token() + " µm, 1 core",
                String.format(Locale.ROOT, "%.1f grains/image", grains / (double) n), n / seconds, "images/s");
    }

    private static JavaSparkContext context(int threads) {
        return new JavaSparkContext(new SparkConf().setAppName("polyvae bench").setMaster("local[" + threads + "]")
                .set("spark.ui.enabled", "false").set("spark.ui.showConsoleProgress", "false"));
    }

    private void row(String what, String detail, double rate, String unit) {
        rows.add(new String[] {what, detail, String.format(Locale.ROOT, "%.1f %s", rate, unit)});
        System.err.println("bench: " + String.join(" | ", rows.get(rows.size() - 1)));
    }

    private void print() {
        int w0 = rows.stream().mapToInt(r -> r[0].length()).max().orElse(10);
        int w1 = rows.stream().mapToInt(r -> r[1].length()).max().orElse(10);
        String fmt = "| %-" + w0 + "s | %-" + w1 + "s | %16s |%n";
        System.out.printf(fmt, "benchmark", "detail", "rate");
        System.out.printf("|%s|%s|%s|%n", "-".repeat(w0 + 2), "-".repeat(w1 + 2), "-".repeat(18));
        for (String[] r : rows) {
            System.out.printf(fmt, (Object[]) r);
        }
        System.out.printf("(%s, %d cores, %s)%n", System.getProperty("java.vm.name"),
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.arch"));
    }
}
