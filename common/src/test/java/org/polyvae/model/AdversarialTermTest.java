package org.polyvae.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.polyvae.config.ModelSettings;

/**
 * The adversarial term (polyvae.model.adversarial-weight): its labels and graph, the reversed gradient the
 * decoder receives (by finite differences of each output's score), and a discriminator that learns.
 */
class AdversarialTermTest {
    private static final double WEIGHT = 2.5;
    /** w, the draws' non-saturating term's weight, where the graph has prior draws. */
    private static final double DRAW_WEIGHT = 0.7;

    private static ModelSettings settings(String... extra) {
        String[] all = new String[extra.length + 1];
        all[0] = "polyvae.model.adversarial-weight=" + WEIGHT;
        System.arraycopy(extra, 0, all, 1, extra.length);
        return VaeArchitectureTest.settings(all);
    }

    /** One-hot classes alternating 2 and 10 µm. */
    static INDArray classes(int n) {
        int[] um = new int[n];
        for (int i = 0; i < n; i++) {
            um[i] = i % 2 == 0 ? 2 : 10;
        }
        return VaeBatches.oneHot(um);
    }

    @Test
    void theLabelsMarkTheDecodedImagesThenTheRealOnesPatchByPatch() {
        ModelSettings s = settings();
        int side = s.adversarialPatchSide();
        assertEquals(VaeArchitectureTest.RES / 8, side);
        MultiDataSet mds = VaeBatches.of(VaeArchitectureTest.images(3, 1), null, s);
        assertEquals(3, mds.getLabels().length);
        INDArray realness = mds.getLabels(2);
        assertArrayEquals(new long[] {3, 2, side, side}, realness.shape());
        assertEquals(0.0, realness.get(NDArrayIndex.all(), NDArrayIndex.point(0)).sumNumber().doubleValue(), 0.0);
        assertEquals(3.0 * side * side, realness.get(NDArrayIndex.all(), NDArrayIndex.point(1)).sumNumber()
                .doubleValue(), 0.0);
        assertEquals(2, VaeBatches.of(VaeArchitectureTest.images(3, 1), null, VaeArchitectureTest.settings())
                .getLabels().length, "no adversarial labels without the term");
    }

    @Test
    void theDiscriminatorStaysOutOfTheDecoderAndTheConfigurationSurvivesJson() {
        ModelSettings s = settings("polyvae.model.likelihood=categorical", "polyvae.model.gray-levels=8",
                "polyvae.model.conditional=true", "polyvae.model.latent=spatial");
        VaeArchitecture arch = new VaeArchitecture(s);
        ComputationGraphConfiguration conf = arch.vae();
        assertEquals(conf, ComputationGraphConfiguration.fromJson(conf.toJson()));
        assertEquals(List.of(VaeArchitecture.RECONSTRUCTION, VaeArchitecture.KL, VaeArchitecture.ADVERSARIAL),
                conf.getNetworkOutputs());
        ComputationGraph vae = VaeArchitectureTest.graph(s);
        ComputationGraph decoder = Decoders.extract(vae, arch);
        for (Layer layer : decoder.getLayers()) {
            assertFalse(layer.conf().getLayer().getLayerName().startsWith("adv-"), layer.conf().getLayer().getLayerName());
        }
        // The plain VAE of the same settings has the same parameters but the discriminator's.
        ComputationGraph plain = VaeArchitectureTest.graph(VaeArchitectureTest.settings(
                "polyvae.model.likelihood=categorical", "polyvae.model.gray-levels=8", "polyvae.model.conditional=true",
                "polyvae.model.latent=spatial"));
        long discriminator = 0;
        for (Layer layer : vae.getLayers()) {
            if (layer.conf().getLayer().getLayerName().startsWith("adv-")) {
                discriminator += layer.numParams();
            }
        }
        assertTrue(discriminator > 0);
        assertEquals(plain.numParams() + discriminator, vae.numParams());

        // The discriminator's minibatch: the decoded images (expected gray), then the real ones, as labelled.
        INDArray x = VaeArchitectureTest.images(3, 4);
        Map<String, INDArray> act = vae.feedForward(new INDArray[] {x, classes(3)}, true);
        INDArray stacked = act.get("adv-stack").get(NDArrayIndex.all(), NDArrayIndex.point(0));
        INDArray decoded = act.get("adv-decoded").get(NDArrayIndex.all(), NDArrayIndex.point(0));
        INDArray real = x.get(NDArrayIndex.all(), NDArrayIndex.point(0));
        assertEquals(decoded, stacked.get(NDArrayIndex.interval(0, 3)));
        assertEquals(real, stacked.get(NDArrayIndex.interval(3, 6)));
        INDArray probabilities = act.get(VaeArchitecture.RECONSTRUCTION);
        INDArray centres = Nd4j.arange(8).castTo(DataType.FLOAT).addi(0.5).divi(8).reshape(1, 8, 1, 1);
        INDArray expected = probabilities.mul(centres.broadcast(probabilities.shape())).sum(1);
        assertTrue(expected.equalsWithEps(decoded, 1e-5), "the decoded image is the expected gray of the levels");
    }

