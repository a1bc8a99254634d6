package org.polyvae.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/**
 * polyvae.model.class-code-blocks: the 2 µm class's code is one value per 2 × 2 block of the 4 × 4 map (test
 * settings), the others' one per position; the KL counts each block once and the decoder sees the blocks.
 */
class ClassCodeBlocksTest {
    /** The test model's map side (16 px, two stride-2 levels) and channels. */
    private static final int SIDE = 4;
    private static final int CHANNELS = 2;

    private static ModelSettings settings(String blocks) {
        return VaeArchitectureTest.settings("polyvae.model.conditional=true", "polyvae.model.latent=spatial",
                "polyvae.model.activation=tanh", "polyvae.model.class-code-blocks=" + blocks);
    }

    /** A 2 µm and a 10 µm image. */
    private static INDArray classes() {
        return VaeBatches.oneHot(new int[] {2, 10}).castTo(DataType.DOUBLE);
    }

    private static ComputationGraph graph(ModelSettings s) {
        return VaeArchitectureTest.graph(s).convertDataType(DataType.DOUBLE);
    }

    /** Value of channel ch at (y, x) of row i of a flattened channel-major map. */
    private static double at(INDArray flat, int i, int ch, int y, int x) {
        return flat.getDouble(i, (long) ch * SIDE * SIDE + (long) y * SIDE + x);
    }

    @Test
    void theEncodersBlocksAreAveragedIntoTheirFirstPositionAndTheRestIsThePrior() {
        ModelSettings s = settings("[2, 1, 1, 1]");
        ComputationGraph g = graph(s);
        INDArray x = VaeArchitectureTest.images(2, 1).castTo(DataType.DOUBLE);
        Map<String, INDArray> act = g.feedForward(new INDArray[] {x, classes()}, false);
        INDArray post = act.get(VaeArchitecture.POSTERIOR);
        INDArray blocks = act.get(VaeArchitecture.POSTERIOR_BLOCKS);
        assertEquals(VaeArchitecture.POSTERIOR_BLOCKS, VaeArchitecture.codePosterior(g));
        for (int ch = 0; ch < 2 * CHANNELS; ch++) { // the mu and the logvar channels
            for (int y = 0; y < SIDE; y++) {
                for (int xx = 0; xx < SIDE; xx++) {
                    int by = y - y % 2;
                    int bx = xx - xx % 2;
                    double mean = (at(post, 0, ch, by, bx) + at(post, 0, ch, by, bx + 1) + at(post, 0, ch, by + 1, bx)
                            + at(post, 0, ch, by + 1, bx + 1)) / 4;
                    double expected = y == by && xx == bx ? mean : 0;
                    assertEquals(expected, at(blocks, 0, ch, y, xx), 1e-12, "2 µm, channel " + ch + " at " + y + "," + xx);
                    assertEquals(at(post, 1, ch, y, xx), at(blocks, 1, ch, y, xx), 1e-12, "10 µm: every position its own");
                }
            }
        }
        assertTrue(Transforms.abs(post.getRow(0).sub(blocks.getRow(0))).maxNumber().doubleValue() > 1e-3,
                "the 2 µm code changed");
        // β·KL per image: the 2 µm image's 2 × 2 × channels block variables, the 10 µm image's every position.
        int d = s.codeLength();
        INDArray mu = blocks.get(NDArrayIndex.all(), NDArrayIndex.interval(0, d));
        INDArray lv = blocks.get(NDArrayIndex.all(), NDArrayIndex.interval(d, 2 * d));
        double kl = 0.5 * mu.mul(mu).add(Transforms.exp(lv, true)).sub(1).sub(lv).sumNumber().doubleValue() / 2;
        MultiDataSet mds = VaeBatches.of(x, classes(), s);
        mds.setLabels(1, mds.getLabels(1).castTo(DataType.DOUBLE));
        g.score(mds, false);
        assertEquals(kl, g.getLayer(VaeArchitecture.KL).score(), 1e-9 * kl);
    }

