package org.polyvae.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.polyvae.config.ModelSettings;

/** The Laplace likelihood: its loss by hand and by finite differences, the VAE's score, the decoder's gray. */
class LaplaceLikelihoodTest {

    private static ModelSettings settings(String... extra) {
        String[] all = new String[extra.length + 1];
        all[0] = "polyvae.model.likelihood=laplace";
        System.arraycopy(extra, 0, all, 1, extra.length);
        return VaeArchitectureTest.settings(all);
    }

    @Test
    void theLossIsTheLaplaceNegativeLogLikelihoodAndItsGradientTheFiniteDifference() {
        // Rows [a, s]: location sigmoid(a), log-scale s; the last row's s is below the clamp.
        INDArray pre = Nd4j.create(new double[][] {{0.3, -2.0}, {-1.2, -3.5}, {2.0, 0.5}, {0.1, -9.0}});
        INDArray labels = Nd4j.create(new double[][] {{0.7, 0}, {0.1, 0}, {0.9, 0}, {0.5, 0}});
        LaplaceLoss loss = new LaplaceLoss();
        INDArray score = loss.computeScoreArray(labels, pre, new ActivationIdentity(), null);
        for (int i = 0; i < 4; i++) {
            double mu = 1 / (1 + Math.exp(-pre.getDouble(i, 0)));
            double s = Math.max(LaplaceLoss.MIN_LOG_SCALE, pre.getDouble(i, 1));
            assertEquals(Math.abs(labels.getDouble(i, 0) - mu) * Math.exp(-s) + s + Math.log(2), score.getDouble(i, 0),
                    1e-9, "row " + i);
        }
        INDArray grad = loss.computeGradient(labels, pre, new ActivationIdentity(), null);
        double h = 1e-6;
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 2; j++) {
                INDArray up = pre.dup();
                up.putScalar(i, j, pre.getDouble(i, j) + h);
                INDArray down = pre.dup();
                down.putScalar(i, j, pre.getDouble(i, j) - h);
                double fd = (loss.computeScore(labels, up, new ActivationIdentity(), null, false)
                        - loss.computeScore(labels, down, new ActivationIdentity(), null, false)) / (2 * h);
                assertEquals(fd, grad.getDouble(i, j), 1e-5, "d/d[" + i + "," + j + "]");
            }
        }
        assertEquals(0.0, grad.getDouble(3, 1), 0.0, "no gradient through the clamp");
    }

    @Test
    void theScoreIsTheSummedLaplaceLikelihoodPerImagePlusBetaKl() {
        ModelSettings s = settings("polyvae.model.latent=spatial", "polyvae.model.beta=2.5");
        ComputationGraph g = VaeArchitectureTest.graph(s);
        INDArray x = VaeArchitectureTest.images(3, 2);
        MultiDataSet mds = VaeBatches.of(x, null, s);
        assertArrayEquals(new long[] {3, 2, VaeArchitectureTest.RES, VaeArchitectureTest.RES}, mds.getLabels(0).shape());
        Nd4j.getRandom().setSeed(7);
        double score = g.score(mds, true);
        Nd4j.getRandom().setSeed(7);
        Map<String, INDArray> act = g.feedForward(new INDArray[] {x}, true);
        INDArray out = act.get(VaeArchitecture.RECONSTRUCTION).castTo(DataType.DOUBLE);
        INDArray mu = Transforms.sigmoid(out.get(NDArrayIndex.all(), NDArrayIndex.point(0)), true);
        INDArray logScale = Transforms.max(out.get(NDArrayIndex.all(), NDArrayIndex.point(1)), LaplaceLoss.MIN_LOG_SCALE,
                true);
        INDArray xs = x.castTo(DataType.DOUBLE).get(NDArrayIndex.all(), NDArrayIndex.point(0));
        double nll = Transforms.abs(xs.sub(mu), true).mul(Transforms.exp(logScale.neg(), true)).add(logScale)
                .add(Math.log(2)).sumNumber().doubleValue() / 3;
        INDArray post = act.get(VaeArchitecture.POSTERIOR).castTo(DataType.DOUBLE);
        long d = post.size(1) / 2;
        INDArray m = post.get(NDArrayIndex.all(), NDArrayIndex.interval(0, d));
        INDArray lv = post.get(NDArrayIndex.all(), NDArrayIndex.interval(d, 2 * d));
        double kl = 2.5 * 0.5 * m.mul(m).add(Transforms.exp(lv, true)).sub(1).sub(lv).sumNumber().doubleValue() / 3;
        assertEquals(nll + kl, score, 1e-3 * Math.abs(nll + kl));
    }

    @Test
    void theGradientOfTheLaplaceVaeIsItsFiniteDifference() {
        for (String latent : new String[] {"dense", "spatial"}) {
            ModelSettings s = settings("polyvae.model.latent=" + latent, "polyvae.model.activation=tanh");
            ComputationGraph g = VaeArchitectureTest.graph(s).convertDataType(DataType.DOUBLE);
            MultiDataSet mds = VaeBatches.of(VaeArchitectureTest.images(1, 3).castTo(DataType.DOUBLE), null, s);
            mds.setLabels(0, mds.getLabels(0).castTo(DataType.DOUBLE));
            mds.setLabels(1, mds.getLabels(1).castTo(DataType.DOUBLE));
            GradientCheck.assertMatchesFiniteDifferences(g, mds, "laplace " + latent, 60, GradientCheck.anyParameter(g));
        }
    }

    @Test
    void theStandaloneDecoderDrawsTheLocationAndSurvivesJson() {
        ModelSettings s = settings("polyvae.model.latent=spatial");
        VaeArchitecture arch = new VaeArchitecture(s);
        ComputationGraphConfiguration conf = arch.decoder();
        assertEquals(conf, ComputationGraphConfiguration.fromJson(conf.toJson()));
        ComputationGraph decoder = Decoders.extract(VaeArchitectureTest.graph(s), arch);
        INDArray z = Nd4j.randn(DataType.FLOAT, 4, s.codeLength());
        INDArray img = decoder.output(z)[0];
        assertArrayEquals(new long[] {4, 1, VaeArchitectureTest.RES, VaeArchitectureTest.RES}, img.shape());
        INDArray out = decoder.feedForward(new INDArray[] {z}, false).get(VaeArchitecture.RECONSTRUCTION);
        INDArray location = Transforms.sigmoid(out.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 1)), true);
        assertTrue(Transforms.abs(location.sub(img), true).maxNumber().doubleValue() < 1e-6, "the sigmoid location");
    }
}
