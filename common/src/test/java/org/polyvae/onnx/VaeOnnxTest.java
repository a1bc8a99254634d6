package org.polyvae.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.polyvae.config.ModelSettings;
import org.polyvae.config.PolyvaeConfig;
import org.polyvae.data.WindowClass;
import org.polyvae.model.Decoders;
import org.polyvae.model.LatentPrior;
import org.polyvae.model.VaeArchitecture;
import org.polyvae.model.VaeBatches;

/**
 * Every decoder and latent design polyvae offers, exported to ONNX and run by onnxruntime, against DL4J on the
 * same inputs: the decoder's image, the encoder's mu and logvar (float32, within 1e-4), at initialisation and
 * after a few training steps; the learned prior's draws; and a clear error, with nothing returned, for a
 * vertex the export cannot translate.
 */
class VaeOnnxTest {
    private static final int RES = 16;
    private static final double TOLERANCE = 1e-4;

    static Stream<String> designs() {
        return Stream.of(
                // The default model: categorical, spatial code, pixel shuffle, class-conditional, discriminator,
                // boundary head, region decoding.
                "",
                "polyvae.model.gray-decoding=mean",
                "polyvae.model.gray-decoding=mode",
                "polyvae.model.boundary-head=false, polyvae.model.gray-decoding=mode",
                "polyvae.model.decoder=upsample-conv",
                "polyvae.model.likelihood=bernoulli, polyvae.model.conditional=false, polyvae.model.adversarial-weight=0",
                "polyvae.model.likelihood=laplace, polyvae.model.activation=swish",
                "polyvae.model.latent=dense, polyvae.model.decoder=deconv, polyvae.model.convolution=dl4j, "
                        + "polyvae.model.activation=tanh",
                "polyvae.model.latent=dense, polyvae.model.decoder=upsample-conv, polyvae.model.activation=elu, "
                        + "polyvae.model.class-prior=true",
                "polyvae.model.class-prior=true, polyvae.model.activation=relu, polyvae.model.dense-width=0",
                "polyvae.model.decoder=deconv, polyvae.model.likelihood=bernoulli",
                "polyvae.model.decoder=upsample-conv, polyvae.model.convolution=dl4j, polyvae.model.conditional=false",
                // Residual blocks at the code map's resolution: in the default model, and after a dense code with
                // DL4J's convolutions.
                "polyvae.model.decoder-context-layers=2",
                "polyvae.model.latent=dense, polyvae.model.decoder-context-layers=1, polyvae.model.convolution=dl4j",
                // A code map whose resolution follows the class (the test's map is 4 × 4).
                "polyvae.model.class-code-blocks=[2, 4, 1, 2]");
    }

    private static ModelSettings settings(String design) {
        List<String> o = new ArrayList<>(List.of("polyvae.data.resolution=" + RES,
                "polyvae.model.encoder-channels=[8, 16]", "polyvae.model.dense-width=16", "polyvae.model.latent-dim=6",
                "polyvae.model.latent-channels=2", "polyvae.model.gray-levels=8"));
        if (!design.isBlank()) {
            o.addAll(Arrays.stream(design.split(",\\s*(?=polyvae\\.)")).map(String::trim).toList());
        }
        return PolyvaeConfig.load(List.of(), o).model();
    }

    @ParameterizedTest
    @MethodSource("designs")
    void theDecoderAndEncoderComputeWhatDl4jComputes(String design) throws Exception {
        ModelSettings s = settings(design);
        VaeArchitecture arch = new VaeArchitecture(s);
        ComputationGraph vae = new ComputationGraph(arch.vae());
        vae.init();
        INDArray images = Nd4j.rand(DataType.FLOAT, 6, 1, RES, RES);
        INDArray classes = VaeBatches.oneHot(new int[] {2, 3, 5, 10, 2, 10});
        check(vae, arch, s, images, classes, "at initialisation");
        // Trained parameters: biases away from their initial constants, weights away from the init's scale.
        for (int i = 0; i < 3; i++) {
            vae.fit(VaeBatches.of(images, s.conditional() ? classes : null, s));
        }
        check(vae, arch, s, images, classes, "after 3 training steps");
    }

