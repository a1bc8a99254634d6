package org.polyvae.job.evaluate;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToIntFunction;
import org.polyvae.job.output.Evaluation;
import org.polyvae.metrics.FrechetDistance;
import org.polyvae.metrics.KernelInceptionDistance;

/**
 * Fréchet distance and KID of a set of images to the reference in the judge's features, each with its
 * real-vs-real scale at equal sizes: n real comparison images with the reference's class mix and n of the
 * generated images, both against the same reference, KID over the same subsets of it.
 * The real comparison images must be disjoint from the reference, or real-vs-real would be too small.
 */
record FeatureDistances(int kidSubsets, int kidSubsetSize, long seed) {

    /** Both distances of one set. */
    record Pair(Evaluation.Frechet frechet, Evaluation.Kid kid) {
    }

    Pair of(List<Scored> generated, List<Scored> real, List<Scored> reference) {
        return of(generated, real, reference, reference);
    }

    /** As {@link #of(List, List, List)}, the features normalised by {@code scaleBy}'s centre and spread. */
    private Pair of(List<Scored> generated, List<Scored> real, List<Scored> reference, List<Scored> scaleBy) {
        List<Scored> comparison = likeReference(real, reference, generated.size());
        int n = comparison.size();
        if (n < 2 || reference.size() < 2) {
            throw new IllegalArgumentException("feature distances need ≥ 2 images on each side, got " + generated.size()
                    + " generated, " + real.size() + " real and " + reference.size() + " reference images");
        }
        double[][] ref = features(reference);
        double[][] gen = features(evenly(generated, n));
        double[][] rea = features(comparison);
        normalise(features(scaleBy), ref, gen, rea);
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

    /**
     * KID of each class on its own: the images {@code classOf} files under class c against the reference images of
     * class c, and the real images of class c against the same. Pooled over classes, KID only compares mixtures:
     * images of one class drawn for another cost nothing there as long as the mixture looks right (the
     * calibration's "class labels rotated" row). One class's real-vs-real KID rests on a few dozen images and is
     * often nearer 0 than its noise, so every class's ratio divides by one scale for all classes: the mean over the
     * classes of the real images' KID, or its standard error if larger. Classes with fewer than 2 images on a side
     * are left out.
     *
     * @return the KID by class index, in class order, each ratio on the shared scale
     */
    Map<Integer, Evaluation.Kid> kidPerClass(List<Scored> images, ToIntFunction<Scored> classOf, List<Scored> real,
            List<Scored> reference) {
        Map<Integer, Evaluation.Kid> own = new TreeMap<>();
        int classes = 1 + reference.stream().mapToInt(Scored::trueClass).max().orElse(-1);
        for (int c = 0; c < classes; c++) {
            int cc = c;
            List<Scored> mine = images.stream().filter(x -> classOf.applyAsInt(x) == cc).toList();
            List<Scored> realC = real.stream().filter(x -> x.trueClass() == cc).toList();
            List<Scored> refC = reference.stream().filter(x -> x.trueClass() == cc).toList();
            if (mine.size() >= 2 && realC.size() >= 2 && refC.size() >= 2) {
                // In the units of the whole reference: a class whose images vary little must not have its
                // differences magnified by its own small spread.
                own.put(c, of(mine, realC, refC, reference).kid());
            }
        }
        double realMean = own.values().stream().mapToDouble(Evaluation.Kid::realVsReal).average().orElse(0);
        double meanError = Math.sqrt(own.values().stream().mapToDouble(k -> k.realStandardError() * k.realStandardError())
                .sum()) / Math.max(1, own.size());
        double scale = Math.max(Math.abs(realMean), meanError);
        Map<Integer, Evaluation.Kid> out = new TreeMap<>();
        own.forEach((c, k) -> out.put(c, new Evaluation.Kid(k.generatedVsReal(), k.generatedStandardError(),
                k.realVsReal(), k.realStandardError(), ratio(k.generatedVsReal(), scale), k.generatedImages(),
                k.realImages(), k.referenceImages(), k.subsets(), k.subsetSize())));
        return out;
    }

    /** The mean of the per-class KID ratios, NaN when no class has one. */
    static double meanRatio(java.util.Collection<Evaluation.Kid> perClass) {
        return perClass.stream().mapToDouble(Evaluation.Kid::ratio).average().orElse(Double.NaN);
    }

    /**
     * The largest subset of the real images (at most {@code cap}, each class's first ones, in the given order) whose class mix is
     * the reference's. A small held-out split's mix drifts from the data's by chance (0.29 / 0.34 / 0.18 /
     * 0.19 on the default dataset), and KID counts a different class mix as a different distribution: the
     * real-vs-real scale would then measure the split's luck. Images without a class (-1) are taken as they are,
     * and so are all of them when the matched subset would have fewer than 2 (a class of the reference missing
     * from a tiny held-out split).
     */
    static List<Scored> likeReference(List<Scored> real, List<Scored> reference, int cap) {
        int classes = 1 + Math.max(real.stream().mapToInt(Scored::trueClass).max().orElse(-1),
                reference.stream().mapToInt(Scored::trueClass).max().orElse(-1));
        if (classes == 0 || real.stream().anyMatch(x -> x.trueClass() < 0)
                || reference.stream().anyMatch(x -> x.trueClass() < 0)) {
            return evenly(real, Math.min(cap, real.size()));
        }
        long[] ref = new long[classes];
        long[] have = new long[classes];
        reference.forEach(x -> ref[x.trueClass()]++);
        real.forEach(x -> have[x.trueClass()]++);
        double n = cap;
        for (int c = 0; c < classes; c++) {
            if (ref[c] > 0) {
                n = Math.min(n, have[c] * reference.size() / (double) ref[c]);
            }
        }
        long[] quota = new long[classes];
        for (int c = 0; c < classes; c++) {
            quota[c] = Math.min(have[c], Math.round(n * ref[c] / reference.size()));
        }
        // In the given order, each class's first ones up to its quota.
        List<Scored> out = new java.util.ArrayList<>();
        for (Scored x : real) {
            if (quota[x.trueClass()] > 0) {
                quota[x.trueClass()]--;
                out.add(x);
            }
        }
        // A held-out split too small to hold every class of the reference cannot match its mix: then the
        // real images as they are, rather than none.
        return out.size() >= 2 ? out : evenly(real, Math.min(cap, real.size()));
    }

    /** {@code n} of the images at evenly spaced positions: samples may be stored in blocks by class. */
    static List<Scored> evenly(List<Scored> images, int n) {
        List<Scored> out = new java.util.ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(images.get((int) ((long) i * images.size() / n)));
        }
        return out;
    }

