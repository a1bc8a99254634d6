package org.polyvae.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.polyvae.model.NativeThreads;
import org.polyvae.config.ModelSettings;
import org.polyvae.config.PolyvaeConfig;
import org.polyvae.data.WindowClass;
import org.polyvae.image.GrayImages;
import org.polyvae.model.VaeArchitecture;
import org.polyvae.model.VaeBatches;
import org.polyvae.synth.GrainProcess;
import org.polyvae.synth.MicrostructureGenerator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Where one training step of the default model spends its time: ComputationGraph.fit on one minibatch of
 * synthesised microstructures, repeated under Java Flight Recorder, every sample (Java execution and native
 * calls, i.e. the ND4J ops) filed under the first frame of its stack that names a part of the step (the
 * convolution forward or backward, the pixel shuffle, the loss layers, the updater, …). Prints the whole
 * step's time and a Markdown table of shares.
 */
@Command(name = "step-profile", mixinStandardHelpOptions = true)
public final class StepProfile implements Callable<Integer> {
    @Option(names = "--steps", description = "Profiled steps (default ${DEFAULT-VALUE}).")
    int steps = 40;

    @Option(names = "--batch", description = "Minibatch size (default: polyvae.train.batch-size).")
    Integer batch;

    @Parameters(description = "Configuration overrides key=value (e.g. polyvae.model.adversarial-weight=0).")
    List<String> overrides = new ArrayList<>();

    /** Parts of a step, each recognised by a substring of a stack frame (class and method), in this order. */
    private static final Map<String, List<String>> PARTS = new LinkedHashMap<>();

    static {
        PARTS.put("convolution forward (FastConvolution, oneDNN conv2d)", List.of("FastConvolutionImpl.activate"));
        PARTS.put("convolution backward (conv2d_bp)", List.of("FastConvolutionImpl.backpropGradient"));
        PARTS.put("pixel shuffle (depth_to_space, space_to_depth)", List.of("DepthToSpaceVertexImpl"));
        PARTS.put("reconstruction loss (softmax cross-entropy over K levels)", List.of("CategoricalLossLayerImpl",
                "LossMCXENT", "LossBinaryXENT", "LaplaceLoss", "CnnLossLayer"));
        PARTS.put("KL loss", List.of("KlDivergenceLoss", "LossLayer"));
        PARTS.put("expected gray (adversarial input)", List.of("ExpectedGrayVertexImpl"));
        PARTS.put("class tiling, merges, reshapes", List.of("TileToMapVertexImpl", "MergeVertex", "PreprocessorVertex",
                "ElementWiseVertex", "SubsetVertex"));
        PARTS.put("discriminator stacking, gradient reversal", List.of("BatchStackVertexImpl", "BatchUnstackVertexImpl",
                "GradientReversalVertexImpl", "NonSaturatingDrawsVertexImpl"));
        PARTS.put("prior draws (class Gaussian per minibatch)", List.of("PriorDrawVertexImpl"));
        PARTS.put("reparameterisation", List.of("ReparameterizationVertexImpl"));
        PARTS.put("updater (Adam) and gradient flattening", List.of("org.nd4j.linalg.learning.", "BaseMultiLayerUpdater",
                "ComputationGraphUpdater", "UpdaterBlock"));
        PARTS.put("workspaces and allocation", List.of("org.nd4j.linalg.api.memory.", "Nd4jWorkspace",
                "WorkspaceMgr", "Nd4j.create", "Nd4j.createUninitialized"));
        PARTS.put("graph bookkeeping (DL4J ComputationGraph)", List.of("org.deeplearning4j.nn.graph.ComputationGraph"));
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new StepProfile()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        NativeThreads.useConfigured(); // as stage train's driver and workers: OMP_NUM_THREADS, not ND4J's 4
        PolyvaeConfig config = PolyvaeConfig.load(List.of(), overrides);
        ModelSettings m = config.model();
        int n = batch != null ? batch : config.train().batchSize();
        MultiDataSet data = minibatch(config, m, n);
        ComputationGraph net = new ComputationGraph(new VaeArchitecture(m).vae());
        net.init();
        for (int i = 0; i < 5; i++) {
            net.fit(data); // warm-up: natives, workspaces, oneDNN primitives
        }
        Path jfr = Files.createTempFile("polyvae-step-profile", ".jfr");
        long t0;
        long t1;
        try (Recording r = new Recording()) {
            r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(5));
            r.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(5));
            r.start();
            t0 = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                net.fit(data);
            }
            t1 = System.nanoTime();
            r.stop();
            r.dump(jfr);
        }
        double ms = (t1 - t0) / 1e6 / steps;
        Map<String, Integer> counts = new LinkedHashMap<>();
        PARTS.keySet().forEach(k -> counts.put(k, 0));
        counts.put("other", 0);
        int total = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            RecordedStackTrace st = e.getStackTrace();
            if (st == null || !onTrainingThread(st)) {
                continue;
            }
            counts.merge(part(st), 1, Integer::sum);
            total++;
        }
        Files.deleteIfExists(jfr);
        // The step's native ops run on OMP_NUM_THREADS threads (bench/step-profile.sh sets it), not on every core.
        System.out.printf(Locale.ROOT, "%s, minibatch %d, %s threads: %.1f ms per step (%.0f images/s), %d samples%n%n",
                m.adversarial() ? "default model with the adversarial term" : "model without the adversarial term", n,
                System.getenv().getOrDefault("OMP_NUM_THREADS", "?"), ms, n * 1000 / ms, total);
        System.out.println("| part of the step | share | ms per step |");
        System.out.println("|---|---:|---:|");
        for (Map.Entry<String, Integer> c : counts.entrySet()) {
            double share = total == 0 ? 0 : c.getValue() / (double) total;
            System.out.printf(Locale.ROOT, "| %s | %.1f %% | %.1f |%n", c.getKey(), 100 * share, share * ms);
        }
        return 0;
    }

    /** Samples of the thread that runs fit (its stack passes through ComputationGraph.fit). */
    private static boolean onTrainingThread(RecordedStackTrace st) {
        for (RecordedFrame f : st.getFrames()) {
            if (name(f).startsWith("org.deeplearning4j.nn.graph.ComputationGraph.fit")) {
                return true;
            }
        }
        return false;
    }

    /** The part named by the innermost frame (top of the stack first) that any part recognises. */
    private static String part(RecordedStackTrace st) {
        for (RecordedFrame f : st.getFrames()) {
            String name = name(f);
            for (Map.Entry<String, List<String>> p : PARTS.entrySet()) {
                for (String marker : p.getValue()) {
                    if (name.contains(marker)) {
                        return p.getKey();
                    }
                }
            }
        }
        return "other";
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static MultiDataSet minibatch(PolyvaeConfig config, ModelSettings m, int n) {
        int res = config.data().resolution();
        MicrostructureGenerator gen = new MicrostructureGenerator(GrainProcess.of(config.synth()));
        float[] pixels = new float[n * res * res];
        int[] um = new int[n];
        WindowClass[] classes = WindowClass.values();
        for (int i = 0; i < n; i++) {
            WindowClass c = classes[i % classes.length];
            um[i] = c.micrometres();
            System.arraycopy(GrayImages.fromBytes(gen.generate(c, 1000L + i).render(res)), 0, pixels, i * res * res,
                    res * res);
        }
        INDArray images = Nd4j.create(pixels, new long[] {n, 1, res, res}).castTo(DataType.FLOAT);
        return VaeBatches.of(images, m.conditional() ? VaeBatches.oneHot(um) : null, m);
    }
}
