package org.polyvae.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.polyvae.config.ConfigError;
import org.polyvae.config.ModelSettings;
import org.polyvae.config.PolyvaeConfig;
import org.polyvae.data.WindowClass;
import org.polyvae.image.GrayImages;
import org.polyvae.synth.GrainProcess;
import org.polyvae.synth.MicrostructureGenerator;

class VaeArchitectureTest {
    static final int RES = 16;

    static ModelSettings settings(String... extra) {
        // The plain Bernoulli VAE at β = 1 unless extra says otherwise (ConditionalVaeTest covers the class input,
        // CategoricalLikelihoodTest the default categorical likelihood, AdversarialTermTest the discriminator,
        // AdversarialPriorDrawsTest its prior draws, BoundaryHeadTest the boundary head).
        List<String> o = new ArrayList<>(List.of("polyvae.model.conditional=false", "polyvae.model.likelihood=bernoulli",
                "polyvae.model.beta=1", "polyvae.model.adversarial-weight=0", "polyvae.model.adversarial-prior-draws=none",
                "polyvae.model.boundary-head=false",
                "polyvae.model.gray-decoding=mode",
                "polyvae.data.resolution=" + RES,
                "polyvae.model.encoder-channels=[8, 16]", "polyvae.model.dense-width=32",
                "polyvae.model.latent-dim=4", "polyvae.model.latent-channels=2"));
        o.addAll(List.of(extra));
        return PolyvaeConfig.load(List.of(), o).model();
    }

    /** Gray microstructure images in [0,1], NCHW. */
    static INDArray images(int count, long seed) {
        MicrostructureGenerator gen = new MicrostructureGenerator(GrainProcess.of(PolyvaeConfig.defaultsOnly().synth()));
        float[] data = new float[count * RES * RES];
        for (int i = 0; i < count; i++) {
            System.arraycopy(GrayImages.fromBytes(gen.generate(WindowClass.W3, seed + i).render(RES)), 0, data,
                    i * RES * RES, RES * RES);
        }
        return Nd4j.create(data, new long[] {count, 1, RES, RES});
    }

    static ComputationGraph graph(ModelSettings s) {
        ComputationGraph g = new ComputationGraph(new VaeArchitecture(s).vae());
        g.init();
        return g;
    }

    @Test
    void theScoreIsTheSummedCrossEntropyPlusBetaKlPerImage() {
        for (String latent : List.of("dense", "spatial")) {
            ModelSettings s = settings("polyvae.model.latent=" + latent, "polyvae.model.beta=2.5");
            ComputationGraph g = graph(s);
            INDArray x = images(3, 1);
            MultiDataSet mds = VaeBatches.of(x, s.codeLength());
            Nd4j.getRandom().setSeed(7);
            double score = g.score(mds, true);
            Nd4j.getRandom().setSeed(7);
            Map<String, INDArray> act = g.feedForward(new INDArray[] {x}, true);
            INDArray p = act.get(VaeArchitecture.RECONSTRUCTION).castTo(DataType.DOUBLE);
            INDArray y = x.castTo(DataType.DOUBLE);
            double bce = -(y.mul(Transforms.log(p, true)).add(y.rsub(1).mul(Transforms.log(p.rsub(1), true))))
                    .sumNumber().doubleValue() / 3;
            INDArray post = act.get(VaeArchitecture.POSTERIOR).castTo(DataType.DOUBLE);
            int d = s.codeLength();
            INDArray mu = post.get(NDArrayIndex.all(), NDArrayIndex.interval(0, d));
            INDArray lv = post.get(NDArrayIndex.all(), NDArrayIndex.interval(d, 2 * d));
            double kl = 0.5 * mu.mul(mu).add(Transforms.exp(lv, true)).sub(1).sub(lv).sumNumber().doubleValue() / 3;
            assertEquals(bce + 2.5 * kl, score, 1e-3 * score, latent);
            assertTrue(bce > 0.3 * RES * RES * 0.1, "summed over pixels, not averaged: " + bce);
        }
    }

