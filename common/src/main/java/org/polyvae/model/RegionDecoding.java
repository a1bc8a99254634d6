package org.polyvae.model;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.polyvae.metrics.ConnectedRegions;

/**
 * {@code polyvae.model.gray-decoding = region}: one gray per grain, from the decoder's two heads. A polysilicon
 * grain is one crystal, so one lattice angle and one gray; a per-pixel mode cannot know that and turns a
 * grain the decoder is unsure of into ramps and speckle. Here:
 * <ol>
 *   <li>two 4-neighbours are in one region when neither is a boundary pixel (boundary probability below
 *   {@link #BOUNDARY_THRESHOLD}; the head is trained so that neighbouring pixels of two grains are never both
 *   unmarked, {@link VaeBatches#boundaries}) and their most likely grays differ by at most
 *   {@link #MAX_STEP_GRAYS}: the boundary head's probabilities are smeared where it is unsure of a boundary's
 *   position, so a gap in its marks must not merge two grains of clearly different gray;</li>
 *   <li>each region takes the level that maximises the sum of its pixels' log-probabilities: the most likely
 *   single level for the whole region under the decoder's own per-pixel distribution;</li>
 *   <li>the marked pixels join, ring by ring outward from the regions, the neighbouring region whose level
 *   they find most probable themselves.</li>
 * </ol>
 * Nothing is imposed but "one gray per region": where the regions lie and which grays they take both come
 * from the model. A ramp of one-level steps stays one region and becomes flat; a step of two levels or more
 * starts another. An image with no unmarked pixel keeps each pixel's own most likely level.
 *
 * <p>Optionally ({@code polyvae.sample.min-region-pixels}), a last step: every region smaller than a given
 * number of pixels takes, of the larger regions it touches, the level its own pixels find likeliest. Where the
 * decoder is unsure of a boundary it draws short runs of an intermediate level along it, which region decoding
 * keeps as regions of their own (README, "Specks"); the step removes those, and with them any real grain that
 * small.
 *
 * <p>Optionally ({@code polyvae.sample.absorb-thin-regions}), the same step for every region without an interior
 * pixel, whatever its size: a region each of whose pixels has a 4-neighbour in another region is a line or a
 * speck, one or two pixels thick, the shape those runs of an intermediate level take; a grain at the model's
 * resolution is thicker. Unlike a size threshold it keeps a small compact grain and removes a long thin run.
 */
public final class RegionDecoding {
    /** A pixel with at least this boundary probability is a boundary pixel. */
    public static final double BOUNDARY_THRESHOLD = 0.5;
    /**
     * The largest step between two neighbours' most likely grays inside one region: one level at K = 32, below
     * the 12-gray jump that separates grains in {@link org.polyvae.metrics.GrainStatistics}, so a region never
     * spans what the grain measurement calls a boundary (README, "One gray per grain", also measures 16).
     */
    public static final int MAX_STEP_GRAYS = 8;
    private static final double LOG_FLOOR = 1e-30;

    private RegionDecoding() {
    }

    /**
     * What happens to the decoded regions the model draws as specks and lines, after region decoding.
     *
     * @param minRegionPixels   regions with fewer pixels take a larger neighbour's level; 0 = keep every region
     *                          (polyvae.sample.min-region-pixels)
     * @param absorbThinRegions regions without an interior pixel take a thicker neighbour's level
     *                          (polyvae.sample.absorb-thin-regions)
     */
    public record Cleanup(int minRegionPixels, boolean absorbThinRegions) implements Serializable {
        /** Every region kept as decoded. */
        public static final Cleanup NONE = new Cleanup(0, false);

        public Cleanup {
            if (minRegionPixels < 0) {
                throw new IllegalArgumentException("minRegionPixels must be >= 0, got " + minRegionPixels);
            }
        }

        /**
         * What the clean-up does, in words ("thin regions absorbed"), for the sample manifest and the evaluation
         * that reports the samples; null when every region is kept as decoded.
         */
        public String describe() {
            List<String> steps = new ArrayList<>();
            if (minRegionPixels > 1) {
                steps.add("regions under " + minRegionPixels + " px absorbed");
            }
            if (absorbThinRegions) {
                steps.add("thin regions absorbed");
            }
            return steps.isEmpty() ? null : String.join(" and ", steps);
        }
    }

    /**
     * @param probabilities [n, K, h, w] level probabilities per pixel (each pixel's sum 1)
     * @param boundary      [n, 1, h, w] boundary probability per pixel
     * @return [n, 1, h, w] grays in [0, 1], each the centre of its region's level
     */
    public static INDArray decode(INDArray probabilities, INDArray boundary) {
        return decode(probabilities, boundary, Cleanup.NONE);
    }

