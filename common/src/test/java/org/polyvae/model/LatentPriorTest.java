package org.polyvae.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The learned prior: the aggregate posterior's moments per class, a positive definite covariance, draws. */
class LatentPriorTest {

    /** Codes with mu ~ N(m, A·Aᵀ) for A = [[1, 0], [0.8, 0.5]] and posterior variance v per dimension. */
    private static LatentPrior.Codes codes(int um, int n, double[] m, double v, long seed) {
        Random r = new Random(seed);
        LatentPrior.Codes c = new LatentPrior.Codes(um);
        float lv = (float) Math.log(v);
        for (int i = 0; i < n; i++) {
            double a = r.nextGaussian();
            double b = r.nextGaussian();
            c.add(new float[] {(float) (m[0] + a), (float) (m[1] + 0.8 * a + 0.5 * b)}, new float[] {lv, lv});
        }
        return c;
    }

    @Test
    void matchesTheMeanAndCovarianceOfTheAggregatePosteriorPerClass() {
        LatentPrior p = LatentPrior.fit(List.of(codes(10, 20_000, new double[] {-3, 1}, 0.04, 2),
                codes(2, 20_000, new double[] {2, 0}, 0.25, 1)));
        assertEquals(List.of(2, 10), p.components().stream().map(LatentPrior.Component::micrometres).toList(),
                "components in ascending window size");
        LatentPrior.Component two = p.component(2);
        assertArrayEquals(new double[] {2, 0}, two.mean(), 0.03);
        // Cov(mu) + E[σ²]: [[1, 0.8], [0.8, 0.89]] + 0.25 I; with 20,000 codes in 2-D the shrinkage is negligible.
        assertTrue(two.shrinkage() < 1e-3, "shrinkage " + two.shrinkage());
        assertEquals(1.25, two.covariance()[0][0], 0.04);
        assertEquals(0.8, two.covariance()[0][1], 0.03);
        assertEquals(1.14, two.covariance()[1][1], 0.04);
        assertEquals(0.93, p.component(10).covariance()[1][1], 0.04, "each class its own posterior variance");
        assertArrayEquals(new double[] {-3, 1}, p.component(10).mean(), 0.03);
    }

    @Test
    void drawsHaveThePriorsMomentsAndTheTemperatureScalesTheirSpread() {
        LatentPrior p = LatentPrior.fit(List.of(codes(3, 5_000, new double[] {1, -1}, 0.01, 4)));
        LatentPrior.Component c = p.component(3);
        Random r = new Random(9);
        int n = 40_000;
        double[] sum = new double[2];
        double[] sq = new double[3];
        for (int i = 0; i < n; i++) {
            double[] z = p.sample(3, r, 0.5);
            double a = z[0] - c.mean()[0];
            double b = z[1] - c.mean()[1];
            sum[0] += z[0];
            sum[1] += z[1];
            sq[0] += a * a;
            sq[1] += a * b;
            sq[2] += b * b;
        }
        assertEquals(c.mean()[0], sum[0] / n, 0.01);
        assertEquals(c.mean()[1], sum[1] / n, 0.01);
        assertEquals(0.25 * c.covariance()[0][0], sq[0] / n, 0.01);
        assertEquals(0.25 * c.covariance()[0][1], sq[1] / n, 0.01);
        assertEquals(0.25 * c.covariance()[1][1], sq[2] / n, 0.01);
    }

    /**
     * E11 = 150 + 4·a + noise where mu = (a, 0.8a + 0.5b): asking for E11 = 158 must draw z from the Gaussian
     * conditional (its first coordinate with mean 4·8/17 and variance 1/17).
     */
    @Test
    void drawsGivenAnE11FollowTheGaussianConditional() {
        Random r = new Random(11);
        LatentPrior.Codes c = new LatentPrior.Codes(2);
        for (int i = 0; i < 20_000; i++) {
            double a = r.nextGaussian();
            double b = r.nextGaussian();
            c.add(new float[] {(float) a, (float) (0.8 * a + 0.5 * b)}, new float[] {-20, -20},
                    150 + 4 * a + r.nextGaussian());
        }
        LatentPrior p = LatentPrior.fit(List.of(c));
        LatentPrior.Component comp = p.component(2);
        assertEquals(150, comp.e11Mean(), 0.1);
        assertEquals(17, comp.e11Variance(), 0.5);
        // Cov(a, E) = 4, Var(E) = 17: E[a | E = 158] = 4·8/17, Var(a | E) = 1 − 16/17.
        Random draw = new Random(12);
        int n = 20_000;
        double sum = 0;
        double sq = 0;
        double predicted = 0;
        for (int i = 0; i < n; i++) {
            double[] z = p.sampleGivenE11(2, 158, draw, 1.0);
            sum += z[0];
            sq += z[0] * z[0];
            predicted += p.predictE11(2, z) / n;
        }
        double mean = sum / n;
        assertEquals(32.0 / 17, mean, 0.03);
        assertEquals(1.0 / 17, sq / n - mean * mean, 0.01);
        // The regression E[E11 | z] of those codes: the mean plus R² = 16/17 of the requested offset.
        assertEquals(150 + 8 * 16.0 / 17, predicted, 0.1, "the drawn codes' regression E11");
        assertEquals(16.0 / 17, p.e11R2(2), 0.01, "the share of E11's variance the code explains");
        assertEquals(comp.e11Mean(), p.predictE11(2, comp.mean()), 1e-9, "the class mean predicts the mean E11");
        LatentPrior noE11 = LatentPrior.fit(List.of(codes(3, 100, new double[] {0, 0}, 1, 13)));
        var e = assertThrows(IllegalArgumentException.class, () -> noE11.sampleGivenE11(3, 150, draw, 1.0));
        assertTrue(e.getMessage().contains("no spread in E11"), e.getMessage());
    }

