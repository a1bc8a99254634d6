package org.polyvae.image;

import java.util.Arrays;
import org.polyvae.metrics.ConnectedRegions;
import org.polyvae.metrics.GrainStatistics;
import org.polyvae.synth.VoronoiRaster;

/**
 * Optional post-processing of a decoded sample into a tessellation: one gray per region, sharp boundaries.
 * A VAE's decoder outputs the expected image, which blurs grain boundaries into ramps; this step quantises
 * the gray levels into bands, takes the connected regions of one band as grains, merges regions smaller
 * than {@code minArea} pixels into the neighbour they share most boundary with, and fills every region with
 * the mean gray of its decoded pixels. Boundaries thus follow the decoder's iso-gray contours. The raw
 * decoded image is always kept next to the result.
 */
public final class Tessellation {
    private Tessellation() {
    }

    /**
     * @param gray    size² gray levels (0..255), row-major
     * @param bands   number of gray bands, 2..256 (fewer = larger grains)
     * @param minArea regions smaller than this many pixels are merged into a neighbour, ≥ 1
     */
    public static byte[] tessellate(byte[] gray, int size, int bands, int minArea) {
        int[] label = regions(gray, size, bands, minArea);
        int regions = ConnectedRegions.count(label);
        long[] sum = new long[regions];
        int[] count = new int[regions];
        for (int i = 0; i < gray.length; i++) {
            sum[label[i]] += gray[i] & 0xff;
            count[label[i]]++;
        }
        byte[] out = new byte[gray.length];
        for (int i = 0; i < gray.length; i++) {
            out[i] = (byte) Math.round((double) sum[label[i]] / count[label[i]]);
        }
        return out;
    }

    /**
     * The regions of {@link #tessellate} as grains of a Voronoi tessellation: each region's centroid is a
     * grain seed carrying the region's mean gray, and every pixel takes the gray of its nearest seed. The
     * decoder then sets where grains are and their orientation; the boundaries are straight, and the grains
     * convex, as in a film grown from nucleation sites (and as in the synthetic stand-in).
     *
     * @param equalize replace the grains' grays by their rank quantiles of the uniform distribution on
     *                 [0, 255] (grain k of n by mean gray gets 255·(k + ½)/n): lattice angles are uniform in an
     *                 untextured film, while a decoder's averaging pulls small grains' grays together
     */
    public static byte[] voronoi(byte[] gray, int size, int bands, int minArea, boolean equalize) {
        int[] label = regions(gray, size, bands, minArea);
        int regions = ConnectedRegions.count(label);
        double[] cx = new double[regions];
        double[] cy = new double[regions];
        long[] sum = new long[regions];
        int[] count = new int[regions];
        for (int i = 0; i < gray.length; i++) {
            int l = label[i];
            cx[l] += i % size;
            cy[l] += i / size;
            sum[l] += gray[i] & 0xff;
            count[l]++;
        }
        byte[] mean = new byte[regions];
        for (int l = 0; l < regions; l++) {
            cx[l] /= count[l];
            cy[l] /= count[l];
            mean[l] = (byte) Math.round((double) sum[l] / count[l]);
        }
        if (equalize) {
            Integer[] order = new Integer[regions];
            for (int l = 0; l < regions; l++) {
                order[l] = l;
            }
            Arrays.sort(order, (a, b) -> Double.compare((double) sum[a] / count[a], (double) sum[b] / count[b]));
            for (int k = 0; k < regions; k++) {
                mean[order[k]] = (byte) Math.round(255.0 * (k + 0.5) / regions);
            }
        }
        int[] nearest = VoronoiRaster.label(cx, cy, size, 1, 0);
        byte[] out = new byte[gray.length];
        for (int i = 0; i < gray.length; i++) {
            out[i] = mean[nearest[i]];
        }
        return out;
    }

    /** Region labels: gray bands → connected regions → regions below minArea merged into a neighbour. */
    private static int[] regions(byte[] gray, int size, int bands, int minArea) {
        if (gray.length != size * size) {
            throw new IllegalArgumentException("expected " + size * size + " pixels, got " + gray.length);
        }
        if (bands < 2 || bands > 256 || minArea < 1) {
            throw new IllegalArgumentException("tessellation needs 2..256 bands and a minimum area ≥ 1, got "
                    + bands + " and " + minArea);
        }
        int[] band = new int[gray.length];
        for (int i = 0; i < gray.length; i++) {
            band[i] = (gray[i] & 0xff) * bands / 256;
        }
        int[] label = GrainStatistics.regionLabels(band, size, 0);
        for (int pass = 0; pass < 8 && mergeSmall(label, size, minArea); pass++) {
            // Merging can leave a merged region still small; a few passes settle it.
        }
        return label;
    }

    /** One pass: every region below minArea joins its most-shared neighbour. Returns whether anything changed. */
    private static boolean mergeSmall(int[] label, int size, int minArea) {
        int[] area = ConnectedRegions.areas(label);
        int regions = area.length;
        int[] target = new int[regions];
        boolean changed = false;
        for (int r = 0; r < regions; r++) {
            target[r] = r;
        }
        java.util.Map<Long, Integer> shared = new java.util.HashMap<>();
        for (int p = 0; p < label.length; p++) {
            int a = label[p];
            if (area[a] >= minArea) {
                continue;
            }
            int row = p / size;
            int col = p % size;
            int[] neighbours = {col > 0 ? p - 1 : -1, col < size - 1 ? p + 1 : -1, row > 0 ? p - size : -1,
                    row < size - 1 ? p + size : -1};
            for (int q : neighbours) {
                if (q >= 0 && label[q] != a) {
                    shared.merge(((long) a << 32) | label[q], 1, Integer::sum);
                }
            }
        }
        int[] best = new int[regions];
        Arrays.fill(best, -1);
        for (var e : shared.entrySet()) {
            int a = (int) (e.getKey() >>> 32);
            int b = (int) (long) e.getKey();
            if (best[a] < 0 || e.getValue() > best[a]) {
                best[a] = e.getValue();
                target[a] = b;
            }
        }
        // Resolve chains (a → b → c) so every pixel lands in a region that is not itself moving away.
        for (int r = 0; r < regions; r++) {
            int t = r;
            for (int hops = 0; hops < regions && target[t] != t && area[t] < minArea; hops++) {
                t = target[t];
            }
            if (t != r) {
                changed = true;
            }
            target[r] = t;
        }
        if (!changed) {
            return false;
        }
        // Relabel densely.
        int[] dense = new int[regions];
        Arrays.fill(dense, -1);
        int next = 0;
        for (int p = 0; p < label.length; p++) {
            int t = target[label[p]];
            if (dense[t] < 0) {
                dense[t] = next++;
            }
            label[p] = dense[t];
        }
        return true;
    }
}
