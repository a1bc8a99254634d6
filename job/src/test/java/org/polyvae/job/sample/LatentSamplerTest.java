package org.polyvae.job.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.polyvae.config.PolyvaeConfig;
import org.polyvae.model.Decoders;
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
        var s = config(temperature).sample();
        return new LatentSampler(decoder, config(temperature).model().codeLength(), s.seed(), s.temperature(), new int[] {2, 10});
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