    @Test
    void fewerCodesThanDimensionsStillGiveAPositiveDefiniteCovariance() {
        int d = 64;
        Random r = new Random(5);
        LatentPrior.Codes c = new LatentPrior.Codes(5);
        for (int i = 0; i < 20; i++) {
            float[] mu = new float[d];
            for (int j = 0; j < d; j++) {
                mu[j] = (float) r.nextGaussian();
            }
            c.add(mu, new float[d]);
        }
        LatentPrior.Component comp = LatentPrior.fit(List.of(c)).component(5);
        assertTrue(comp.shrinkage() > 0.3, "20 codes in 64 dimensions need strong shrinkage, got " + comp.shrinkage());
        for (int j = 0; j < d; j++) {
            assertTrue(comp.cholesky()[j][j] > 0, "Cholesky diagonal " + j);
        }
    }

    @Test
    void anUnconditionalPriorServesEveryRequest() {
        LatentPrior p = LatentPrior.fit(List.of(codes(LatentPrior.ALL_CLASSES, 100, new double[] {0, 0}, 1, 6)));
        assertTrue(p.unconditional());
        assertEquals(p.components().get(0), p.component(10));
    }

    @Test
    void aMissingClassIsNamed() {
        LatentPrior p = LatentPrior.fit(List.of(codes(2, 10, new double[] {0, 0}, 1, 7)));
        var e = assertThrows(IllegalArgumentException.class, () -> p.component(10));
        assertTrue(e.getMessage().contains("no Gaussian for 10 µm") && e.getMessage().contains("[2 µm]"),
                e.getMessage());
    }

    @Test
    void aClassOfOneImageGetsThatImagesPosterior() {
        LatentPrior.Codes one = new LatentPrior.Codes(3).add(new float[] {1.5f, -2f}, new float[] {(float) Math.log(0.25),
                (float) Math.log(4)});
        LatentPrior.Component c = LatentPrior.fit(List.of(one)).component(3);
        assertArrayEquals(new double[] {1.5, -2}, c.mean(), 1e-6);
        assertEquals(0.25, c.covariance()[0][0], 1e-6);
        assertEquals(4, c.covariance()[1][1], 1e-5);
        assertEquals(0, c.covariance()[0][1], 0);
    }

    @Test
    void roundTripsThroughItsFileAndRejectsOtherBytes() throws IOException {
        LatentPrior p = LatentPrior.fit(List.of(codes(2, 50, new double[] {1, 2}, 0.5, 8),
                codes(10, 60, new double[] {0, 0}, 0.1, 9)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.write(out);
        LatentPrior back = LatentPrior.read(new ByteArrayInputStream(out.toByteArray()), "prior.bin");
        for (int um : new int[] {2, 10}) {
            assertArrayEquals(p.component(um).mean(), back.component(um).mean());
            assertArrayEquals(p.component(um).covariance()[1], back.component(um).covariance()[1]);
            assertArrayEquals(p.component(um).cholesky()[1], back.component(um).cholesky()[1], 1e-12);
            assertEquals(p.component(um).images(), back.component(um).images());
            assertEquals(p.component(um).e11Mean(), back.component(um).e11Mean());
            assertArrayEquals(p.component(um).e11Covariance(), back.component(um).e11Covariance());
        }
        var e = assertThrows(IOException.class,
                () -> LatentPrior.read(new ByteArrayInputStream(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}), "x.bin"));
        assertTrue(e.getMessage().contains("x.bin is not a latent prior"), e.getMessage());
    }
}
