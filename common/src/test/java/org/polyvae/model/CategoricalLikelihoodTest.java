package org.polyvae.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.polyvae.config.ModelSettings;

/** polyvae.model.likelihood = categorical: targets, loss, gradient and the decoder's gray image. */
class CategoricalLikelihoodTest {
    private static final int K = 8;

    private static ModelSettings settings(String... extra) {
        String[] all = new String[extra.length + 2];
        all[0] = "polyvae.model.likelihood=categorical";
        all[1] = "polyvae.model.gray-levels=" + K;
        System.arraycopy(extra, 0, all, 2, extra.length);
        return VaeArchitectureTest.settings(all);
    }

    @Test
    void levelsAreTheOneHotOfEachPixelsBinAndTheVertexDecodesThemToTheBinCentre() {
        INDArray x = VaeArchitectureTest.images(2, 4);
        INDArray levels = VaeBatches.levels(x, K);
        assertArrayEquals(new long[] {2, K, VaeArchitectureTest.RES, VaeArchitectureTest.RES}, levels.shape());
        assertEquals(1.0, levels.sum(1).minNumber().doubleValue(), 0);
        assertEquals(1.0, levels.sum(1).maxNumber().doubleValue(), 0);
        assertEquals(K - 1, Nd4j.argMax(VaeBatches.levels(Nd4j.ones(DataType.FLOAT, 1, 1, 1, 1), K), 1).getInt(0));

        ComputationGraph decode = grayOnly();
        INDArray gray = decode.output(levels)[0];
        assertArrayEquals(x.shape(), gray.shape());
        double err = Transforms.abs(gray.sub(x)).maxNumber().doubleValue();
        assertTrue(err <= 0.5 / K + 1e-6, "decoded within half a level of the gray: " + err);
        assertTrue(Transforms.abs(gray.sub(x)).meanNumber().doubleValue() > 0.01, "quantised, not copied");
    }

    /** Mean decoding: the probability-weighted centre; a pixel split evenly between two levels lies between them. */
    @Test
    void meanDecodingIsTheExpectedLevelCentre() {
        INDArray p = Nd4j.zeros(DataType.FLOAT, 1, K, VaeArchitectureTest.RES, VaeArchitectureTest.RES);
        p.putScalar(new long[] {0, 2, 0, 0}, 0.5);
        p.putScalar(new long[] {0, 3, 0, 0}, 0.5);
        p.putScalar(new long[] {0, 5, 0, 1}, 0.75);
        p.putScalar(new long[] {0, 1, 0, 1}, 0.25);
        for (int y = 0; y < VaeArchitectureTest.RES; y++) {
            for (int x = y == 0 ? 2 : 0; x < VaeArchitectureTest.RES; x++) {
                p.putScalar(new long[] {0, 7, y, x}, 1);
            }
        }
        INDArray mean = grayOnly(true).output(p)[0];
        assertEquals(3.0 / K, mean.getDouble(0, 0, 0, 0), 1e-6, "halfway between the centres of levels 2 and 3");
        assertEquals((0.75 * 5.5 + 0.25 * 1.5) / K, mean.getDouble(0, 0, 0, 1), 1e-6);
        assertEquals(7.5 / K, mean.getDouble(0, 0, 3, 3), 1e-6, "a certain pixel: its level's centre");
        INDArray mode = grayOnly(false).output(p)[0];
        assertEquals(5.5 / K, mode.getDouble(0, 0, 0, 1), 1e-6, "the mode takes the likelier level");
    }

    /** A graph of just the vertex: probabilities [n, K, h, w] in, gray image out. */
    private static ComputationGraph grayOnly() {
        return grayOnly(false);
    }