    @Test
    void backpropUsesTheNoiseOfTheForwardPass() {
        // Finite differences of the score with the same noise (reseeded) against the analytic gradient:
        // a vertex that drew fresh noise in backward would fail this.
        for (String variant : List.of("dense", "spatial", "dense conditional", "spatial conditional")) {
            String latent = variant.split(" ")[0];
            boolean conditional = variant.endsWith("conditional");
            ModelSettings s = settings("polyvae.model.latent=" + latent, "polyvae.model.activation=tanh",
                    "polyvae.model.conditional=" + conditional);
            ComputationGraph g = graph(s).convertDataType(DataType.DOUBLE);
            INDArray x = images(1, 3).castTo(DataType.DOUBLE);
            MultiDataSet mds = conditional
                    ? VaeBatches.of(x, VaeBatches.oneHot(new int[] {5}).castTo(DataType.DOUBLE), s.codeLength())
                    : VaeBatches.of(x, s.codeLength());
            mds.setLabels(1, mds.getLabels(1).castTo(DataType.DOUBLE));
            GradientCheck.assertMatchesFiniteDifferences(g, mds, variant, 40, GradientCheck.anyParameter(g));
        }
    }

    @Test
    void configurationAndModelSurviveJsonJavaSerializationAndModelSerializer() throws Exception {
        ModelSettings s = settings();
        ComputationGraphConfiguration conf = new VaeArchitecture(s).vae();
        assertEquals(conf, ComputationGraphConfiguration.fromJson(conf.toJson()));

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(conf);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(conf, in.readObject());
        }

