package org.polyvae.job.batches;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.polyvae.config.PolyvaeConfig;
import org.polyvae.data.WindowClass;
import org.polyvae.fem.CubicCrystal;
import org.polyvae.fem.PlaneStressHomogenizer;
import org.polyvae.synth.GrainProcess;
import org.polyvae.synth.MicrostructureGenerator;

class SymmetryAugmentationTest {

    @Test
    void theTransformsAreTheTurnsAndTheMirrorsWithInvertedGrays() {
        // a b c / d e f / g h i
        float[] image = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f};
        float[][] expected = {
            {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f},   // identity
            {0.7f, 0.4f, 0.1f, 0.8f, 0.5f, 0.2f, 0.9f, 0.6f, 0.3f},   // quarter turn clockwise
            {0.9f, 0.8f, 0.7f, 0.6f, 0.5f, 0.4f, 0.3f, 0.2f, 0.1f},   // half turn
            {0.3f, 0.6f, 0.9f, 0.2f, 0.5f, 0.8f, 0.1f, 0.4f, 0.7f},   // quarter turn anticlockwise
            {0.7f, 0.8f, 0.9f, 0.4f, 0.5f, 0.6f, 0.1f, 0.2f, 0.3f},   // left-right mirror of 1 - g
            {0.3f, 0.2f, 0.1f, 0.6f, 0.5f, 0.4f, 0.9f, 0.8f, 0.7f},   // top-bottom mirror of 1 - g
            {0.9f, 0.6f, 0.3f, 0.8f, 0.5f, 0.2f, 0.7f, 0.4f, 0.1f},   // transpose of 1 - g
            {0.1f, 0.4f, 0.7f, 0.2f, 0.5f, 0.8f, 0.3f, 0.6f, 0.9f}};  // anti-transpose of 1 - g
        for (int t = 0; t < SymmetryAugmentation.TRANSFORMS; t++) {
            float[] out = new float[image.length];
            SymmetryAugmentation.transformImage(image, out, 0, 3, t);
            assertArrayEquals(expected[t], out, 1e-6f, "transform " + t);
        }
    }

    /**
     * What makes them the right symmetries: the finite-element E11 of a grain aggregate, with gray = θ / 90°,
     * is the same after each of them; a mirror that keeps the grays changes it.
     */
    @Test
    void everyTransformKeepsTheHomogenisedE11AndAMirrorWithoutInvertedGraysDoesNot() {
        int n = 32;
        MicrostructureGenerator generator = new MicrostructureGenerator(
                GrainProcess.of(PolyvaeConfig.defaultsOnly().synth()));
        double[] angles = generator.generate(WindowClass.W2, 11).elementAngles(n);
        float[] gray = new float[angles.length];
        for (int i = 0; i < angles.length; i++) {
            gray[i] = (float) (angles[i] / 90);
        }
        PlaneStressHomogenizer fem = new PlaneStressHomogenizer(n, CubicCrystal.SILICON, 1e-10, 2000);
        double e11 = fem.homogenize(anglesOf(gray)).e11();
        for (int t = 0; t < SymmetryAugmentation.TRANSFORMS; t++) {
            float[] out = new float[gray.length];
            SymmetryAugmentation.transformImage(gray, out, 0, n, t);
            assertEquals(e11, fem.homogenize(anglesOf(out)).e11(), 1e-5 * e11, "transform " + t);
        }
        float[] mirroredOnly = new float[gray.length];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                mirroredOnly[y * n + (n - 1 - x)] = gray[y * n + x];
            }
        }
        assertTrue(Math.abs(fem.homogenize(anglesOf(mirroredOnly)).e11() - e11) > 0.01,
                "a mirror that keeps the grays is another film");
    }

    private static double[] anglesOf(float[] gray) {
        double[] angles = new double[gray.length];
        for (int i = 0; i < gray.length; i++) {
            angles[i] = 90.0 * gray[i];
        }
        return angles;
    }

    @Test
    void drawsAreReproducibleAllFourAppearAndTheyChangeWithTheEpoch() {
        SymmetryAugmentation a = new SymmetryAugmentation(99);
        int[] counts = new int[SymmetryAugmentation.TRANSFORMS];
        int changed = 0;
        for (int row = 0; row < 800; row++) {
            int t = a.transform(3, "batch-00007.bin", row);
            assertEquals(t, new SymmetryAugmentation(99).transform(3, "batch-00007.bin", row));
            counts[t]++;
            changed += t != a.transform(4, "batch-00007.bin", row) ? 1 : 0;
        }
        for (int c : counts) {
            assertTrue(c > 70 && c < 130, "each transform about an eighth of the time: " + java.util.Arrays.toString(counts));
        }
        assertTrue(changed > 600, "another epoch, other draws: " + changed + " of 800 changed");
        SymmetryAugmentation other = new SymmetryAugmentation(98);
        long otherSeed = java.util.stream.IntStream.range(0, 800)
                .filter(row -> a.transform(3, "batch-00007.bin", row) != other.transform(3, "batch-00007.bin", row)).count();
        assertTrue(otherSeed > 600, "another seed, other draws: " + otherSeed + " of 800 changed");
    }

    @Test
    void aBatchIsTransformedImageByImageAndKeepsItsShape() {
        SymmetryAugmentation a = new SymmetryAugmentation(5);
        INDArray images = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 6, 1, 4, 4);
        INDArray out = a.apply(images, 2, "batch-00001.bin");
        assertArrayEquals(images.shape(), out.shape());
        for (int i = 0; i < 6; i++) {
            float[] expected = new float[16];
            SymmetryAugmentation.transformImage(images.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i))
                    .dup('c').data().asFloat(), expected, 0, 4, a.transform(2, "batch-00001.bin", i));
            assertArrayEquals(expected, out.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).dup('c').data()
                    .asFloat(), 1e-7f, "image " + i);
        }
    }
}
