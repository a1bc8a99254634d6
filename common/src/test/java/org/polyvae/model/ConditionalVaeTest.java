package org.polyvae.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;
import org.polyvae.config.ModelSettings;

/** The class-conditional VAE (polyvae.model.conditional) and its {@link TileToMapVertex}. */
class ConditionalVaeTest {
    private static final int[] CLASSES_UM = {2, 3, 5, 10};

    private static ModelSettings settings(String... extra) {
        String[] all = new String[extra.length + 1];
        all[0] = "polyvae.model.conditional=true";
        System.arraycopy(extra, 0, all, 1, extra.length);
        return VaeArchitectureTest.settings(all);
    }

    /** One window class per image, cycling through the four. */
    private static INDArray classes(int n) {
        int[] um = new int[n];
        for (int i = 0; i < n; i++) {
            um[i] = CLASSES_UM[i % CLASSES_UM.length];
        }
        return VaeBatches.oneHot(um);
    }

    @Test
    void theTiledVectorFillsItsChannelsAndItsGradientIsTheSumOverTheMap() {
        // input → dense(3) → tile 4×4 → per-pixel MSE: finite differences of the dense layer's parameters pass
        // through the vertex's backward, which must sum the map's gradient.
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE)
                .graphBuilder().addInputs("in")
                .addLayer("dense", new DenseLayer.Builder().nOut(3).activation(Activation.TANH).build(), "in")
                .addVertex("tile", new TileToMapVertex(4), "dense")
                .addLayer("out", new CnnLossLayer.Builder(new LossMSE()).activation(Activation.IDENTITY).build(), "tile")
                .setOutputs("out").setInputTypes(InputType.feedForward(2)).build();
        assertEquals(conf, ComputationGraphConfiguration.fromJson(conf.toJson()));
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 2);
        INDArray y = Nd4j.rand(DataType.DOUBLE, 2, 3, 4, 4);
        INDArray dense = g.feedForward(x, false).get("dense");
        INDArray tiled = g.feedForward(x, false).get("tile");
        assertEquals(4, tiled.rank());
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                assertTrue(dense.equalsWithEps(tiled.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(i),
                        NDArrayIndex.point(j)), 1e-12), "position " + i + "," + j);
            }
        }
        MultiDataSet mds = new org.nd4j.linalg.dataset.MultiDataSet(x, y);
        g.setInputs(x);
        g.setLabels(y);
        g.computeGradientAndScore();
        // DL4J's gradient is the minibatch's sum (its updater divides by the minibatch size); the score is the mean.
        INDArray grad = g.gradient().gradient().div(x.size(0));
        INDArray params = g.params();
        for (long i = 0; i < params.length(); i++) {
            double original = params.getDouble(i);
            double h = 1e-6;
            params.putScalar(i, original + h);
            double plus = g.score(mds, true);
            params.putScalar(i, original - h);
            double minus = g.score(mds, true);
            params.putScalar(i, original);
            double numeric = (plus - minus) / (2 * h);
            assertEquals(numeric, grad.getDouble(i), 1e-6 + 1e-4 * Math.abs(numeric), "parameter " + i);
        }
    }

    @Test
    void conditionalGraphsSurviveJsonAndModelSerializer() throws Exception {
        for (String latent : List.of("dense", "spatial")) {
            ModelSettings s = settings("polyvae.model.latent=" + latent);
            ComputationGraphConfiguration conf = new VaeArchitecture(s).vae();
            assertEquals(conf, ComputationGraphConfiguration.fromJson(conf.toJson()), latent);
            ComputationGraph g = VaeArchitectureTest.graph(s);
            assertTrue(VaeArchitecture.isConditional(g));
            assertTrue(!VaeArchitecture.isConditional(VaeArchitectureTest.graph(VaeArchitectureTest.settings())));
            INDArray x = VaeArchitectureTest.images(8, 20);
            g.fit(VaeBatches.of(x, classes(8), s.codeLength()));
            ByteArrayOutputStream zip = new ByteArrayOutputStream();
            ModelSerializer.writeModel(g, zip, true);
            ComputationGraph restored = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(zip.toByteArray()), true);
            assertEquals(g.output(false, x, classes(8))[0], restored.output(false, x, classes(8))[0], latent);
        }
    }

    @Test
    void theConditionalDecoderAloneReproducesTheVaeAtInference() {
        for (String latent : List.of("dense", "spatial")) {
            for (ModelSettings.Decoder decoder : ModelSettings.Decoder.values()) {
                ModelSettings s = settings("polyvae.model.latent=" + latent,
                        "polyvae.model.decoder=" + decoder.configValue());
                VaeArchitecture arch = new VaeArchitecture(s);
                ComputationGraph g = VaeArchitectureTest.graph(s);
                INDArray x = VaeArchitectureTest.images(4, 30);
                INDArray c = classes(4);
                g.fit(VaeBatches.of(x, c, s.codeLength()));
                INDArray mu = g.feedForward(new INDArray[] {x, c}, false).get(VaeArchitecture.POSTERIOR)
                        .get(NDArrayIndex.all(), NDArrayIndex.interval(0, s.codeLength()));
                ComputationGraph dec = Decoders.extract(g, arch);
                assertTrue(VaeArchitecture.isConditional(dec));
                INDArray viaDecoder = dec.output(false, mu, c)[0];
                INDArray viaVae = g.output(false, x, c)[0];
                assertTrue(viaVae.equalsWithEps(viaDecoder, 1e-6), latent + "/" + decoder);
            }
        }
    }

    /**
     * Images whose brightness is set by their class alone, and a KL weight that makes z worthless: only a
     * decoder that reads its class input can draw a bright 2 µm and a dark 10 µm image from the same z.
     */
    @Test
    void theDecoderLearnsWhatTheClassInputMeans() {
        for (String latent : List.of("dense", "spatial")) {
            ModelSettings s = settings("polyvae.model.latent=" + latent, "polyvae.model.beta=20",
                    "polyvae.model.learning-rate=0.01", "polyvae.model.lr-decay=1");
            ComputationGraph g = VaeArchitectureTest.graph(s);
            int n = 16;
            INDArray c = classes(n);
            INDArray x = Nd4j.create(DataType.FLOAT, n, 1, VaeArchitectureTest.RES, VaeArchitectureTest.RES);
            for (int i = 0; i < n; i++) {
                // 2 µm → 0.9, 3 → 0.63, 5 → 0.37, 10 → 0.1
                x.get(NDArrayIndex.point(i)).assign(0.9 - 0.8 * (i % 4) / 3.0);
            }
            MultiDataSet batch = VaeBatches.of(x, c, s.codeLength());
            for (int step = 0; step < 150; step++) {
                g.fit(batch);
            }
            ComputationGraph dec = Decoders.extract(g, new VaeArchitecture(s));
            INDArray z = Nd4j.zeros(DataType.FLOAT, 4, s.codeLength());
            INDArray out = dec.output(false, z, classes(4))[0];
            Map<Integer, Double> mean = new java.util.TreeMap<>();
            for (int k = 0; k < 4; k++) {
                mean.put(CLASSES_UM[k], out.get(NDArrayIndex.point(k)).meanNumber().doubleValue());
            }
            for (int k = 0; k < 4; k++) {
                assertEquals(0.9 - 0.8 * k / 3.0, mean.get(CLASSES_UM[k]), 0.1, latent + ": mean gray by class " + mean);
            }
        }
    }
}
