package org.polyvae.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import org.nd4j.linalg.ops.transforms.Transforms;
import org.polyvae.config.ConfigError;
import org.polyvae.config.ModelSettings;
import org.polyvae.metrics.GrainStatistics;

/** polyvae.model.boundary-head: its target, its loss and gradient, and the region-decoding decoder. */
class BoundaryHeadTest {
    private static final int K = 8;
    private static final int RES = VaeArchitectureTest.RES;

    private static ModelSettings settings(String... extra) {
        List<String> all = new java.util.ArrayList<>(List.of("polyvae.model.likelihood=categorical",
                "polyvae.model.gray-levels=" + K, "polyvae.model.boundary-head=true", "polyvae.model.latent=spatial"));
        all.addAll(List.of(extra));
        return VaeArchitectureTest.settings(all.toArray(String[]::new));
    }

    /** The unmarked pixels of two different grains (GrainStatistics' regions) never touch. */
    @Test
    void theTargetMarksOneSideOfEveryGrainBoundary() {
        INDArray x = VaeArchitectureTest.images(3, 8);
        INDArray b = VaeBatches.boundaries(x);
        assertArrayEquals(x.shape(), b.shape());
        int marked = 0;
        for (int i = 0; i < 3; i++) {
            float[] gray = x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).dup('c').data().asFloat();
            int[] region = GrainStatistics.regionLabels(GrainStatistics.levels(gray, RES), RES,
                    GrainStatistics.REFERENCE_JUMP_THRESHOLD);
            for (int r = 0; r < RES; r++) {
                for (int c = 0; c < RES; c++) {
                    boolean m = b.getDouble(i, 0, r, c) == 1;
                    marked += m ? 1 : 0;
                    for (int[] d : new int[][] {{0, 1}, {1, 0}}) {
                        int rr = r + d[0];
                        int cc = c + d[1];
                        if (rr < RES && cc < RES && !m && b.getDouble(i, 0, rr, cc) == 0) {
                            int[] lv = GrainStatistics.levels(gray, RES);
                            assertTrue(Math.abs(lv[r * RES + c] - lv[rr * RES + cc])
                                    <= GrainStatistics.REFERENCE_JUMP_THRESHOLD, "unmarked neighbours across a jump");
                        }
                    }
                }
            }
            assertTrue(java.util.Arrays.stream(region).max().getAsInt() > 0, "several grains in image " + i);
        }
        assertTrue(marked > 0 && marked < 3 * RES * RES / 2, "marked pixels: " + marked);
        // A hand-made case: a vertical jump of 13 grays between columns 1 and 2, a jump of 12 between rows 2 and 3.
        INDArray img = Nd4j.zeros(DataType.FLOAT, 1, 1, 4, 4);
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                img.putScalar(new long[] {0, 0, r, c}, ((c >= 2 ? 13 : 0) + (r >= 3 ? 12 : 0)) / 255.0);
            }
        }
        INDArray m = VaeBatches.boundaries(img);
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                assertEquals(c == 1 ? 1.0 : 0.0, m.getDouble(0, 0, r, c), "(" + r + ", " + c + ")");
            }
        }
    }

    @Test
    void theScoreAddsTheBoundaryCrossEntropySummedOverPixels() {
        ModelSettings s = settings();
        ComputationGraph g = VaeArchitectureTest.graph(s);
        assertEquals(List.of(VaeArchitecture.RECONSTRUCTION, VaeArchitecture.KL, VaeArchitecture.BOUNDARY),
                g.getConfiguration().getNetworkOutputs());
        INDArray x = VaeArchitectureTest.images(3, 1);
        MultiDataSet mds = VaeBatches.of(x, null, s);
        assertEquals(3, mds.getLabels().length);
        assertEquals(VaeBatches.boundaries(x), mds.getLabels(2));
        Nd4j.getRandom().setSeed(7);
        double score = g.score(mds, true);
        double levels = g.getLayer(VaeArchitecture.RECONSTRUCTION).score();
        double kl = g.getLayer(VaeArchitecture.KL).score();
        Nd4j.getRandom().setSeed(7);
        Map<String, INDArray> act = g.feedForward(new INDArray[] {x}, true);
        INDArray p = act.get(VaeArchitecture.BOUNDARY).castTo(DataType.DOUBLE);
        assertArrayEquals(new long[] {3, 1, RES, RES}, p.shape());
        INDArray t = VaeBatches.boundaries(x).castTo(DataType.DOUBLE);
        double bce = -t.mul(Transforms.log(p, true)).add(t.rsub(1).mul(Transforms.log(p.rsub(1), true))).sumNumber()
                .doubleValue() / 3;
        assertEquals(bce, g.getLayer(VaeArchitecture.BOUNDARY).score(), 1e-3 * bce);
        assertEquals(levels + kl + bce, score, 1e-3 * score);
        assertEquals(K, act.get(VaeArchitecture.RECONSTRUCTION).size(1), "the levels keep K channels");
    }

    @Test
    void theGradientWithTheBoundaryHeadIsItsFiniteDifference() {
        // Without the adversarial term: its reversed gradient is no derivative of the score (AdversarialTermTest
        // checks it output by output); the boundary head does not reach the discriminator.
        for (String variant : List.of("unconditional", "conditional")) {
            boolean cond = variant.equals("conditional");
            ModelSettings s = settings("polyvae.model.activation=tanh", "polyvae.model.conditional=" + cond);
            ComputationGraph g = VaeArchitectureTest.graph(s).convertDataType(DataType.DOUBLE);
            INDArray x = VaeArchitectureTest.images(1, 3).castTo(DataType.DOUBLE);
            MultiDataSet mds = VaeBatches.of(x, cond ? VaeBatches.oneHot(new int[] {5}).castTo(DataType.DOUBLE) : null, s);
            for (int i = 0; i < mds.getLabels().length; i++) {
                mds.setLabels(i, mds.getLabels(i).castTo(DataType.DOUBLE));
            }
            GradientCheck.assertMatchesFiniteDifferences(g, mds, variant, 40, GradientCheck.anyParameter(g));
        }
    }

    /**
     * With gray-decoding = region the decoder adds the level and boundary probabilities as outputs and
     * {@link Decoders#decode} draws one gray per region from them; otherwise it is the per-pixel mode.
     */
    @Test
    void theRegionDecoderDecodesFromItsOwnHeads() {
        ModelSettings region = settings("polyvae.model.gray-decoding=region");
        VaeArchitecture arch = new VaeArchitecture(region);
        ComputationGraphConfiguration conf = arch.decoder();
        assertEquals(conf, ComputationGraphConfiguration.fromJson(conf.toJson()));
        ComputationGraph vae = VaeArchitectureTest.graph(region);
        for (int i = 0; i < 5; i++) {
            vae.fit(VaeBatches.of(VaeArchitectureTest.images(4, i), null, region));
        }
        ComputationGraph decoder = Decoders.extract(vae, arch);
        INDArray z = Nd4j.randn(DataType.FLOAT, 4, region.codeLength());
        INDArray[] out = decoder.output(false, z);
        assertEquals(3, out.length);
        RegionDecoding.Split split = RegionDecoding.Split.basins(0.4);
        INDArray decoded = Decoders.decode(decoder, z, null, split, RegionDecoding.Cleanup.NONE);
        assertEquals(RegionDecoding.decode(out[1], out[2], split, RegionDecoding.Cleanup.NONE), decoded);
        assertArrayEquals(new long[] {4, 1, RES, RES}, decoded.shape());
        ComputationGraph modeDecoder = Decoders.extract(vae, new VaeArchitecture(
                settings("polyvae.model.gray-decoding=mode")));
        assertEquals(out[0], Decoders.decode(modeDecoder, z, null, split, RegionDecoding.Cleanup.NONE),
                "without region decoding: the first output");
    }

    @Test
    void settingsThatCannotWorkAreNamed() {
        ConfigError e = assertThrows(ConfigError.class,
                () -> settings("polyvae.model.boundary-head=false", "polyvae.model.gray-decoding=region"));
        assertTrue(e.getMessage().contains("polyvae.model.boundary-head"), e.getMessage());
        assertTrue(e.getMessage().contains("gray-decoding = mode"), "names the way out: " + e.getMessage());
        // Like mode and mean, region decoding is the categorical likelihood's: another likelihood ignores it.
        ModelSettings bernoulli = settings("polyvae.model.likelihood=bernoulli", "polyvae.model.gray-decoding=region",
                "polyvae.model.boundary-head=false");
        assertTrue(!bernoulli.regionDecoding());
        assertEquals(List.of(VaeArchitecture.RECONSTRUCTION),
                new VaeArchitecture(bernoulli).decoder().getNetworkOutputs());
    }
}
