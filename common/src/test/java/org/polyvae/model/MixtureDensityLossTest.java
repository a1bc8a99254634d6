package org.polyvae.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.polyvae.config.TrainSettings.PriorOrder;

class MixtureDensityLossTest {
    private static INDArray random(long rows, long cols, double scale, long seed) {
        Random r = new Random(seed);
        double[] v = new double[(int) (rows * cols)];
        for (int i = 0; i < v.length; i++) {
            v[i] = scale * r.nextGaussian();
        }
        return Nd4j.create(v, new long[] {rows, cols}, DataType.DOUBLE);
    }

    @Test
    void oneComponentIsTheDiagonalGaussiansNegativeLogLikelihood() {
        // K = 1, D = 2: output [a | m1 m2 | s1 s2].
        INDArray out = Nd4j.create(new double[] {0.3, 1.0, -2.0, 0.5, -0.25}, new long[] {1, 5}, DataType.DOUBLE);
        INDArray y = Nd4j.create(new double[] {1.5, -1.0}, new long[] {1, 2}, DataType.DOUBLE);
        double expected = 0;
        double[] m = {1.0, -2.0};
        double[] s = {0.5, -0.25};
        double[] yy = {1.5, -1.0};
        for (int j = 0; j < 2; j++) {
            double u = (yy[j] - m[j]) / Math.exp(s[j]);
            expected += 0.5 * u * u + s[j] + 0.5 * Math.log(2 * Math.PI);
        }
        double score = new MixtureDensityLoss(1).computeScore(y, out, new ActivationIdentity(), null, false);
        assertEquals(expected, score, 1e-9);
    }

    @Test
    void gradientMatchesFiniteDifferencesOfTheScore() {
        int k = 3;
        int d = 4;
        int n = 6;
        MixtureDensityLoss loss = new MixtureDensityLoss(k);
        INDArray out = random(n, MixtureDensityLoss.outputs(k, d), 1.0, 3);
        // Far-apart logits and one clamped log-sigma: the log-sum-exp and the clamp are exercised too.
        out.putScalar(0, 0, 40.0);
        out.putScalar(1, k + k * d, -9.0);
        INDArray y = random(n, d, 1.5, 4);
        INDArray grad = loss.computeGradient(y, out, new ActivationIdentity(), null);
        int checked = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < out.size(1); j++) {
                double original = out.getDouble(i, j);
                double h = 1e-6;
                out.putScalar(i, j, original + h);
                double plus = loss.computeScore(y, out, new ActivationIdentity(), null, false);
                out.putScalar(i, j, original - h);
                double minus = loss.computeScore(y, out, new ActivationIdentity(), null, false);
                out.putScalar(i, j, original);
                double numeric = (plus - minus) / (2 * h);
                double analytic = grad.getDouble(i, j);
                assertEquals(numeric, analytic, 1e-5 + 1e-4 * Math.abs(numeric), "row " + i + ", output " + j);
                checked += Math.abs(numeric) > 1e-4 ? 1 : 0;
            }
        }
        assertEquals(0.0, grad.getDouble(1, k + k * d), 0.0, "a clamped log-sigma passes no gradient");
        assertTrue(checked > n * out.size(1) / 2, "checked " + checked);
    }

    @Test
    void theNetworksBackwardPassMatchesFiniteDifferences() {
        ComputationGraph net = AutoregressivePrior.network(PriorOrder.RASTER, 3, 4, 2, 16, 4, 1e-3, 7);
        net = net.convertDataType(DataType.DOUBLE);
        int f = AutoregressivePrior.features(PriorOrder.RASTER, 3, 4, 2);
        org.nd4j.linalg.dataset.MultiDataSet mds = new org.nd4j.linalg.dataset.MultiDataSet(random(8, f, 1, 5),
                random(8, 3, 1, 6));
        GradientCheck.assertMatchesFiniteDifferences(net, mds, "autoregressive prior network", 80,
                GradientCheck.anyParameter(net));
    }

    @Test
    void aRowOfTheWrongWidthIsRefusedWithTheExpectedLayout() {
        INDArray out = random(2, 10, 1, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MixtureDensityLoss(3)
                .computeScore(random(2, 1, 1, 2), out, new ActivationIdentity(), null, false));
        assertTrue(e.getMessage().contains("K·(1 + 2·D)"), e.getMessage());
    }
}