    /** As {@link #decode(INDArray, INDArray)}, then the regions {@code cleanup} names take a neighbour's level. */
    public static INDArray decode(INDArray probabilities, INDArray boundary, Cleanup cleanup) {
        if (probabilities.rank() != 4 || boundary.rank() != 4 || boundary.size(1) != 1
                || probabilities.size(0) != boundary.size(0) || probabilities.size(2) != boundary.size(2)
                || probabilities.size(3) != boundary.size(3)) {
            throw new IllegalArgumentException("expected level probabilities [n, K, h, w] and boundary [n, 1, h, w], got "
                    + Arrays.toString(probabilities.shape()) + " and "
                    + Arrays.toString(boundary.shape()));
        }
        int n = (int) probabilities.size(0);
        int k = (int) probabilities.size(1);
        int h = (int) probabilities.size(2);
        int w = (int) probabilities.size(3);
        float[] p = probabilities.castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[] b = boundary.castTo(DataType.FLOAT).dup('c').data().asFloat();
        int plane = h * w;
        float[] gray = new float[n * plane];
        for (int i = 0; i < n; i++) {
            int[] level = levels(p, i * k * plane, b, i * plane, k, h, w);
            if (cleanup.minRegionPixels() > 1) {
                level = absorbSmallRegions(level, p, i * k * plane, k, h, w, cleanup.minRegionPixels());
            }
            if (cleanup.absorbThinRegions()) {
                level = absorbThinRegions(level, p, i * k * plane, k, h, w);
            }
            for (int q = 0; q < plane; q++) {
                gray[i * plane + q] = (level[q] + 0.5f) / k;
            }
        }
        return Nd4j.create(gray, new long[] {n, 1, h, w}).castTo(probabilities.dataType());
    }

    /**
     * The level of every pixel of one image.
     *
     * @param p  level probabilities, channel-major from {@code pOffset}: level c of pixel q at pOffset + c·h·w + q
     * @param b  boundary probabilities from {@code bOffset}
     */
    static int[] levels(float[] p, int pOffset, float[] b, int bOffset, int k, int h, int w) {
        int plane = h * w;
        int[] mode = new int[plane];
        for (int q = 0; q < plane; q++) {
            mode[q] = mostLikely(p, pOffset, q, plane, k);
        }
        int maxStep = Math.max(0, MAX_STEP_GRAYS * k / 256);
        int[] region = ConnectedRegions.label(h, w, q -> b[bOffset + q] < BOUNDARY_THRESHOLD,
                (q, r) -> Math.abs(mode[q] - mode[r]) <= maxStep);
        int regions = ConnectedRegions.count(region);
        if (regions == 0) {
            return mode;
        }
        int[] level = new int[plane];
        double[] logSum = new double[regions * k];
        for (int q = 0; q < plane; q++) {
            int r = region[q];
            if (r >= 0) {
                for (int c = 0; c < k; c++) {
                    logSum[r * k + c] += Math.log(Math.max(LOG_FLOOR, p[pOffset + c * plane + q]));
                }
            }
        }
        int[] regionLevel = new int[regions];
        for (int r = 0; r < regions; r++) {
            int best = 0;
            for (int c = 1; c < k; c++) {
                if (logSum[r * k + c] > logSum[r * k + best]) {
                    best = c;
                }
            }
            regionLevel[r] = best;
        }
        grow(p, pOffset, region, regionLevel, k, h, w);
        for (int q = 0; q < plane; q++) {
            level[q] = regionLevel[region[q]];
        }
        return level;
    }

    /**
     * Regions (4-neighbours whose levels differ by at most one step) of fewer than {@code minPixels} pixels take,
     * among the levels of the regions of at least that size they touch, the one maximising the sum of their
     * pixels' log-probabilities. Every region is decided from the same labelling, so the result does not depend
     * on the scan order; a small region touching no large one keeps its level.
     */
    static int[] absorbSmallRegions(int[] level, float[] p, int pOffset, int k, int h, int w, int minPixels) {
        int[] region = regions(level, k, h, w);
        int[] area = ConnectedRegions.areas(region);
        boolean[] kept = new boolean[area.length];
        for (int r = 0; r < area.length; r++) {
            kept[r] = area[r] >= minPixels;
        }
        return absorb(level, region, kept, p, pOffset, k, h, w);
    }

