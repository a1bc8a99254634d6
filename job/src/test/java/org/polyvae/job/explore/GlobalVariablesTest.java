package org.polyvae.job.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.polyvae.job.latent.AggregatePosterior;
import org.polyvae.job.latent.EncodedImage;
import org.polyvae.model.LatentPrior;

/** The global variables are the principal axes of the learned prior, read back from images' codes. */
class GlobalVariablesTest {

    /**
     * Codes mu = g·a + 0.2·noise·b in 3-D with a = (1, 1, 0)/√2 and b = (0, 0, 1); the images' grain count
     * follows g, their mean gray follows the noise. The first global variable must be ±a and its score must
     * track the grain count; the second must be b and track the gray.
     */
    @Test
    void theFirstAxisIsTheDirectionOfMostVarianceAndItsScoreFollowsWhatMovesIt() {
        Random r = new Random(4);
        double s = Math.sqrt(0.5);
        List<EncodedImage> images = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            double g = r.nextGaussian();
            double h = r.nextGaussian();
            float[] mu = {(float) (s * g), (float) (s * g), (float) (0.2 * h)};
            images.add(new EncodedImage(i % 2 == 0 ? 2 : 10, 150, 128 + 10 * h, (int) Math.round(40 + 10 * g),
                    1000.0 / (40 + 10 * g), mu, new float[] {-9, -9, -9}));
        }
        LatentPrior prior = AggregatePosterior.fit(images, false);
        GlobalVariables v = new GlobalVariables(prior, images);
        assertEquals(1.0, Math.abs(v.axes[0][0] + v.axes[0][1]) / (2 * s), 1e-2, "g1 along (1, 1, 0)/√2");
        assertEquals(1.0, Math.abs(v.axes[1][2]), 1e-2, "g2 along (0, 0, 1)");
        assertEquals(1.0, v.variance[0], 0.1);
        assertEquals(0.04, v.variance[1], 0.005);
        assertTrue(v.explained(0) > 0.9, "g1 carries most of the variance: " + v.explained(0));
        int grains = 2;
        int gray = 4;
        assertTrue(Math.abs(v.correlation[0][grains]) > 0.98, "g1 follows the grain count: " + v.correlation[0][grains]);
        assertTrue(Math.abs(v.correlation[0][gray]) < 0.1, "and not the gray: " + v.correlation[0][gray]);
        assertTrue(Math.abs(v.correlation[1][gray]) > 0.98, "g2 follows the gray: " + v.correlation[1][gray]);
        assertTrue(Math.abs(v.correlation[0][0]) < 0.1, "the window size is unrelated here");
        float[] z = v.move(v.centre(), 0, 2.0);
        assertEquals(2.0, v.score(z, 0), 1e-4, "moving g1 by 2 reads back as g1 = 2");
        assertEquals(0.0, v.score(z, 1), 1e-4, "and leaves g2 alone");
    }

    /** A conditional prior's classes pooled: the spread of the class means is part of the code's variance. */
    @Test
    void pooledClassesAddTheSpreadOfTheirMeans() {
        Random r = new Random(5);
        List<EncodedImage> images = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            int um = i % 2 == 0 ? 2 : 10;
            float[] mu = {(float) ((um == 2 ? -3 : 3) + 0.1 * r.nextGaussian()), (float) r.nextGaussian()};
            images.add(new EncodedImage(um, 150, 128, um == 2 ? 10 : 90, 0, mu, new float[] {-9, -9}));
        }
        GlobalVariables v = new GlobalVariables(AggregatePosterior.fit(images, true), images);
        assertEquals(1.0, Math.abs(v.axes[0][0]), 1e-3, "between-class spread (variance 9) is the first axis");
        assertEquals(9.0, v.variance[0], 0.2);
        assertTrue(Math.abs(v.correlation[0][0]) > 0.99, "and g1 tells the classes apart");
    }
}
