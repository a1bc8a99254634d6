package org.polyvae.job.evaluate;

import java.util.List;
import org.polyvae.job.output.Evaluation;
import org.polyvae.metrics.FrechetDistance;
import org.polyvae.metrics.KernelInceptionDistance;

/**
 * Fréchet distance and KID of a set of images to the reference in the judge's features, each with its
 * real-vs-real scale at equal sizes: the first n of the generated images and the first n of the real
 * comparison images (n the smaller count), both against the same reference, KID over the same subsets of it.
 * The real comparison images must be disjoint from the reference, or real-vs-real would be too small.
 */
record FeatureDistances(int kidSubsets, int kidSubsetSize, long seed) {

    /** Both distances of one set. */
    record Pair(Evaluation.Frechet frechet, Evaluation.Kid kid) {
    }

    Pair of(List<Scored> generated, List<Scored> real, List<Scored> reference) {
        int n = Math.min(generated.size(), real.size());
        if (n < 2 || reference.size() < 2) {
            throw new IllegalArgumentException("feature distances need ≥ 2 images on each side, got " + generated.size()
                    + " generated, " + real.size() + " real and " + reference.size() + " reference images");
        }
        double[][] gen = features(generated.subList(0, n));
        double[][] rea = features(real.subList(0, n));
        double[][] ref = features(reference);
        double fGen = FrechetDistance.between(gen, ref);
        double fReal = FrechetDistance.between(rea, ref);
        Evaluation.Frechet frechet = new Evaluation.Frechet(fGen, fReal, ratio(fGen, fReal), n, n, ref.length);
        // One seed for both: the same subsets of the reference on either side of the ratio.
        KernelInceptionDistance.Estimate kGen = KernelInceptionDistance.between(gen, ref, kidSubsets, kidSubsetSize, seed);
        KernelInceptionDistance.Estimate kReal = KernelInceptionDistance.between(rea, ref, kidSubsets, kidSubsetSize,
                seed);
        Evaluation.Kid kid = new Evaluation.Kid(kGen.mean(), kGen.standardError(), kReal.mean(), kReal.standardError(),
                ratio(kGen.mean(), Math.max(Math.abs(kReal.mean()), kReal.standardError())), n, n, ref.length, kGen.subsets(),
                kGen.subsetSize());
        return new Pair(frechet, kid);
    }

    /** generated / real; 1 when both vanish, the largest double when only the real one does. */
    static double ratio(double generated, double real) {
        if (real > 0) {
            return generated / real;
        }
        return generated <= 0 ? 1 : Double.MAX_VALUE;
    }

    static double[][] features(List<Scored> images) {
        return images.stream().map(s -> {
            double[] d = new double[s.features().length];
            for (int i = 0; i < d.length; i++) {
                d[i] = s.features()[i];
            }
            return d;
        }).toArray(double[][]::new);
    }
}
