package org.polyvae.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.polyvae.config.PolyvaeConfig;
import org.polyvae.data.WindowClass;
import org.polyvae.fem.CubicCrystal;
import org.polyvae.fem.PlaneStressHomogenizer;
import org.polyvae.image.GrayImages;
import org.polyvae.synth.GrainProcess;
import org.polyvae.synth.Microstructure;
import org.polyvae.synth.MicrostructureGenerator;

class JudgeArchitectureTest {
    private static final int RES = 32;
    private static final WindowClass[] CLASSES = WindowClass.values();

    /** Images of every class with one-hot class labels and standardised FE E11 (mean 149, sd 4 GPa). */
    private static MultiDataSet data(int perClass, long seed) {
        MicrostructureGenerator gen = new MicrostructureGenerator(GrainProcess.of(PolyvaeConfig.defaultsOnly().synth()));
        PlaneStressHomogenizer fem = new PlaneStressHomogenizer(16, CubicCrystal.SILICON, 1e-6, 1000);
        int n = perClass * CLASSES.length;
        float[] pixels = new float[n * RES * RES];
        INDArray classes = Nd4j.zeros(n, CLASSES.length);
        INDArray e11 = Nd4j.zeros(n, 1);
        for (int c = 0; c < CLASSES.length; c++) {
            for (int k = 0; k < perClass; k++) {
                int i = k * CLASSES.length + c;
                Microstructure m = gen.generate(CLASSES[c], seed + i);
                System.arraycopy(GrayImages.fromBytes(m.render(RES)), 0, pixels, i * RES * RES, RES * RES);
                classes.putScalar(i, c, 1);
                e11.putScalar(i, 0, (fem.homogenize(m.elementAngles(16)).e11() - 149) / 4);
            }
        }
        INDArray images = Nd4j.create(pixels, new long[] {n, 1, RES, RES});
        return new MultiDataSet(new INDArray[] {images}, new INDArray[] {classes, e11});
    }

    private static double accuracy(ComputationGraph g, MultiDataSet d) {
        INDArray predicted = g.output(false, d.getFeatures(0))[0].argMax(1);
        INDArray actual = d.getLabels(0).argMax(1);
        return predicted.eq(actual).castTo(org.nd4j.linalg.api.buffer.DataType.INT).sumNumber().doubleValue()
                / actual.length();
    }

    @Test
    void learnsTheWindowClassWellAboveChance() {
        ComputationGraph g = new ComputationGraph(
                JudgeArchitecture.cnn(RES, List.of(8, 16, 32), 32, CLASSES.length, 3e-3, 42));
        g.init();
        MultiDataSet train = data(24, 1000);
        MultiDataSet test = data(12, 5000);
        double before = g.score(train);
        for (int epoch = 0; epoch < 60; epoch++) {
            g.fit(train);  // the whole set (96 images) as one batch
        }
        assertTrue(g.score(train) < before, "the loss fell: " + before + " -> " + g.score(train));
        double acc = accuracy(g, test);
        // Chance is 0.25; grain size separates the classes.
        assertTrue(acc >= 0.6, "held-out class accuracy " + acc);
    }

    @Test
    void exposesFeaturesAndBothHeads() {
        ComputationGraph g = new ComputationGraph(
                JudgeArchitecture.cnn(RES, List.of(8, 16), 24, 4, 1e-3, 1));
        g.init();
        INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 5, 1, RES, RES);
        INDArray[] out = g.output(x);
        assertArrayEquals(new long[] {5, 4}, out[0].shape());
        assertArrayEquals(new long[] {5, 1}, out[1].shape());
        assertEquals(5.0, out[0].sumNumber().doubleValue(), 1e-4, "softmax rows sum to 1");
        assertArrayEquals(new long[] {5, 24},
                g.feedForward(x, false).get(JudgeArchitecture.FEATURES).shape());
        String json = g.getConfiguration().toJson();
        assertEquals(g.getConfiguration(), ComputationGraphConfiguration.fromJson(json));
    }

    @Test
    void rejectsAResolutionTheConvolutionsCannotHalve() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JudgeArchitecture.cnn(36, List.of(8, 16, 32), 16, 4, 1e-3, 1));
        assertTrue(e.getMessage().contains("multiple of 2^3"), e.getMessage());
    }
}
