package org.polyvae.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import org.polyvae.config.ConfigError;
import org.polyvae.config.ModelSettings;

/** polyvae.model.class-prior: p(z | c) = N(m_c, I), the KL against it, and the decoder's offset input. */
class ClassPriorTest {
    private static ModelSettings settings(String latent) {
        return VaeArchitectureTest.settings("polyvae.model.conditional=true", "polyvae.model.class-prior=true",
                "polyvae.model.latent=" + latent, "polyvae.model.activation=tanh");
    }

    private static INDArray classes() {
        return VaeBatches.oneHot(new int[] {2, 10}).castTo(DataType.DOUBLE);
    }

    /** A trained-looking prior: the class means set to random codes. */
    private static ComputationGraph graph(ModelSettings s) {
        ComputationGraph g = VaeArchitectureTest.graph(s).convertDataType(DataType.DOUBLE);
        Nd4j.getRandom().setSeed(2);
        g.getLayer(VaeArchitecture.PRIOR_MEAN).setParams(Nd4j.randn(DataType.DOUBLE, 1,
                g.getLayer(VaeArchitecture.PRIOR_MEAN).numParams()));
        return g;
    }

    @Test
    void theKlIsAgainstTheClassMean() {
        for (String latent : List.of("dense", "spatial")) {
            ModelSettings s = settings(latent);
            ComputationGraph g = graph(s);
            INDArray x = VaeArchitectureTest.images(2, 1).castTo(DataType.DOUBLE);
            Map<String, INDArray> act = g.feedForward(new INDArray[] {x, classes()}, false);
            int d = s.codeLength();
            INDArray post = act.get(VaeArchitecture.POSTERIOR);
            INDArray mu = post.get(NDArrayIndex.all(), NDArrayIndex.interval(0, d));
            INDArray lv = post.get(NDArrayIndex.all(), NDArrayIndex.interval(d, 2 * d));
            INDArray m = act.get(VaeArchitecture.PRIOR_MEAN);
            INDArray c = mu.sub(m);
            double kl = 0.5 * c.mul(c).add(Transforms.exp(lv, true)).sub(1).sub(lv).sumNumber().doubleValue() / 2;
            MultiDataSet mds = VaeBatches.of(x, classes(), s);
            mds.setLabels(1, mds.getLabels(1).castTo(DataType.DOUBLE));
            g.score(mds, false);
            assertEquals(kl, g.getLayer(VaeArchitecture.KL).score(), 1e-6 * kl, latent);
            assertTrue(m.getRow(0).distance2(m.getRow(1)) > 1, "a mean per class");
        }
    }

    @Test
    void theDecoderDrawsAroundTheClassMean() {
        for (String latent : List.of("dense", "spatial")) {
            ModelSettings s = settings(latent);
            ComputationGraph vae = graph(s);
            VaeArchitecture arch = new VaeArchitecture(s);
            ComputationGraphConfiguration conf = arch.decoder();
            assertEquals(conf, ComputationGraphConfiguration.fromJson(conf.toJson()));
            ComputationGraph decoder = Decoders.extract(vae, arch).convertDataType(DataType.DOUBLE);
            // The VAE's decoder fed the class mean itself (the reconstruction of an image encoded at m_c)...
            INDArray offset = Nd4j.randn(DataType.DOUBLE, 2, s.codeLength());
            INDArray m = vae.feedForward(new INDArray[] {VaeArchitectureTest.images(2, 1).castTo(DataType.DOUBLE),
                    classes()}, false).get(VaeArchitecture.PRIOR_MEAN);
            ComputationGraph absolute = new ComputationGraph(new VaeArchitecture(VaeArchitectureTest.settings(
                    "polyvae.model.conditional=true", "polyvae.model.latent=" + latent,
                    "polyvae.model.activation=tanh")).decoder());
            absolute.init();
            absolute = absolute.convertDataType(DataType.DOUBLE);
            for (org.deeplearning4j.nn.api.Layer l : absolute.getLayers()) {
                if (l.numParams() > 0) {
                    l.setParams(vae.getLayer(l.conf().getLayer().getLayerName()).params());
                }
            }
            // ...is the standalone decoder fed the offset from it.
            assertEquals(absolute.output(offset.add(m), classes())[0], decoder.output(offset, classes())[0], latent);
        }
        assertThrows(ConfigError.class, () -> VaeArchitectureTest.settings("polyvae.model.conditional=false",
                "polyvae.model.class-prior=true"));
    }

    @Test
    void theGradientIsItsFiniteDifference() {
        for (String latent : List.of("dense", "spatial")) {
            ModelSettings s = settings(latent);
            ComputationGraph g = graph(s);
            INDArray x = VaeArchitectureTest.images(2, 3).castTo(DataType.DOUBLE);
            MultiDataSet mds = VaeBatches.of(x, classes(), s);
            mds.setLabels(1, mds.getLabels(1).castTo(DataType.DOUBLE));
            long[] priorRange = range(g);
            java.util.Random pick = new java.util.Random(5);
            // Half of the checks on the prior means.
            GradientCheck.assertMatchesFiniteDifferences(g, mds, latent, 50, k -> k % 2 == 0
                    ? priorRange[0] + pick.nextInt((int) (priorRange[1] - priorRange[0]))
                    : pick.nextInt((int) g.params().length()));
        }
    }

    /** [first, end) of the prior-mean layer's parameters in the graph's flattened parameter vector. */
    private static long[] range(ComputationGraph g) {
        long offset = 0;
        for (org.deeplearning4j.nn.api.Layer l : g.getLayers()) {
            if (l.conf().getLayer().getLayerName().equals(VaeArchitecture.PRIOR_MEAN)) {
                return new long[] {offset, offset + l.numParams()};
            }
            offset += l.numParams();
        }
        throw new AssertionError("no " + VaeArchitecture.PRIOR_MEAN);
    }
}