    private static ComputationGraph grayOnly(boolean mean) {
        ComputationGraphConfiguration conf = new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder()
                .graphBuilder().addInputs("p").addVertex("gray", new GrayLevelVertex(K, mean), "p").setOutputs("gray")
                .setInputTypes(org.deeplearning4j.nn.conf.inputs.InputType.convolutional(VaeArchitectureTest.RES,
                        VaeArchitectureTest.RES, K))
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    @Test
    void theVertexGradientIsTheFiniteDifferenceOfItsOutputZero() {
        Nd4j.getRandom().setSeed(3);
        INDArray p = Nd4j.rand(DataType.DOUBLE, 1, K, 2, 2);
        org.deeplearning4j.nn.graph.vertex.GraphVertex v = new GrayLevelVertex(K).instantiate(null, "gray", 0, null,
                false, DataType.DOUBLE);
        org.deeplearning4j.nn.workspace.LayerWorkspaceMgr mgr = org.deeplearning4j.nn.workspace.LayerWorkspaceMgr
                .noWorkspaces();
        v.setInputs(p);
        INDArray out = v.doForward(false, mgr).dup();
        v.setEpsilon(Nd4j.ones(DataType.DOUBLE, out.shape()));
        INDArray grad = v.doBackward(false, mgr).getSecond()[0];
        for (long i = 0; i < p.length(); i++) {
            double orig = p.getDouble(i);
            p.putScalar(i, orig + 1e-6);
            v.setInputs(p);
            double plus = v.doForward(false, mgr).sumNumber().doubleValue();
            p.putScalar(i, orig - 1e-6);
            v.setInputs(p);
            double minus = v.doForward(false, mgr).sumNumber().doubleValue();
            p.putScalar(i, orig);
            assertEquals((plus - minus) / 2e-6, grad.getDouble(i), 1e-9);
        }
        assertEquals((Nd4j.argMax(p, 1).getDouble(0) + 0.5) / K, out.getDouble(0), 1e-12);
    }

    @Test
    void theScoreIsTheSummedCategoricalCrossEntropyOverLevelsPerPixelPlusBetaKl() {
        ModelSettings s = settings("polyvae.model.latent=spatial", "polyvae.model.beta=2.5");
        ComputationGraph g = VaeArchitectureTest.graph(s);
        INDArray x = VaeArchitectureTest.images(3, 1);
        MultiDataSet mds = VaeBatches.of(x, null, s);
        Nd4j.getRandom().setSeed(7);
        double score = g.score(mds, true);
        Nd4j.getRandom().setSeed(7);
        Map<String, INDArray> act = g.feedForward(new INDArray[] {x}, true);
        INDArray p = act.get(VaeArchitecture.RECONSTRUCTION).castTo(DataType.DOUBLE);
        assertArrayEquals(new long[] {3, K, VaeArchitectureTest.RES, VaeArchitectureTest.RES}, p.shape());
        // A softmax across the levels of each pixel.
        INDArray perPixel = p.sum(1);
        assertEquals(1.0, perPixel.minNumber().doubleValue(), 1e-5);
        assertEquals(1.0, perPixel.maxNumber().doubleValue(), 1e-5);
        double ce = -VaeBatches.levels(x, K).castTo(DataType.DOUBLE).mul(Transforms.log(p, true)).sumNumber()
                .doubleValue() / 3;
        INDArray post = act.get(VaeArchitecture.POSTERIOR).castTo(DataType.DOUBLE);
        int d = s.codeLength();
        INDArray mu = post.get(NDArrayIndex.all(), NDArrayIndex.interval(0, d));
        INDArray lv = post.get(NDArrayIndex.all(), NDArrayIndex.interval(d, 2 * d));
        double kl = 0.5 * mu.mul(mu).add(Transforms.exp(lv, true)).sub(1).sub(lv).sumNumber().doubleValue() / 3;
        assertEquals(ce + 2.5 * kl, score, 1e-3 * score);
        assertTrue(ce > 0.5 * VaeArchitectureTest.RES * VaeArchitectureTest.RES * Math.log(2), "summed: " + ce);
    }

    @Test
    void theGradientOfTheCategoricalVaeIsItsFiniteDifference() {
        for (String variant : List.of("spatial", "dense conditional")) {
            String latent = variant.split(" ")[0];
            boolean conditional = variant.endsWith("conditional");
            ModelSettings s = settings("polyvae.model.latent=" + latent, "polyvae.model.activation=tanh",
                    "polyvae.model.conditional=" + conditional);
            ComputationGraph g = VaeArchitectureTest.graph(s).convertDataType(DataType.DOUBLE);
            INDArray x = VaeArchitectureTest.images(1, 3).castTo(DataType.DOUBLE);
            MultiDataSet mds = VaeBatches.of(x, conditional
                    ? VaeBatches.oneHot(new int[] {5}).castTo(DataType.DOUBLE) : null, s);
            mds.setLabels(1, mds.getLabels(1).castTo(DataType.DOUBLE));
            GradientCheck.assertMatchesFiniteDifferences(g, mds, variant, 40, GradientCheck.anyParameter(g));
        }
    }

    @Test
    void theStandaloneDecoderDrawsAGrayImageFromTheLevelsAndSurvivesJson() {
        for (String latent : List.of("dense", "spatial")) {
            ModelSettings s = settings("polyvae.model.latent=" + latent);
            ModelSettings meanDecoding = settings("polyvae.model.latent=" + latent, "polyvae.model.gray-decoding=mean");
            ComputationGraphConfiguration meanConf = new VaeArchitecture(meanDecoding).decoder();
            assertEquals(meanConf, ComputationGraphConfiguration.fromJson(meanConf.toJson()), "mean decoding survives JSON");
            assertTrue(meanConf.getVertices().get(VaeArchitecture.GRAY).equals(new GrayLevelVertex(K, true)));
            VaeArchitecture arch = new VaeArchitecture(s);
            ComputationGraphConfiguration conf = arch.decoder();
            assertEquals(conf, ComputationGraphConfiguration.fromJson(conf.toJson()));
            ComputationGraph decoder = Decoders.extract(VaeArchitectureTest.graph(s), arch);
            INDArray z = Nd4j.randn(DataType.FLOAT, 5, s.codeLength());
            INDArray img = decoder.output(z)[0];
            assertArrayEquals(new long[] {5, 1, VaeArchitectureTest.RES, VaeArchitectureTest.RES}, img.shape());
            Map<String, INDArray> act = decoder.feedForward(new INDArray[] {z}, false);
            INDArray mode = Nd4j.argMax(act.get(VaeArchitecture.RECONSTRUCTION), 1).castTo(DataType.FLOAT)
                    .addi(0.5).divi(K);
            assertEquals(mode.reshape(img.shape()), img);
        }
    }
}
