package org.polyvae.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.polyvae.config.ModelSettings;

/**
 * VaeLoss gives, for every VAE design, what DL4J's own {@code score(batch, true)} leaves in the output layers
 * (without the weight penalty), from the same sampled z: the graph's own noise for its step.
 */
class VaeLossTest {
    private static final List<String[]> DESIGNS = List.of(
            new String[] {},
            new String[] {"polyvae.model.likelihood=laplace"},
            new String[] {"polyvae.model.likelihood=categorical", "polyvae.model.gray-levels=8",
                "polyvae.model.conditional=true", "polyvae.model.latent=spatial", "polyvae.model.boundary-head=true",
                "polyvae.model.gray-decoding=region", "polyvae.model.beta=0.3"},
            new String[] {"polyvae.model.likelihood=categorical", "polyvae.model.gray-levels=8",
                "polyvae.model.conditional=true", "polyvae.model.latent=spatial", "polyvae.model.boundary-head=true",
                "polyvae.model.adversarial-weight=2", "polyvae.model.adversarial-prior-draws=standard"},
            new String[] {"polyvae.model.l2=0.5", "polyvae.model.convolution=dl4j"});

    @Test
    void theTermsAreTheOutputLayersScoresOfDl4jsTrainingModeScore() {
        for (String[] design : DESIGNS) {
            ModelSettings s = VaeArchitectureTest.settings(design);
            ComputationGraph g = VaeArchitectureTest.graph(s);
            int n = 6;
            MultiDataSet mds = VaeBatches.of(VaeArchitectureTest.images(n, 3),
                    s.conditional() ? AdversarialTermTest.classes(n) : null, s);
            List<String> outputs = g.getConfiguration().getNetworkOutputs();
            g.score(mds, true);
            // DL4J adds the weight penalty to the first output layer's score (FastConvolution reports none: its
            // penalty is applied by the updater only, so the l2 design uses DL4J's convolution).
            double penalty = g.calcRegularizationScore(true);
            double[] dl4j = outputs.stream().mapToDouble(o -> g.getLayer(o).score()).toArray();
            dl4j[0] -= penalty;
            VaeLoss loss = VaeLoss.of(g, mds);
            String what = String.join(" ", design) + " " + outputs;
            double boundary = outputs.contains(VaeArchitecture.BOUNDARY)
                    ? dl4j[outputs.indexOf(VaeArchitecture.BOUNDARY)] : 0;
            assertEquals(dl4j[outputs.indexOf(VaeArchitecture.RECONSTRUCTION)] + boundary, loss.reconstruction(),
                    1e-5 * Math.abs(loss.reconstruction()), what);
            assertEquals(dl4j[outputs.indexOf(VaeArchitecture.KL)], loss.kl(), 1e-5 * loss.kl(), what);
            if (outputs.contains(VaeArchitecture.ADVERSARIAL)) {
                double adversarial = dl4j[outputs.indexOf(VaeArchitecture.ADVERSARIAL)];
                assertTrue(adversarial > 0, what);
                assertEquals(adversarial, loss.adversarial(), 1e-5 * adversarial, what);
            } else {
                assertTrue(Double.isNaN(loss.adversarial()), what);
            }
            if (s.l2() > 0) {
                assertTrue(penalty > 1e-3 * loss.reconstruction(),
                        what + ": a penalty large enough to tell: " + penalty + " against " + loss.reconstruction());
            }
            for (String o : outputs) {
                assertNull(g.getLayer(o).input(), what + ": " + o + " keeps no input");
            }
        }
    }

    @Test
    void theCodeIsSampledAsInTraining() {
        ModelSettings s = VaeArchitectureTest.settings();
        ComputationGraph g = VaeArchitectureTest.graph(s);
        MultiDataSet mds = VaeBatches.of(VaeArchitectureTest.images(4, 9), null, s);
        VaeLoss a = VaeLoss.of(g, mds);
        assertEquals(a, VaeLoss.of(g, mds), "the same step, the same noise and figure");
        g.getConfiguration().setIterationCount(1);
        assertNotEquals(a.reconstruction(), VaeLoss.of(g, mds).reconstruction(), "another step, another z");
        g.getConfiguration().setIterationCount(0);
        assertEquals(a, VaeLoss.of(g, mds));
    }

    @Test
    void aGraphThatIsNotAVaeIsNamed() {
        ModelSettings s = VaeArchitectureTest.settings();
        ComputationGraph g = VaeArchitectureTest.graph(s);
        INDArray x = VaeArchitectureTest.images(2, 1);
        MultiDataSet missing = new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {x}, new INDArray[] {x});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VaeLoss.of(g, missing));
        assertTrue(e.getMessage().contains("1 label arrays") && e.getMessage().contains(VaeArchitecture.KL),
                e.getMessage());
    }
}
