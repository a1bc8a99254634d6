package org.polyvae.model;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.polyvae.config.SampleSettings;
import org.polyvae.metrics.ConnectedRegions;

/**
 * {@code polyvae.model.gray-decoding = region}: one gray per grain, from the decoder's two heads. A polysilicon
 * grain is one crystal, so one lattice angle and one gray; a per-pixel mode cannot know that and turns a
 * grain the decoder is unsure of into ramps and speckle. The regions come from the boundary head
 * ({@link Split}, polyvae.sample.regions), each takes the level that maximises the sum of its pixels'
 * log-probabilities: the most likely single level for the whole region under the decoder's own per-pixel
 * distribution.
 *
 * <p>{@code basins} (the default): the boundary probabilities as a relief, each pixel flooded into the basin of
 * its lowest already flooded 4-neighbour (pixels in ascending probability; one with none starts a basin), then
 * neighbouring basins merged, weakest border first, while the mean probability along their border (of each
 * neighbour pair across it, the larger of the two) is under {@code basin-merge}. The head draws a boundary as a
 * ridge even where it is too unsure to reach 0.5 (a prior draw's network of faint lines), and the ridges, not a
 * threshold, separate the basins; the merge removes the ridges of noise inside a grain. Every pixel is in a basin,
 * so a boundary is a step between two grains' grays, with no line of its own.
 *
 * <p>{@code marks}:
 * <ol>
 *   <li>two 4-neighbours are in one region when neither is a boundary pixel (boundary probability below
 *   {@link #BOUNDARY_THRESHOLD}; the head is trained so that neighbouring pixels of two grains are never both
 *   unmarked, {@link VaeBatches#boundaries}) and their most likely grays differ by at most
 *   {@link #MAX_STEP_GRAYS}: the boundary head's probabilities are smeared where it is unsure of a boundary's
 *   position, so a gap in its marks must not merge two grains of clearly different gray;</li>
 *   <li>each region takes its jointly most likely level;</li>
 *   <li>the marked pixels join, ring by ring outward from the regions, the neighbouring region whose level
 *   they find most probable themselves.</li>
 * </ol>
 * A ramp of one-level steps stays one region and becomes flat; a step of two levels or more starts another. An
 * image with no unmarked pixel keeps each pixel's own most likely level. Where the head's marks have gaps, grains
 * run together through them (README, "Regions from the boundary map's basins").
 *
 * <p>Nothing is imposed but "one gray per region": where the regions lie and which grays they take both come
 * from the model.
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
     * Where region decoding finds the regions: polyvae.sample.regions and polyvae.sample.basin-merge.
     *
     * @param regions    basins of the boundary map, or the pixels the head leaves unmarked
     * @param basinMerge with basins: neighbouring basins merge while the mean boundary probability along their
     *                   border is under this; unused with marks
     */
    public record Split(SampleSettings.Regions regions, double basinMerge) implements Serializable {
        public Split {
            Objects.requireNonNull(regions, "regions");
            if (regions == SampleSettings.Regions.BASINS && !(basinMerge > 0 && basinMerge <= 1)) {
                throw new IllegalArgumentException("basinMerge must be in (0, 1], got " + basinMerge);
            }
        }

        /** The split polyvae.sample.regions and basin-merge configure. */
        public static Split of(SampleSettings s) {
            return s.regions() == SampleSettings.Regions.BASINS ? basins(s.basinMerge()) : marks();
        }

        /** The boundary head's marks (probability 0.5 and up) split the regions. */
        public static Split marks() {
            return new Split(SampleSettings.Regions.MARKS, Double.NaN);
        }

        /** The boundary map's basins, merged across borders whose mean probability is under {@code merge}. */
        public static Split basins(double merge) {
            return new Split(SampleSettings.Regions.BASINS, merge);
        }

        /** The split in words, for the sample manifest and the evaluation that reports the samples. */
        public String describe() {
            return regions == SampleSettings.Regions.BASINS
                    ? String.format(Locale.ROOT, "boundary-map basins merged under %.2f", basinMerge)
                    : "regions at the boundary marks";
        }
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
     * @param split         where the regions are found
     * @param cleanup       which decoded regions then take a neighbour's level
     * @return [n, 1, h, w] grays in [0, 1], each the centre of its region's level
     */
    public static INDArray decode(INDArray probabilities, INDArray boundary, Split split, Cleanup cleanup) {
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
            int[] level = split.regions() == SampleSettings.Regions.BASINS
                    ? basinLevels(p, i * k * plane, b, i * plane, k, h, w, split.basinMerge())
                    : levels(p, i * k * plane, b, i * plane, k, h, w);
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
        int[] regionLevel = jointlyMostLikely(p, pOffset, region, regions, k, plane);
        grow(p, pOffset, region, regionLevel, k, h, w);
        int[] level = new int[plane];
        for (int q = 0; q < plane; q++) {
            level[q] = regionLevel[region[q]];
        }
        return level;
    }

    /**
     * Each region's level: the one maximising the sum of its pixels' log-probabilities. Pixels of region -1
     * (unassigned) count for none.
     */
    private static int[] jointlyMostLikely(float[] p, int pOffset, int[] region, int regions, int k, int plane) {
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
        return regionLevel;
    }

    /**
     * The level of every pixel of one image, with the regions the boundary map's basins (see the class comment).
     *
     * @param merge neighbouring basins merge while the mean boundary probability along their border is under this
     */
    static int[] basinLevels(float[] p, int pOffset, float[] b, int bOffset, int k, int h, int w, double merge) {
        int plane = h * w;
        int[] basin = watershed(b, bOffset, h, w);
        int basins = 0;
        for (int q = 0; q < plane; q++) {
            basins = Math.max(basins, basin[q] + 1);
        }
        int[] region = mergeBasins(basin, basins, b, bOffset, h, w, merge);
        int[] regionLevel = jointlyMostLikely(p, pOffset, region, basins, k, plane);
        int[] level = new int[plane];
        for (int q = 0; q < plane; q++) {
            level[q] = regionLevel[region[q]];
        }
        return level;
    }

    /**
     * Floods the boundary probabilities: pixels in ascending probability (ties by index), each joining the basin
     * of its already flooded 4-neighbour of lowest probability (ties: left, right, up, down), or starting a basin.
     */
    static int[] watershed(float[] b, int bOffset, int h, int w) {
        int plane = h * w;
        // Probabilities are >= 0, so their float bits sort as they do; the index below them breaks ties.
        long[] order = new long[plane];
        for (int q = 0; q < plane; q++) {
            order[q] = ((long) Float.floatToIntBits(Math.max(0f, b[bOffset + q])) << 32) | q;
        }
        Arrays.sort(order);
        int[] basin = new int[plane];
        Arrays.fill(basin, -1);
        int basins = 0;
        for (long o : order) {
            int q = (int) o;
            int best = -1;
            float lowest = Float.POSITIVE_INFINITY;
            for (int nb : neighbours(q, h, w)) {
                if (nb >= 0 && basin[nb] >= 0 && b[bOffset + nb] < lowest) {
                    lowest = b[bOffset + nb];
                    best = basin[nb];
                }
            }
            basin[q] = best >= 0 ? best : basins++;
        }
        return basin;
    }

    /**
     * Merges neighbouring basins, the pair with the weakest border first (ties: the lower basin numbers), while
     * that border's mean boundary probability is under {@code merge}; a border's strength is, over the
     * 4-neighbour pairs across it, the larger probability of the two, and a merged basin's borders are the sums
     * of its parts'. Returns each pixel's merged region, numbered by the lowest basin it holds.
     */
    static int[] mergeBasins(int[] basin, int basins, float[] b, int bOffset, int h, int w, double merge) {
        int plane = h * w;
        // border.get(a).get(x) = {sum of strengths, pairs} of a's border with x: one array, shared by a's and x's maps.
        List<TreeMap<Integer, double[]>> border = new ArrayList<>(basins);
        for (int r = 0; r < basins; r++) {
            border.add(new TreeMap<>());
        }
        for (int q = 0; q < plane; q++) {
            int right = q % w < w - 1 ? q + 1 : -1;
            int down = q / w < h - 1 ? q + w : -1;
            for (int nb : new int[] {right, down}) {
                if (nb >= 0 && basin[nb] != basin[q]) {
                    double[] e = borderOf(border, basin[q], basin[nb]);
                    e[0] += Math.max(b[bOffset + q], b[bOffset + nb]);
                    e[1]++;
                }
            }
        }
        int[] version = new int[basins];
        int[] into = new int[basins];
        for (int r = 0; r < basins; r++) {
            into[r] = r;
        }
        // Entries {mean, lower basin, higher basin, their versions}; an entry whose basins changed since is stale.
        PriorityQueue<double[]> queue = new PriorityQueue<>((x, y) -> {
            for (int i = 0; i < 3; i++) {
                int c = Double.compare(x[i], y[i]);
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        });
        for (int a = 0; a < basins; a++) {
            for (var e : border.get(a).entrySet()) {
                if (a < e.getKey()) {
                    queue.add(new double[] {e.getValue()[0] / e.getValue()[1], a, e.getKey(), 0, 0});
                }
            }
        }
        while (!queue.isEmpty()) {
            double[] top = queue.poll();
            int a = (int) top[1];
            int c = (int) top[2];
            if (version[a] != (int) top[3] || version[c] != (int) top[4]) {
                continue;
            }
            if (top[0] >= merge) {
                break;
            }
            // c joins a: a's border with each of c's neighbours gains c's.
            border.get(a).remove(c);
            for (var e : border.get(c).entrySet()) {
                int x = e.getKey();
                if (x == a) {
                    continue;
                }
                double[] mine = borderOf(border, a, x);
                mine[0] += e.getValue()[0];
                mine[1] += e.getValue()[1];
                border.get(x).remove(c);
            }
            border.get(c).clear();
            into[c] = a;
            version[a]++;
            version[c]++;
            for (var e : border.get(a).entrySet()) {
                int x = e.getKey();
                int lo = Math.min(a, x);
                int hi = Math.max(a, x);
                queue.add(new double[] {e.getValue()[0] / e.getValue()[1], lo, hi, version[lo], version[hi]});
            }
        }
        int[] region = new int[plane];
        for (int q = 0; q < plane; q++) {
            int r = basin[q];
            while (into[r] != r) {
                r = into[r];
            }
            region[q] = r;
        }
        return region;
    }

    /** The border of basins a and x, created empty in both their maps when they have none yet. */
    private static double[] borderOf(List<TreeMap<Integer, double[]>> border, int a, int x) {
        double[] e = border.get(a).get(x);
        if (e == null) {
            e = new double[2];
            border.get(a).put(x, e);
            border.get(x).put(a, e);
        }
        return e;
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
