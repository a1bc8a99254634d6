package org.polyvae.job.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.polyvae.config.PolyvaeConfig;
import org.polyvae.model.Decoders;
import org.polyvae.model.LatentPrior;
import org.polyvae.model.RegionDecoding;
import org.polyvae.model.VaeArchitecture;

/** The latent vectors the sample stage decodes: seeded per sample, scaled by polyvae.sample.temperature. */
class LatentSamplerTest {
    private static ComputationGraph decoder;

    @BeforeAll
    static void untrainedDecoder() {
        // z does not depend on the decoder's weights, only on its code length.
        VaeArchitecture arch = new VaeArchitecture(config(1.0).model());
        ComputationGraph vae = new ComputationGraph(arch.vae());
        vae.init();
        decoder = Decoders.extract(vae, arch);
    }

    private static PolyvaeConfig config(double temperature) {
        return PolyvaeConfig.load(List.of(), List.of("polyvae.data.resolution=16",
                "polyvae.model.encoder-channels=[8, 16]", "polyvae.sample.temperature=" + temperature));
    }

    private static LatentSampler sampler(double temperature) {
        return sampler(temperature, null);
    }

    private static LatentSampler sampler(double temperature, LatentPrior prior) {
        var s = config(temperature).sample();
        return new LatentSampler(decoder, config(temperature).model().codeLength(), s.seed(), s.temperature(),
                new int[] {2, 10}, prior, null, null).withDecoding(RegionDecoding.Split.of(s),
                RegionDecoding.Cleanup.NONE);
    }

    /** A prior whose class Gaussians sit far apart: 2 µm about +5, 10 µm about −5 in every coordinate. */
    private static LatentPrior prior(int codeLength, int... micrometres) {
        java.util.Random r = new java.util.Random(3);
        List<LatentPrior.Codes> classes = new java.util.ArrayList<>();
        for (int um : micrometres) {
            LatentPrior.Codes c = new LatentPrior.Codes(um);
            for (int i = 0; i < 40; i++) {
                float[] mu = new float[codeLength];
                float[] logvar = new float[codeLength];
                for (int j = 0; j < codeLength; j++) {
                    mu[j] = (float) ((um == 2 ? 5 : -5) + 0.3 * r.nextGaussian());
                    logvar[j] = -6;
                }
                c.add(mu, logvar);
            }
            classes.add(c);
        }
        return LatentPrior.fit(classes);
    }

    private static int codeLength() {
        return config(1.0).model().codeLength();
    }

    @Test
    void aLearnedPriorDrawsEachSampleFromItsClassGaussianScaledAboutItsMean() {
        LatentPrior prior = prior(codeLength(), 2, 10);
        LatentSampler one = sampler(1.0, prior);
        LatentSampler half = sampler(0.5, prior);
        for (int i : new int[] {0, 1, 50, 51}) {
            double[] mean = prior.component(one.windowClass(i)).mean();
            double[] z1 = one.latent(i);
            double[] zHalf = half.latent(i);
            double centre = Arrays.stream(z1).average().orElseThrow();
            assertEquals(one.windowClass(i) == 2 ? 5 : -5, centre, 0.5, "sample " + i + " is drawn about its class");
            for (int j = 0; j < z1.length; j++) {
                assertEquals(0.5 * (z1[j] - mean[j]), zHalf[j] - mean[j], 1e-9, "sample " + i + ", z_" + j);
            }
        }
        assertArrayEquals(one.latent(7), sampler(1.0, prior).latent(7), "the same z in every run");
    }

    @Test
    void aLearnedPriorMustFitTheDecoderAndHaveEveryClassToDraw() {
        var wrongLength = assertThrows(IllegalArgumentException.class, () -> sampler(1.0, prior(2, 2, 10)));
        assertTrue(wrongLength.getMessage().contains("codes of length 2, the decoder takes " + codeLength()),
                wrongLength.getMessage());
        var missing = assertThrows(IllegalArgumentException.class, () -> sampler(1.0, prior(codeLength(), 2)));
        assertTrue(missing.getMessage().contains("no Gaussian for 10 µm"), missing.getMessage());
    }

    @Test
    void temperatureScalesZOfTheSameSeed() {
        LatentSampler one = sampler(1.0);
        LatentSampler half = sampler(0.5);
        for (int i : new int[] {0, 1, 49, 50, 1234}) {
            double[] z1 = one.latent(i);
            double[] scaled = Arrays.stream(z1).map(v -> 0.5 * v).toArray();
            assertEquals(one.codeLength(), z1.length);
            assertArrayEquals(scaled, half.latent(i), "sample " + i);
            assertFalse(Arrays.stream(z1).allMatch(v -> v == 0), "sample " + i);
        }
        assertFalse(Arrays.equals(one.latent(0), one.latent(1)), "each sample has its own z");
        assertArrayEquals(one.latent(7), sampler(1.0).latent(7), "and the same z in every run");
    }
}