    /**
     * Centres all three sets on the reference's mean and divides them by one number, the reference's root-mean-
     * square deviation per dimension. The judge's activations have no fixed scale, and the cubic kernel of KID
     * on raw activations (x·y/d of 10 or more) is dominated by a few large-norm images; normalised, x·y/d is of
     * order 1, as for the Inception features KID was made for. One scale for every dimension keeps the
     * geometry (per-dimension standardisation would inflate near-constant, noisy features). The Fréchet distance
     * scales by the same factor on both sides of its ratio.
     */
    static void normalise(double[][] ref, double[][]... others) {
        int d = ref[0].length;
        double[] mean = new double[d];
        for (double[] row : ref) {
            for (int j = 0; j < d; j++) {
                mean[j] += row[j] / ref.length;
            }
        }
        double var = 0;
        for (double[] row : ref) {
            for (int j = 0; j < d; j++) {
                var += (row[j] - mean[j]) * (row[j] - mean[j]) / ((double) ref.length * d);
            }
        }
        double scale = var > 0 ? Math.sqrt(var) : 1;
        List<double[][]> sets = new java.util.ArrayList<>(List.of(others));
        sets.add(ref);
        for (double[][] set : sets) {
            for (double[] row : set) {
                for (int j = 0; j < d; j++) {
                    row[j] = (row[j] - mean[j]) / scale;
                }
            }
        }
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