    /**
     * Backprop against central differences of each output's score: the discriminator's parameters descend
     * the adversarial cross-entropy; the encoder's and decoder's descend reconstruction + KL and ascend the
     * adversarial term at weight λ (the reversal). Every likelihood's decoded image is checked, and the graph whose
     * discriminator also judges decoded N(0, I) draws (whose likelihood and boundary head take the first half of the
     * decoder's rows): there the decoder ascends the reconstructions' cross-entropy at λ and descends the draws'
     * −log D at w (the cross-entropy of their second copy against label 1, {@link NonSaturatingDrawsVertex}), and
     * the first copy's cross-entropy does not reach it. Class-Gaussian draws are made from the encoder's codes but
     * pass no gradient back, which finite differences would see (AdversarialPriorDrawsTest checks that the
     * encoder's gradient is the plain graph's).
     */
    @Test
    void theDecoderReceivesTheDiscriminatorsGradientReversedAndScaled() {
        for (String[] design : new String[][] {
                {"polyvae.model.likelihood=categorical", "polyvae.model.gray-levels=4", "polyvae.model.conditional=true",
                        "polyvae.model.latent=spatial"},
                {"polyvae.model.likelihood=bernoulli", "polyvae.model.latent=dense"},
                {"polyvae.model.likelihood=laplace", "polyvae.model.latent=spatial"},
                {"polyvae.model.likelihood=categorical", "polyvae.model.gray-levels=4", "polyvae.model.conditional=true",
                        "polyvae.model.latent=spatial", "polyvae.model.boundary-head=true",
                        "polyvae.model.adversarial-prior-draws=standard",
                        "polyvae.model.adversarial-prior-weight=" + DRAW_WEIGHT}}) {
            String[] all = new String[design.length + 1];
            System.arraycopy(design, 0, all, 0, design.length);
            all[design.length] = "polyvae.model.activation=tanh";
            ModelSettings s = settings(all);
            ComputationGraph g = VaeArchitectureTest.graph(s).convertDataType(DataType.DOUBLE);
            INDArray x = VaeArchitectureTest.images(2, 3).castTo(DataType.DOUBLE);
            MultiDataSet mds = VaeBatches.of(x, s.conditional() ? classes(2).castTo(DataType.DOUBLE) : null, s);
            for (int i = 0; i < mds.getLabels().length; i++) {
                mds.setLabels(i, mds.getLabels(i).castTo(DataType.DOUBLE));
            }
            assertReversedGradient(g, mds, s.likelihood() + " " + s.latent() + (s.adversarialPriorDraws() ? " with prior draws" : ""));
        }
    }

