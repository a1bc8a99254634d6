package org.polyvae.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.polyvae.config.ConfigError;
import org.polyvae.config.ModelSettings;
import org.polyvae.config.PolyvaeConfig;

/**
 * polyvae.model.adversarial-prior-draws: the decoder also decodes a draw from N(0, I) per image, with the image's
 * class, and the discriminator judges it as decoded while the decoder gets the non-saturating term on it; the
 * likelihood, the boundary head and the encoder see the images' own codes only. (AdversarialTermTest checks this
 * graph's gradient by finite differences.)
 */
class AdversarialPriorDrawsTest {
    private static final String[] DESIGN = {"polyvae.model.adversarial-weight=2",
        "polyvae.model.likelihood=categorical",
        "polyvae.model.gray-levels=8", "polyvae.model.conditional=true", "polyvae.model.latent=spatial",
        "polyvae.model.boundary-head=true"};

    private static ModelSettings settings(String priorDraws) {
        String[] all = java.util.Arrays.copyOf(DESIGN, DESIGN.length + 1);
        all[DESIGN.length] = "polyvae.model.adversarial-prior-draws=" + priorDraws;
        return VaeArchitectureTest.settings(all);
    }

    @Test
    void theDrawsAreDecodedWithTheImagesClassesAndJudgedAsDecoded() {
        ModelSettings s = settings("standard");
        ComputationGraphConfiguration conf = new VaeArchitecture(s).vae();
        assertEquals(conf, ComputationGraphConfiguration.fromJson(conf.toJson()));
        ComputationGraph g = VaeArchitectureTest.graph(s);
        int n = 6;
        INDArray x = VaeArchitectureTest.images(n, 8);
        INDArray c = AdversarialTermTest.classes(n);
        MultiDataSet mds = VaeBatches.of(x, c, s);
        int side = s.adversarialPatchSide();
        INDArray labels = mds.getLabels(2);
        // Decoded from the images' codes and from the draws: 0; the draws' second copy and the images: 1.
        assertArrayEquals(new long[] {n, 4, side, side}, labels.shape());
        assertEquals(0.0, labels.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2)).sumNumber().doubleValue(), 0.0);
        assertEquals(2.0 * n * side * side, labels.get(NDArrayIndex.all(), NDArrayIndex.interval(2, 4)).sumNumber()
                .doubleValue(), 0.0);

        Map<String, INDArray> act = g.feedForward(new INDArray[] {x, c}, true);
        INDArray z = act.get(VaeArchitecture.Z);
        INDArray codes = act.get("z-and-prior-draw");
        assertEquals(2L * n, codes.size(0));
        assertEquals(z, codes.get(NDArrayIndex.interval(0, n), NDArrayIndex.all()));
        INDArray draws = codes.get(NDArrayIndex.interval(n, 2 * n), NDArrayIndex.all());
        assertEquals(act.get(VaeArchitecture.PRIOR_DRAW), draws);
        double mean = draws.meanNumber().doubleValue();
        double std = draws.stdNumber().doubleValue();
        assertTrue(Math.abs(mean) < 0.2 && Math.abs(std - 1) < 0.2, "N(0, I) draws: mean " + mean + ", std " + std);
        assertEquals(c, act.get("class-twice").get(NDArrayIndex.interval(n, 2 * n), NDArrayIndex.all()));
        // The discriminator's rows: decoded from the images' codes, decoded from the draws, the draws' decoder copy,
        // the images; each with its class.
        INDArray stacked = act.get("adv-stack").get(NDArrayIndex.all(), NDArrayIndex.point(0));
        assertEquals(4L * n, stacked.size(0));
        INDArray decoded = act.get("adv-decoded").get(NDArrayIndex.all(), NDArrayIndex.point(0));
        assertEquals(decoded, stacked.get(NDArrayIndex.interval(0, 2 * n)));
        assertEquals(decoded.get(NDArrayIndex.interval(n, 2 * n)), stacked.get(NDArrayIndex.interval(2 * n, 3 * n)));
        assertEquals(x.get(NDArrayIndex.all(), NDArrayIndex.point(0)),
                stacked.get(NDArrayIndex.interval(3 * n, 4 * n)));
        assertEquals(c, act.get("class-thrice").get(NDArrayIndex.interval(2 * n, 3 * n), NDArrayIndex.all()));
        assertFalse(decoded.get(NDArrayIndex.interval(0, n)).equalsWithEps(decoded.get(NDArrayIndex.interval(n, 2 * n)),
                1e-4), "the draws decode to other images");
        // The likelihood and the boundary head: the images' own codes, one row per image.
        assertEquals(n, act.get(VaeArchitecture.RECONSTRUCTION).size(0));
        assertEquals(n, act.get(VaeArchitecture.BOUNDARY).size(0));
        // The same draws at the same step (repeatable training); zeros at inference.
        assertEquals(draws, g.feedForward(new INDArray[] {x, c}, true).get(VaeArchitecture.PRIOR_DRAW));
        assertEquals(0.0, g.feedForward(new INDArray[] {x, c}, false).get(VaeArchitecture.PRIOR_DRAW)
                .norm1Number().doubleValue(), 0.0);
    }

    /**
     * With the same parameters and noise, the prior branch changes the decoder's and the discriminator's gradient
     * and leaves the encoder's exactly as it is without it: the draws carry no gradient back to the codes.
     */
    @Test
    void theBranchTrainsTheDecoderAndTheDiscriminatorButNotTheEncoder() {
        for (String draws : new String[] {"standard", "class-gaussian"}) {
            assertEncoderUntouched(draws);
        }
    }

    private static void assertEncoderUntouched(String draws) {
        ComputationGraph with = VaeArchitectureTest.graph(settings(draws));
        ComputationGraph without = VaeArchitectureTest.graph(settings("none"));
        for (Map.Entry<String, INDArray> p : without.paramTable().entrySet()) {
            with.getParam(p.getKey()).assign(p.getValue());
        }
        int n = 4;
        INDArray x = VaeArchitectureTest.images(n, 30);
        INDArray c = AdversarialTermTest.classes(n);
        Map<String, INDArray> gWith = gradients(with, VaeBatches.of(x, c, settings(draws)));
        Map<String, INDArray> gWithout = gradients(without, VaeBatches.of(x, c, settings("none")));
        assertEquals(gWithout.keySet(), gWith.keySet());
        int encoder = 0;
        int changed = 0;
        for (String key : gWithout.keySet()) {
            boolean decoderOrDiscriminator = key.startsWith(VaeArchitecture.DECODER_PREFIX) || key.startsWith("adv-");
            if (decoderOrDiscriminator) {
                if (!gWith.get(key).equalsWithEps(gWithout.get(key), 1e-6)) {
                    changed++;
                }
            } else {
                assertTrue(gWith.get(key).equalsWithEps(gWithout.get(key), 1e-5), draws + " " + key
                        + ": the encoder's gradient");
                encoder++;
            }
        }
        assertTrue(encoder >= 4, "encoder parameters compared: " + encoder);
        assertTrue(changed >= 8, draws + ": decoder and discriminator parameters whose gradient the draws change: "
                + changed);
    }

    /**
     * class-gaussian: with the posterior noise switched off, each class's draws lie in the affine span of its
     * images' means (mean plus a mix of their deviations) and are not those means; a class of one image draws its
     * mean.
     */
    @Test
    void classGaussianDrawsMixTheirClassesCodes() {
        ModelSettings s = settings("class-gaussian");
        ComputationGraph g = VaeArchitectureTest.graph(s);
        g.getParam("logvar_b").assign(-80); // σ = e^-40: no posterior noise
        int[] um = {2, 10, 2, 10, 2, 3, 2, 10};
        INDArray x = VaeArchitectureTest.images(um.length, 40);
        Map<String, INDArray> act = g.feedForward(new INDArray[] {x, VaeBatches.oneHot(um)}, true);
        INDArray posterior = act.get(VaeArchitecture.POSTERIOR);
        int d = (int) posterior.size(1) / 2;
        double[][] mu = posterior.get(NDArrayIndex.all(), NDArrayIndex.interval(0, d)).toDoubleMatrix();
        double[][] draws = act.get(VaeArchitecture.PRIOR_DRAW).toDoubleMatrix();
        for (int c : new int[] {2, 10}) {
            List<Integer> rows = new java.util.ArrayList<>();
            for (int i = 0; i < um.length; i++) {
                if (um[i] == c) {
                    rows.add(i);
                }
            }
            double[] mean = new double[d];
            for (int i : rows) {
                for (int j = 0; j < d; j++) {
                    mean[j] += mu[i][j] / rows.size();
                }
            }
            org.apache.commons.math3.linear.RealMatrix deviations =
                    new org.apache.commons.math3.linear.Array2DRowRealMatrix(d, rows.size());
            for (int k = 0; k < rows.size(); k++) {
                for (int j = 0; j < d; j++) {
                    deviations.setEntry(j, k, mu[rows.get(k)][j] - mean[j]);
                }
            }
            var solver = new org.apache.commons.math3.linear.SingularValueDecomposition(deviations).getSolver();
            for (int i : rows) {
                double[] offset = new double[d];
                double size = 0;
                double apart = 0;
                for (int j = 0; j < d; j++) {
                    offset[j] = draws[i][j] - mean[j];
                    size += offset[j] * offset[j];
                    apart += Math.abs(draws[i][j] - mu[i][j]);
                }
                var v = new org.apache.commons.math3.linear.ArrayRealVector(offset);
                double residual = deviations.operate(solver.solve(v)).subtract(v).getNorm();
                assertTrue(residual < 1e-4 * Math.sqrt(size) + 1e-6, c + " µm row " + i
                        + ": the draw leaves the span of its class's codes by " + residual + " (offset "
                        + Math.sqrt(size) + ")");
                assertTrue(apart > 1e-3, c + " µm row " + i + ": a draw is a new mix, not the image's code");
            }
        }
        for (int j = 0; j < d; j++) {
            assertEquals(mu[5][j], draws[5][j], 1e-5, "the one 3 µm image's draw is its code");
        }
    }

    private static Map<String, INDArray> gradients(ComputationGraph g, MultiDataSet mds) {
        g.setInputs(mds.getFeatures());
        g.setLabels(mds.getLabels());
        g.computeGradientAndScore();
        Map<String, INDArray> out = new java.util.TreeMap<>();
        g.gradient().gradientForVariable().forEach((k, v) -> out.put(k, v.dup()));
        return out;
    }

    /**
     * The draws belong to the adversarial term: without a discriminator (adversarial-weight = 0, as the
     * no-adversarial preset sets it beside the default draws) there are none; standard draws need the standard prior.
     */
    @Test
    void theDrawsComeWithTheDiscriminatorAndStandardDrawsNeedTheStandardPrior() {
        ModelSettings plain = VaeArchitectureTest.settings("polyvae.model.adversarial-weight=0",
                "polyvae.model.adversarial-prior-draws=class-gaussian");
        assertFalse(plain.adversarialPriorDraws());
        assertFalse(new VaeArchitecture(plain).vae().getVertices().containsKey(VaeArchitecture.PRIOR_DRAW));
        ConfigError e = assertThrows(ConfigError.class, () -> PolyvaeConfig.load(List.of(), List.of(
                "polyvae.model.class-prior=true", "polyvae.model.conditional=true",
                "polyvae.model.adversarial-prior-draws=standard")).model());
        assertTrue(e.getMessage().contains("polyvae.model.adversarial-prior-draws"), e.getMessage());
    }
}
