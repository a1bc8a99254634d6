package org.polyvae.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.IntToLongFunction;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/** A VAE graph's backpropagated gradient against central differences of its score, noise held fixed. */
final class GradientCheck {
    /** The reparameterisation noise is reseeded before every evaluation, so each sees the same eps. */
    private static final long NOISE_SEED = 11;

    private GradientCheck() {
    }

    /** {@code checks} parameters drawn uniformly (seeded) from all of {@code g}'s. */
    static IntToLongFunction anyParameter(ComputationGraph g) {
        Random pick = new Random(5);
        return k -> pick.nextInt((int) g.params().length());
    }

    /**
     * Compares the gradient of {@code g} (in double precision) on {@code mds} with the finite difference at
     * {@code checks} parameters chosen by {@code parameter}; at least 20 must have a non-negligible gradient.
     */
    static void assertMatchesFiniteDifferences(ComputationGraph g, MultiDataSet mds, String what, int checks,
            IntToLongFunction parameter) {
        g.setInputs(mds.getFeatures());
        g.setLabels(mds.getLabels());
        Nd4j.getRandom().setSeed(NOISE_SEED);
        g.computeGradientAndScore();
        // DL4J's gradient is summed over the minibatch (the updater divides it), the score averaged.
        INDArray grad = g.gradient().gradient().div(mds.getFeatures(0).size(0));
        INDArray params = g.params();
        int checked = 0;
        for (int k = 0; k < checks; k++) {
            long i = parameter.applyAsLong(k);
            double analytic = grad.getDouble(i);
            double original = params.getDouble(i);
            double h = 1e-6;
            params.putScalar(i, original + h);
            Nd4j.getRandom().setSeed(NOISE_SEED);
            double plus = g.score(mds, true);
            params.putScalar(i, original - h);
            Nd4j.getRandom().setSeed(NOISE_SEED);
            double minus = g.score(mds, true);
            params.putScalar(i, original);
            double numeric = (plus - minus) / (2 * h);
            if (Math.abs(numeric) + Math.abs(analytic) < 1e-6) {
                continue;
            }
            checked++;
            double rel = Math.abs(numeric - analytic) / Math.max(Math.abs(numeric), Math.abs(analytic));
            assertTrue(rel < 1e-3, what + " param " + i + ": analytic " + analytic + " numeric " + numeric);
        }
        assertTrue(checked > 20, what + ": checked " + checked);
    }
}
