package org.polyvae.bench;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.polyvae.model.NativeThreads;
import org.polyvae.config.ModelSettings;
import org.polyvae.config.PolyvaeConfig;
import org.polyvae.job.train.TrainStage;
import org.polyvae.job.batches.VaeBatchLoader;
import org.polyvae.job.output.OutputLayout;
import org.polyvae.model.VaeArchitecture;
import org.polyvae.model.VaeLoss;
import org.polyvae.model.VaeBatches;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Training throughput and progress per wall-clock second, one mode per JVM (bench/train.sh runs them
 * with the thread settings that suit each and collects the rows):
 * <ul>
 *   <li>{@code spark}: stage train as users run it, on the given master;</li>
 *   <li>{@code plain}: ComputationGraph.fit in one JVM on the same batch files, in the same order;</li>
 *   <li>{@code decoders}: fit speed, and validation loss after the same wall-clock budget, for each decoder
 *       design and convolution implementation;</li>
 *   <li>{@code export-raw}: the training and validation images as raw float32, and their window classes, for
 *       the PyTorch peers.</li>
 * </ul>
 * {@code --model} picks the model measured: {@code simple} (unconditional, Bernoulli, neither discriminator
 * nor boundary head: bench/peer/vae.py's twin) or {@code default} (conf/application.conf's model as users
 * train it: bench/peer/vae_default.py's twin). Rows are printed as Markdown table lines on stdout.
 */
@Command(name = "training-benchmark", mixinStandardHelpOptions = true)
public final class TrainingBenchmark implements Callable<Integer> {
    @Option(names = "--mode", required = true, description = "spark, plain, decoders or export-raw")
    String mode;

    @Option(names = "--data", required = true, description = "Dataset root (made by stage synth).")
    String data;

    @Option(names = "--out", required = true, description = "Output folder of the Spark run (its batches/ are reused).")
    Path out;

    @Option(names = "--master", description = "Spark master for --mode spark (default ${DEFAULT-VALUE}).")
    String master = "local[2]";

    @Option(names = "--epochs", description = "Epochs (default ${DEFAULT-VALUE}).")
    int epochs = 6;

    @Option(names = "--budget", description = "Wall-clock budget in seconds for the loss column (default ${DEFAULT-VALUE}).")
    double budget = 30;

    @Option(names = "--model", description = "simple or default (default ${DEFAULT-VALUE}): the model measured, "
            + "each the architecture of one PyTorch twin in bench/peer/.")
    String model = "simple";

    @Option(names = "--set", description = "A configuration override key=value on top of the benchmark model's "
            + "(repeatable), e.g. polyvae.train.averaging-frequency=10.")
    List<String> overrides = new ArrayList<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new TrainingBenchmark()).execute(args));
    }

    private PolyvaeConfig config(String... extra) {
        List<String> o = new ArrayList<>(List.of("polyvae.data.dir=" + data, "polyvae.output.dir=" + out.toUri(),
                "polyvae.train.epochs=" + epochs, "polyvae.train.loss-sample-batches=8"));
        switch (model) {
            // Adam at a constant 0.001: the optimiser of the PyTorch twin (bench/peer/vae.py) and of the measured
            // history in the README (the default before the sweep; preset lr-1e-3). Unconditional and Bernoulli,
            // with neither discriminator nor boundary head, as that twin is.
            case "simple" -> o.addAll(List.of("polyvae.model.learning-rate=0.001", "polyvae.model.lr-decay=1.0",
                    "polyvae.model.conditional=false", "polyvae.model.likelihood=bernoulli",
                    "polyvae.model.adversarial-weight=0", "polyvae.model.boundary-head=false"));
            // conf/application.conf's model unchanged, optimiser included (Adam 0.003, x0.95 per epoch):
            // bench/peer/vae_default.py is its twin and follows the same schedule.
            case "default" -> { }
            default -> throw new CommandLine.ParameterException(new CommandLine(this),
                    "--model must be simple or default, got " + model);
        }
        o.addAll(overrides);
        o.addAll(List.of(extra));
        return PolyvaeConfig.load(List.of(), o);
    }

    @Override
    public Integer call() throws Exception {
        NativeThreads.useConfigured(); // as stage train's driver and workers: OMP_NUM_THREADS, not ND4J's 4
        switch (mode) {
            case "spark" -> spark();
            case "plain" -> plain();
            case "decoders" -> decoders();
            case "export-raw" -> exportRaw();
            default -> throw new CommandLine.ParameterException(new CommandLine(this), "unknown --mode " + mode);
        }
        return 0;
    }

    private static String threads() {
        return System.getenv().getOrDefault("OMP_NUM_THREADS", "?");
    }

    private void spark() throws IOException {
        PolyvaeConfig config = config();
        try (JavaSparkContext sc = new JavaSparkContext(new SparkConf().setMaster(master).setAppName("bench")
                .set("spark.ui.enabled", "false")
                .set("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .set("spark.kryo.registrator", org.polyvae.job.spark.RecordsKryoRegistrator.class.getName()))) {
            var rows = new TrainStage(config).run(sc).rows();
            double seconds = 0;
            double atBudget = Double.NaN;
            for (var r : rows) {
                seconds += r.seconds();
                if (seconds <= budget) {
                    atBudget = r.valLoss();
                }
            }
            double rate = rows.stream().skip(1).mapToDouble(r -> r.imagesPerSecond()).average().orElse(Double.NaN);
            row("Spark " + master + ", parameter averaging (freq " + config.train().averagingFrequency() + ")",
                    rate, rows.get(rows.size() - 1).valLoss(), atBudget);
        }
    }

    /** The batch files of the Spark run (stage train's export) in {@code --out}. */
    private List<String> files(String split) throws IOException {
        Path dir = Path.of(OutputLayout.batches(new OutputLayout(config()).batches(), split).toUri());
        try (Stream<Path> s = Files.list(dir)) {
            return new ArrayList<>(s.map(Path::toString).filter(p -> p.endsWith(".bin")).sorted().toList());
        }
    }

    /** A batch file as the model's graph trains on it (class input, targets), built as stage train's loader does. */
    private static MultiDataSet load(String path, ModelSettings m) throws IOException {
        return VaeBatchLoader.of(m).toVae(read(path));
    }

    private static MultiDataSet read(String path) throws IOException {
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            return VaeBatchLoader.read(in, path);
        }
    }

    private void plain() throws IOException {
        PolyvaeConfig config = config();
        ModelSettings m = config.model();
        List<String> train = files(OutputLayout.TRAIN);
        List<MultiDataSet> val = new ArrayList<>();
        for (String f : files(OutputLayout.VALIDATION)) {
            val.add(load(f, m));
        }
        ComputationGraph net = new ComputationGraph(new VaeArchitecture(m).vae());
        net.init();
        System.err.printf(Locale.ROOT, "plain: %s model, %d parameters%n", model, net.numParams());
        double seconds = 0;
        double atBudget = Double.NaN;
        double valLoss = Double.NaN;
        List<Double> rates = new ArrayList<>();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            List<String> order = new ArrayList<>(train);
            Collections.shuffle(order, new Random(config.train().splitSeed() * 31 + epoch)); // as TrainStage
            // As ParameterAveraging: the learning-rate schedule (lr-decay) and the reparameterisation noise's seed
            // go by the epoch count, which fit(MultiDataSet) never advances.
            net.getConfiguration().setEpochCount(epoch - 1);
            long images = 0;
            long t0 = System.nanoTime();
            for (String f : order) {
                MultiDataSet b = load(f, m);
                net.fit(b);
                images += b.getFeatures(0).size(0);
            }
            double s = (System.nanoTime() - t0) / 1e9;
            seconds += s;
            if (epoch > 1) {
                rates.add(images / s);
            }
            valLoss = validation(net, val);
            if (seconds <= budget) {
                atBudget = valLoss;
            }
        }
        row("plain ComputationGraph.fit, one JVM", rates.stream().mapToDouble(d -> d).average().orElse(Double.NaN),
                valLoss, atBudget);
    }

    /**
     * Mean negative ELBO per image ({@link VaeLoss}), as stage train's validation column.
     */
    private static double validation(ComputationGraph net, List<MultiDataSet> val) {
        double sum = 0;
        long n = 0;
        for (MultiDataSet b : val) {
            long size = b.getFeatures(0).size(0);
            sum += VaeLoss.of(net, b).total() * size;
            n += size;
        }
        return sum / n;
    }

    private void decoders() throws IOException {
        List<String> train = files(OutputLayout.TRAIN);
        for (ModelSettings.Convolution conv : ModelSettings.Convolution.values()) {
            for (ModelSettings.Decoder decoder : ModelSettings.Decoder.values()) {
                PolyvaeConfig config = config("polyvae.model.decoder=" + decoder.configValue(),
                        "polyvae.model.convolution=" + conv.configValue());
                ModelSettings m = config.model();
                ComputationGraph net = new ComputationGraph(new VaeArchitecture(m).vae());
                net.init();
                List<MultiDataSet> batches = new ArrayList<>();
                for (String f : train) {
                    batches.add(load(f, m));
                }
                net.fit(batches.get(0)); // warm-up
                long images = 0;
                int step = 0;
                long t0 = System.nanoTime();
                // Equal wall-clock time for every design: the faster one gets more steps.
                while ((System.nanoTime() - t0) / 1e9 < budget) {
                    MultiDataSet b = batches.get(step++ % batches.size());
                    net.fit(b);
                    images += b.getFeatures(0).size(0);
                }
                double rate = images / ((System.nanoTime() - t0) / 1e9);
                List<MultiDataSet> val = new ArrayList<>();
                for (String f : files(OutputLayout.VALIDATION)) {
                    val.add(load(f, m));
                }
                System.out.printf(Locale.ROOT, "| decoder %s, convolution %s | %s | %d | %.1f | %d | %.1f |%n",
                        decoder.configValue(), conv.configValue(), threads(), net.numParams(), rate, step, validation(net, val));
            }
        }
    }

    /**
     * For bench/peer/vae.py and vae_default.py, per split, in the batch files' order: {@code <split>.f32}, the
     * images as raw little-endian float32 [n, res, res]; {@code <split>-class.u8}, each image's window class as one
     * byte, its index in the conditional model's class input ({@link VaeBatches#classOrder()}: 2, 3, 5, 10 µm).
     * Every other target (gray levels, boundaries, adversarial labels) the graph derives from the image itself.
     */
    private void exportRaw() throws IOException {
        for (String split : List.of("train", "validation")) {
            try (DataOutputStream images = new DataOutputStream(Files.newOutputStream(out.resolve(split + ".f32")));
                 OutputStream classes = Files.newOutputStream(out.resolve(split + "-class.u8"))) {
                for (String f : files(split)) {
                    MultiDataSet file = read(f);
                    float[] v = file.getFeatures(0).data().asFloat();
                    ByteBuffer bb = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                    bb.asFloatBuffer().put(v);
                    images.write(bb.array());
                    int[] index;
                    try {
                        index = VaeBatchLoader.classes(file).argMax(1).toIntVector();
                    } catch (IllegalArgumentException e) {
                        throw new IOException(f + ": " + e.getMessage(), e);
                    }
                    byte[] c = new byte[index.length];
                    for (int i = 0; i < c.length; i++) {
                        c[i] = (byte) index[i];
                    }
                    classes.write(c);
                }
            }
        }
    }

    private void row(String what, double rate, double valLoss, double atBudget) {
        String label = overrides.isEmpty() ? what : what + ", " + String.join(", ", overrides);
        System.out.printf(Locale.ROOT, "| %s | %s | %.0f | %.1f | %.1f |%n", label, threads(), rate, valLoss, atBudget);
    }
}