    @Test
    void theDecoderSeesOneValuePerBlockOfTheClasssMap() {
        ModelSettings s = settings("[2, 1, 1, 1]");
        VaeArchitecture arch = new VaeArchitecture(s);
        ComputationGraphConfiguration conf = arch.decoder();
        assertEquals(conf, ComputationGraphConfiguration.fromJson(conf.toJson()));
        ComputationGraph decoder = Decoders.extract(graph(s), arch).convertDataType(DataType.DOUBLE);
        Nd4j.getRandom().setSeed(4);
        INDArray z = Nd4j.randn(DataType.DOUBLE, 2, s.codeLength());
        INDArray before = decoder.output(z, classes())[0];
        // Change a position that is not its block's first: the 2 µm image ignores it, the 10 µm one does not.
        INDArray changed = z.dup();
        long notFirst = (long) SIDE + 1; // channel 0, (1, 1)
        changed.putScalar(0, notFirst, z.getDouble(0, notFirst) + 3);
        changed.putScalar(1, notFirst, z.getDouble(1, notFirst) + 3);
        INDArray after = decoder.output(changed, classes())[0];
        assertEquals(before.slice(0), after.slice(0));
        assertNotEquals(before.slice(1), after.slice(1));
        // Changing a block's first position changes the whole block for the 2 µm image.
        changed = z.dup();
        changed.putScalar(0, 0, z.getDouble(0, 0) + 3);
        assertNotEquals(before.slice(0), decoder.output(changed, classes())[0].slice(0));
    }

    @Test
    void theGradientIsItsFiniteDifference() {
        ModelSettings s = settings("[2, 4, 1, 2]");
        ComputationGraph g = graph(s);
        INDArray x = VaeArchitectureTest.images(4, 3).castTo(DataType.DOUBLE);
        INDArray classes = VaeBatches.oneHot(new int[] {2, 3, 5, 10}).castTo(DataType.DOUBLE);
        MultiDataSet mds = VaeBatches.of(x, classes, s);
        mds.setLabels(1, mds.getLabels(1).castTo(DataType.DOUBLE));
        GradientCheck.assertMatchesFiniteDifferences(g, mds, "class code blocks", 60, GradientCheck.anyParameter(g));
    }

    @Test
    void theBlocksAreOneIdentityAtSideOneAndTheClassInputsGradientIsTheChange() {
        // pool then spread: each block's mean over the block; a soft one-hot mixes the classes' maps linearly.
        ClassCodeBlocksVertex pool = new ClassCodeBlocksVertex(false, 1, SIDE, new int[] {2, 1});
        ClassCodeBlocksVertex spread = new ClassCodeBlocksVertex(true, 1, SIDE, new int[] {2, 1});
        INDArray p = pool.positionMap(2, DataType.DOUBLE);
        INDArray m = p.mmul(spread.positionMap(2, DataType.DOUBLE));
        for (int a = 0; a < SIDE * SIDE; a++) {
            for (int b = 0; b < SIDE * SIDE; b++) {
                boolean sameBlock = a / SIDE / 2 == b / SIDE / 2 && a % SIDE / 2 == b % SIDE / 2;
                assertEquals(sameBlock ? 0.25 : 0, m.getDouble(a, b), 1e-15, a + "," + b);
            }
        }
        assertEquals(Nd4j.eye(SIDE * SIDE).castTo(DataType.DOUBLE), pool.positionMap(1, DataType.DOUBLE));
        assertEquals(pool, ClassCodeBlocksVertex.class.cast(pool.clone()));
        assertNotEquals(pool, spread);
    }

    @Test
    void aBlockCodeNeedsASpatialConditionalCodeItDivides() {
        for (String[] bad : new String[][] {
                {"polyvae.model.class-code-blocks=[3, 1, 1, 1]"}, // 3 does not divide 4
                {"polyvae.model.class-code-blocks=[2, 1, 1]"},
                {"polyvae.model.class-code-blocks=[2, 1, 1, 1]", "polyvae.model.latent=dense"},
                {"polyvae.model.class-code-blocks=[2, 1, 1, 1]", "polyvae.model.conditional=false"},
                {"polyvae.model.class-code-blocks=[2, 1, 1, 1]", "polyvae.model.class-prior=true"}}) {
            String[] all = new String[bad.length + 2];
            all[0] = "polyvae.model.conditional=true";
            all[1] = "polyvae.model.latent=spatial";
            System.arraycopy(bad, 0, all, 2, bad.length);
            ConfigError e = assertThrows(ConfigError.class, () -> VaeArchitectureTest.settings(all), String.join(" ", bad));
            assertTrue(e.getMessage().contains("polyvae.model.class-code-blocks"), e.getMessage());
        }
        // Without blocks the graph is the plain one.
        assertEquals(VaeArchitecture.POSTERIOR, VaeArchitecture.codePosterior(graph(settings("[1, 1, 1, 1]"))));
    }
}