        ComputationGraph g = graph(s);
        INDArray x = images(8, 20);
        for (int i = 0; i < 5; i++) {
            g.fit(VaeBatches.of(x, s.codeLength()));
        }
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        ModelSerializer.writeModel(g, zip, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(zip.toByteArray()), true);
        assertEquals(g.getConfiguration(), restored.getConfiguration());
        assertEquals(g.output(false, x)[0], restored.output(false, x)[0]);
        assertEquals(g.getUpdater().getStateViewArray(), restored.getUpdater().getStateViewArray());
    }

    @Test
    void theDecoderAloneReproducesTheVaeAtInference() {
        for (String latent : List.of("dense", "spatial")) {
            for (ModelSettings.Decoder decoder : ModelSettings.Decoder.values()) {
                for (int context : new int[] {0, 1}) {
                    String design = latent + "/" + decoder.configValue() + "/context " + context;
                    ModelSettings s = settings("polyvae.model.latent=" + latent,
                            "polyvae.model.decoder=" + decoder.configValue(),
                            "polyvae.model.decoder-context-layers=" + context);
                    VaeArchitecture arch = new VaeArchitecture(s);
                    ComputationGraph g = graph(s);
                    INDArray x = images(4, 30);
                    g.fit(VaeBatches.of(x, s.codeLength()));
                    INDArray mu = g.feedForward(new INDArray[] {x}, false).get(VaeArchitecture.POSTERIOR)
                            .get(NDArrayIndex.all(), NDArrayIndex.interval(0, s.codeLength()));
                    ComputationGraph dec = Decoders.extract(g, arch);
                    INDArray viaDecoder = dec.output(false, mu)[0];
                    INDArray viaVae = g.output(false, x)[0];
                    assertTrue(viaVae.equalsWithEps(viaDecoder, 1e-6), design);
                }
            }
        }
    }

    /**
     * The noise comes from the network's seed, epoch and iteration, not from the thread's generator: two
     * copies trained on the same batches end with the same parameters, whatever else drew random numbers in
     * between, while the noise still changes from step to step.
     */
    @Test
    void trainingIsRepeatableAndTheNoiseChangesEachStep() {
        ModelSettings s = settings();
        INDArray x = images(8, 300);
        MultiDataSet batch = VaeBatches.of(x, s.codeLength());
        ComputationGraph a = graph(s);
        ComputationGraph b = graph(s);
        for (int step = 0; step < 5; step++) {
            a.fit(batch);
            Nd4j.getRandom().setSeed(1000 + step);
            Nd4j.rand(3, 3);
            b.fit(batch);
        }
        assertEquals(a.params(), b.params(), "the same training steps give the same parameters");
        INDArray z1 = a.feedForward(new INDArray[] {x}, true).get(VaeArchitecture.Z).dup();
        a.getConfiguration().setIterationCount(a.getConfiguration().getIterationCount() + 1);
        INDArray z2 = a.feedForward(new INDArray[] {x}, true).get(VaeArchitecture.Z).dup();
        assertTrue(z1.distance2(z2) > 1e-3, "another step draws other noise");
    }

    @Test
    void trainingLowersTheLoss() {
        ModelSettings s = settings("polyvae.model.learning-rate=0.003");
        ComputationGraph g = graph(s);
        INDArray x = images(32, 100);
        MultiDataSet all = VaeBatches.of(x, s.codeLength());
        // Gray targets: the cross-entropy cannot fall below their own entropy, so measure the excess.
        INDArray y = x.castTo(DataType.DOUBLE);
        double floor = -(y.mul(Transforms.log(y.add(1e-12), true))
                .add(y.rsub(1).mul(Transforms.log(y.rsub(1).add(1e-12), true))))
                .sumNumber().doubleValue() / 32;
        double before = g.score(all, false) - floor;
        for (int step = 0; step < 150; step++) {
            g.fit(all);
        }
        double after = g.score(all, false) - floor;
        assertTrue(after < 0.85 * before, "loss above the entropy floor " + floor + ": " + before + " -> " + after);
    }

    /**
     * polyvae.model.decoder-context-layers: each residual block's second convolution starts at zero, so a fresh
     * stack passes the code map's features through unchanged (the decoder starts as the one without it), and
     * training moves it off zero.
     */
    @Test
    void aFreshDecoderContextStackIsTheIdentityAndTrains() {
        ModelSettings s = settings("polyvae.model.latent=spatial", "polyvae.model.decoder-context-layers=2");
        ComputationGraph g = graph(s);
        INDArray x = images(4, 40);
        Map<String, INDArray> acts = g.feedForward(new INDArray[] {x}, false);
        INDArray features = acts.get("dec-map");
        assertTrue(features.amaxNumber().doubleValue() > 0, "the code map's features are not all zero");
        assertEquals(features, acts.get("dec-context-sum-1"));
        assertTrue(acts.get("dec-context-0").amaxNumber().doubleValue() > 0, "the first convolution is not at zero");
        g.fit(VaeBatches.of(x, s.codeLength()));
        assertTrue(g.getLayer("dec-context-out-0").getParam("W").amaxNumber().doubleValue() > 0,
                "a training step leaves the blocks at zero");
        assertTrue(Decoders.extract(g, new VaeArchitecture(s)).getLayer("dec-context-out-1") != null,
                "the standalone decoder carries the blocks");
    }

    @Test
    void badModelSettingsNameTheKey() {
        ConfigError e = assertThrows(ConfigError.class, () -> settings("polyvae.model.latent=gaussian"));
        assertTrue(e.getMessage().contains("polyvae.model.latent") && e.getMessage().contains("dense"), e.getMessage());
        e = assertThrows(ConfigError.class, () -> settings("polyvae.model.encoder-channels=[8,8,8,8,8]"));
        assertTrue(e.getMessage().contains("multiple of 32"), e.getMessage());
        e = assertThrows(ConfigError.class, () -> settings("polyvae.model.beta=-1"));
        assertTrue(e.getMessage().contains("polyvae.model.beta"), e.getMessage());
        e = assertThrows(ConfigError.class, () -> settings("polyvae.model.decoder-context-layers=17"));
        assertTrue(e.getMessage().contains("polyvae.model.decoder-context-layers"), e.getMessage());
    }
}