    private static void assertReversedGradient(ComputationGraph g, MultiDataSet mds, String what) {
        g.setInputs(mds.getFeatures());
        g.setLabels(mds.getLabels());
        Nd4j.getRandom().setSeed(11);
        g.computeGradientAndScore();
        long n = mds.getFeatures(0).size(0);
        Map<String, INDArray> grads = g.gradient().gradientForVariable();
        Random pick = new Random(5);
        int checkedDecoder = 0;
        int checkedDiscriminator = 0;
        for (Map.Entry<String, INDArray> param : g.paramTable().entrySet()) {
            boolean discriminator = param.getKey().startsWith("adv-");
            INDArray p = param.getValue();
            INDArray grad = grads.get(param.getKey());
            for (int k = 0; k < 4; k++) {
                long i = pick.nextInt((int) p.length());
                double analytic = grad.getDouble(i) / n;
                double original = p.getDouble(i);
                double h = 1e-6;
                p.putScalar(i, original + h);
                double[] plus = scores(g, mds);
                p.putScalar(i, original - h);
                double[] minus = scores(g, mds);
                p.putScalar(i, original);
                double elbo = (plus[0] - minus[0]) / (2 * h);
                double adversarial = (plus[1] - minus[1]) / (2 * h);
                double numeric = discriminator ? adversarial : elbo - WEIGHT * adversarial;
                if (plus.length > 2 && !discriminator) {
                    // With prior draws: the reconstructions' cross-entropy reversed at λ, the draws' −log D at w.
                    adversarial = (plus[2] - minus[2]) / (2 * h);
                    numeric = elbo - WEIGHT * adversarial + DRAW_WEIGHT * (plus[4] - minus[4]) / (2 * h);
                }
                if (discriminator) {
                    assertEquals(0.0, elbo, 1e-9, what + ": the discriminator leaves the ELBO alone");
                }
                if (Math.abs(numeric) + Math.abs(analytic) < 1e-7) {
                    continue;
                }
                if (discriminator) {
                    checkedDiscriminator++;
                } else if (Math.abs(adversarial) > 1e-7) {
                    checkedDecoder++;
                }
                double rel = Math.abs(numeric - analytic) / Math.max(Math.abs(numeric), Math.abs(analytic));
                assertTrue(rel < 1e-3, what + " " + param.getKey() + "[" + i + "]: analytic " + analytic
                        + " numeric " + numeric + " (ELBO " + elbo + ", adversarial " + adversarial + ")");
            }
        }
        assertTrue(checkedDecoder > 10 && checkedDiscriminator > 10,
                what + ": checked " + checkedDecoder + " encoder/decoder and " + checkedDiscriminator
                        + " discriminator parameters");
    }

    /**
     * [reconstruction + KL (+ boundary), adversarial] per image, then, when the discriminator judges more than two
     * groups, each group's own cross-entropy per image (unweighted); the noise is the graph's own for its step, so
     * fixed.
     */
    private static double[] scores(ComputationGraph g, MultiDataSet mds) {
        VaeLoss loss = VaeLoss.of(g, mds);
        INDArray out = g.output(List.of("adv-unstack"), true, mds.getFeatures(), null)[0];
        INDArray logits = out.dup();
        if (out.closeable()) {
            out.close();
        }
        INDArray labels = mds.getLabels(2);
        long groups = logits.size(1);
        if (groups == 2) {
            return new double[] {loss.total(), loss.adversarial()};
        }
        double[] scores = new double[2 + (int) groups];
        scores[0] = loss.total();
        scores[1] = loss.adversarial();
        long n = logits.size(0);
        for (int k = 0; k < groups; k++) {
            double sum = 0;
            INDArray s = logits.get(NDArrayIndex.all(), NDArrayIndex.point(k)).dup();
            INDArray y = labels.get(NDArrayIndex.all(), NDArrayIndex.point(k)).dup();
            for (long i = 0; i < s.length(); i++) {
                double logit = s.getDouble(i);
                // −[y log σ(s) + (1 − y) log(1 − σ(s))] = softplus(s) − y·s
                sum += Math.max(logit, 0) + Math.log1p(Math.exp(-Math.abs(logit))) - y.getDouble(i) * logit;
            }
            scores[2 + k] = sum / n;
        }
        return scores;
    }

    @Test
    void theDiscriminatorLearnsToTellRealImagesFromDecodedOnes() {
        ModelSettings s = settings("polyvae.model.likelihood=categorical", "polyvae.model.gray-levels=8",
                "polyvae.model.latent=spatial");
        ComputationGraph g = VaeArchitectureTest.graph(s);
        MultiDataSet mds = VaeBatches.of(VaeArchitectureTest.images(8, 21), null, s);
        for (int step = 0; step < 40; step++) {
            g.fit(mds);
        }
        assertNull(ChannelSoftmax.remembered(), "the reconstruction loss took the expected gray's softmax of its step");
        INDArray realness = g.output(false, mds.getFeatures(), null, null)[2];
        double decoded = realness.get(NDArrayIndex.all(), NDArrayIndex.point(0)).meanNumber().doubleValue();
        double real = realness.get(NDArrayIndex.all(), NDArrayIndex.point(1)).meanNumber().doubleValue();
        assertTrue(real > decoded + 0.1, "realness of real images " + real + ", of decoded ones " + decoded);
    }
}