    /**
     * Regions (as in {@link #absorbSmallRegions}) without an interior pixel, one whose 4-neighbours inside the
     * image all lie in its own region, take among the levels of the regions with one that they touch the one
     * maximising the sum of their pixels' log-probabilities; a thin region touching no thick one keeps its level.
     */
    static int[] absorbThinRegions(int[] level, float[] p, int pOffset, int k, int h, int w) {
        int[] region = regions(level, k, h, w);
        return absorb(level, region, ConnectedRegions.withInterior(region, h, w), p, pOffset, k, h, w);
    }

    private static int[] regions(int[] level, int k, int h, int w) {
        int maxStep = Math.max(0, MAX_STEP_GRAYS * k / 256);
        return ConnectedRegions.label(h, w, q -> true, (q, r) -> Math.abs(level[q] - level[r]) <= maxStep);
    }

    /**
     * Every region not {@code kept} takes, of the levels of the kept regions it touches, the one maximising the
     * sum of its pixels' log-probabilities; one touching no kept region keeps its level.
     */
    private static int[] absorb(int[] level, int[] region, boolean[] kept, float[] p, int pOffset, int k, int h,
            int w) {
        int plane = h * w;
        int regions = kept.length;
        // For each absorbed region, the log-likelihood of its pixels at each level, and the kept regions it touches.
        double[][] logSum = new double[regions][];
        List<Set<Integer>> touches = new ArrayList<>(regions);
        for (int r = 0; r < regions; r++) {
            touches.add(kept[r] ? null : new TreeSet<>());
        }
        for (int q = 0; q < plane; q++) {
            int r = region[q];
            if (kept[r]) {
                continue;
            }
            if (logSum[r] == null) {
                logSum[r] = new double[k];
            }
            for (int c = 0; c < k; c++) {
                logSum[r][c] += Math.log(Math.max(LOG_FLOOR, p[pOffset + c * plane + q]));
            }
            for (int nb : neighbours(q, h, w)) {
                if (nb >= 0 && kept[region[nb]]) {
                    touches.get(r).add(level[nb]);
                }
            }
        }
        int[] newLevel = new int[regions];
        Arrays.fill(newLevel, -1);
        for (int r = 0; r < regions; r++) {
            int best = -1;
            if (touches.get(r) != null) {
                for (int candidate : touches.get(r)) {
                    if (best < 0 || logSum[r][candidate] > logSum[r][best]) {
                        best = candidate;
                    }
                }
            }
            newLevel[r] = best;
        }
        int[] out = level.clone();
        for (int q = 0; q < plane; q++) {
            if (newLevel[region[q]] >= 0) {
                out[q] = newLevel[region[q]];
            }
        }
        return out;
    }

    /**
     * Assigns the boundary pixels ring by ring: each pixel next to an assigned one joins, of its neighbours'
     * regions, the one whose level it finds most probable; a ring is decided from the previous ring's state,
     * so the result does not depend on the scan order.
     */
    private static void grow(float[] p, int pOffset, int[] region, int[] regionLevel, int k, int h, int w) {
        int plane = h * w;
        int[] decided = new int[plane];
        int[] ring = new int[plane];
        while (true) {
            int size = 0;
            for (int q = 0; q < plane; q++) {
                if (region[q] >= 0) {
                    continue;
                }
                int best = -1;
                float bestP = -1f;
                for (int nb : neighbours(q, h, w)) {
                    if (nb >= 0 && region[nb] >= 0) {
                        float pr = p[pOffset + regionLevel[region[nb]] * plane + q];
                        if (pr > bestP) {
                            bestP = pr;
                            best = region[nb];
                        }
                    }
                }
                if (best >= 0) {
                    ring[size] = q;
                    decided[size++] = best;
                }
            }
            if (size == 0) {
                return;
            }
            for (int i = 0; i < size; i++) {
                region[ring[i]] = decided[i];
            }
        }
    }

    /** The 4-neighbours of pixel q in an h × w image, -1 where one would lie outside it. */
    private static int[] neighbours(int q, int h, int w) {
        int r = q / w;
        int c = q % w;
        return new int[] {c > 0 ? q - 1 : -1, c < w - 1 ? q + 1 : -1, r > 0 ? q - w : -1, r < h - 1 ? q + w : -1};
    }

    private static int mostLikely(float[] p, int pOffset, int q, int plane, int k) {
        int best = 0;
        for (int c = 1; c < k; c++) {
            if (p[pOffset + c * plane + q] > p[pOffset + best * plane + q]) {
                best = c;
            }
        }
        return best;
    }
}