    private static void check(ComputationGraph vae, VaeArchitecture arch, ModelSettings s, INDArray images,
            INDArray classes, String when) throws Exception {
        ComputationGraph decoder = Decoders.extract(vae, arch);
        int n = (int) images.size(0);
        INDArray z = Nd4j.randn(DataType.FLOAT, n, s.codeLength()).muli(1.5);
        Map<String, INDArray> feeds = new HashMap<>(Map.of(VaeOnnx.Z, z));
        INDArray expected;
        if (s.conditional()) {
            feeds.put(VaeOnnx.CLASS, classes);
            expected = decoder.output(false, z, classes)[0];
        } else {
            expected = decoder.output(false, z)[0];
        }
        Map<String, INDArray> decoded = OnnxRuntime.run(VaeOnnx.decoder(decoder, s), feeds);
        INDArray actual = decoded.get(VaeOnnx.IMAGE);
        assertArrayEqualsShape(new long[] {n, 1, RES, RES}, actual.shape());
        if (s.regionDecoding()) {
            INDArray[] heads = s.conditional() ? decoder.output(false, z, classes) : decoder.output(false, z);
            assertClose(heads[1], decoded.get(VaeOnnx.LEVEL_PROBABILITIES), "level probabilities " + when);
            assertClose(heads[2], decoded.get(VaeOnnx.BOUNDARY), "boundary probabilities " + when);
        } else {
            assertEquals(1, decoded.size(), "decoder.onnx has one output unless it decodes by regions");
        }
        if (s.likelihood() == ModelSettings.Likelihood.CATEGORICAL
                && s.grayDecoding() != ModelSettings.GrayDecoding.MEAN) {
            assertModesAgree(decoder, z, s.conditional() ? classes : null, expected, actual, s.grayLevels(), when);
        } else {
            assertClose(expected, actual, "decoder image " + when);
        }

        INDArray[] in = s.conditional() ? new INDArray[] {images, classes} : new INDArray[] {images};
        INDArray posterior = VaeArchitecture.posterior(vae, in);
        Map<String, INDArray> encoderFeeds = new HashMap<>(Map.of(VaeOnnx.IMAGE, images));
        if (s.conditional()) {
            encoderFeeds.put(VaeOnnx.CLASS, classes);
        }
        Map<String, INDArray> encoded = OnnxRuntime.run(VaeOnnx.encoder(vae, s), encoderFeeds);
        int d = s.codeLength();
        assertClose(posterior.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, d)), encoded.get(VaeOnnx.MU), "encoder mu " + when);
        assertClose(posterior.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(d, 2 * d)), encoded.get(VaeOnnx.LOGVAR),
                "encoder logvar " + when);
    }

    /**
     * The most likely level per pixel: equal, except where DL4J's two best levels tie within float rounding
     * (then either is the mode).
     */
    private static void assertModesAgree(ComputationGraph decoder, INDArray z, INDArray classes, INDArray expected,
            INDArray actual, int levels, String when) {
        INDArray probabilities = (classes == null ? decoder.feedForward(new INDArray[] {z}, false)
                : decoder.feedForward(new INDArray[] {z, classes}, false)).get(VaeArchitecture.RECONSTRUCTION);
        float[] e = expected.dup('c').data().asFloat();
        float[] a = actual.dup('c').data().asFloat();
        long pixels = expected.size(2) * expected.size(3);
        int ties = 0;
        for (int i = 0; i < e.length; i++) {
            if (Math.abs(e[i] - a[i]) <= TOLERANCE) {
                continue;
            }
            int image = (int) (i / pixels);
            int y = (int) (i % pixels / expected.size(3));
            int x = (int) (i % expected.size(3));
            int le = Math.round(e[i] * levels - 0.5f);
            int la = Math.round(a[i] * levels - 0.5f);
            double gap = Math.abs(probabilities.getDouble(image, le, y, x) - probabilities.getDouble(image, la, y, x));
            assertTrue(gap < 1e-5, "decoder image " + when + ": pixel " + i + " is level " + la + " in ONNX, " + le
                    + " in DL4J, whose probabilities differ by " + gap);
            ties++;
        }
        assertTrue(ties <= e.length / 1000, ties + " near-ties of " + e.length + " pixels " + when);
    }

    @Test
    void priorDrawsAreTheLearnedPriorsMapOfTheSameNoise() throws Exception {
        Random r = new Random(4);
        int d = 5;
        List<LatentPrior.Codes> classes = new ArrayList<>();
        // Three of the four classes: the one-hot of the fourth draws z = 0.
        for (int um : new int[] {2, 5, 10}) {
            LatentPrior.Codes c = new LatentPrior.Codes(um);
            for (int i = 0; i < 40; i++) {
                float[] mu = new float[d];
                float[] logvar = new float[d];
                for (int j = 0; j < d; j++) {
                    mu[j] = (float) (um / 3.0 + r.nextGaussian() * (1 + j));
                    logvar[j] = (float) (-1 - r.nextDouble());
                }
                c.add(mu, logvar);
            }
            classes.add(c);
        }
        LatentPrior prior = LatentPrior.fit(classes);
        int[] um = {2, 5, 10, 3, 10, 2};
        INDArray eps = Nd4j.randn(DataType.FLOAT, um.length, d);
        INDArray z = OnnxRuntime.run(VaeOnnx.prior(prior), Map.of(VaeOnnx.EPS, eps,
                VaeOnnx.CLASS, VaeBatches.oneHot(um))).get(VaeOnnx.Z);
        for (int i = 0; i < um.length; i++) {
            double[] expected = prior.covers(um[i])
                    ? LatentPrior.map(prior.component(um[i]), eps.getRow(i).toDoubleVector(), 1) : new double[d];
            for (int j = 0; j < d; j++) {
                assertEquals(expected[j], z.getDouble(i, j), TOLERANCE * (1 + Math.abs(expected[j])),
                        "z[" + i + "][" + j + "] of a " + um[i] + " µm draw");
            }
        }

        LatentPrior.Codes all = new LatentPrior.Codes(LatentPrior.ALL_CLASSES);
        for (int i = 0; i < 30; i++) {
            all.add(new float[] {(float) r.nextGaussian(), (float) (2 + r.nextGaussian())}, new float[] {-2, -3});
        }
        LatentPrior unconditional = LatentPrior.fit(List.of(all));
        INDArray u = Nd4j.randn(DataType.FLOAT, 3, 2);
        INDArray z2 = OnnxRuntime.run(VaeOnnx.prior(unconditional), Map.of(VaeOnnx.EPS, u)).get(VaeOnnx.Z);
        for (int i = 0; i < 3; i++) {
            double[] expected = LatentPrior.map(unconditional.components().get(0), u.getRow(i).toDoubleVector(), 1);
            assertEquals(expected[0], z2.getDouble(i, 0), TOLERANCE);
            assertEquals(expected[1], z2.getDouble(i, 1), TOLERANCE);
        }
    }

    @Test
    void aVertexWithoutTranslationFailsNamingIt() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT)
                .graphBuilder().addInputs("in")
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(2).convolutionMode(
                        org.deeplearning4j.nn.conf.ConvolutionMode.Same).build(), "in")
                .addLayer("pool", new SubsamplingLayer.Builder(2, 2).stride(2, 2).build(), "conv")
                .addLayer("out", new CnnLossLayer.Builder().build(), "pool")
                .setOutputs("out").setInputTypes(InputType.convolutional(8, 8, 1)).build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        OnnxGraph onnx = new OnnxGraph("test", "");
        GraphTranslator t = new GraphTranslator(net, onnx);
        t.bind("in", onnx.input("in", 1, 8, 8));
        UnsupportedExportException e = assertThrows(UnsupportedExportException.class, () -> t.translate("out"));
        assertTrue(e.getMessage().contains("'pool'") && e.getMessage().contains("SubsamplingLayer"), e.getMessage());

        // Nor is the VAE's training path (the reparameterisation's noise, the discriminator): the decoder and
        // encoder exports of the same graph work because only what is asked for is translated.
        ModelSettings s = settings("");
        ComputationGraph vae = new ComputationGraph(new VaeArchitecture(s).vae());
        vae.init();
        GraphTranslator whole = new GraphTranslator(vae, new OnnxGraph("vae", ""));
        whole.bind(VaeArchitecture.INPUT, "image");
        whole.bind(VaeArchitecture.CLASS, "class");
        e = assertThrows(UnsupportedExportException.class, () -> whole.translate(VaeArchitecture.ADVERSARIAL));
        assertTrue(e.getMessage().contains("'z' is a ReparameterizationVertex"), e.getMessage());
    }

    @Test
    void theDefaultModelAtFullSizeExports() throws Exception {
        ModelSettings s = PolyvaeConfig.defaultsOnly().model();
        VaeArchitecture arch = new VaeArchitecture(s);
        ComputationGraph vae = new ComputationGraph(arch.vae());
        vae.init();
        int n = 4;
        INDArray z = Nd4j.randn(DataType.FLOAT, n, s.codeLength());
        INDArray classes = VaeBatches.oneHot(Arrays.stream(WindowClass.values()).mapToInt(WindowClass::micrometres)
                .toArray());
        ComputationGraph decoder = Decoders.extract(vae, arch);
        INDArray expected = decoder.output(false, z, classes)[0];
        INDArray actual = OnnxRuntime.run(VaeOnnx.decoder(decoder, s), Map.of(VaeOnnx.Z, z, VaeOnnx.CLASS, classes))
                .get(VaeOnnx.IMAGE);
        assertModesAgree(decoder, z, classes, expected, actual, s.grayLevels(), "at full size");
    }

    private static void assertArrayEqualsShape(long[] expected, long[] actual) {
        assertTrue(Arrays.equals(expected, actual), "shape " + Arrays.toString(actual) + ", expected "
                + Arrays.toString(expected));
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        assertArrayEqualsShape(expected.shape(), actual.shape());
        float[] e = expected.castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[] a = actual.dup('c').data().asFloat();
        double worst = 0;
        int at = -1;
        for (int i = 0; i < e.length; i++) {
            double err = Math.abs(e[i] - a[i]) / Math.max(1, Math.abs(e[i]));
            if (err > worst) {
                worst = err;
                at = i;
            }
        }
        assertTrue(worst <= TOLERANCE, what + ": ONNX differs from DL4J by " + worst + " at element " + at + " ("
                + (at < 0 ? "" : e[at] + " vs " + a[at]) + ")");
    }
}
