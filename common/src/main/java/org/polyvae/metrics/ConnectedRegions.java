package org.polyvae.metrics;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * The 4-connected regions of a row-major h × w pixel grid under a rule for which neighbours belong together:
 * the one labelling behind {@link GrainStatistics}' grains and the region decoding of the sampling decoder.
 */
public final class ConnectedRegions {

    /** Whether the 4-neighbouring pixels p and q (row-major indices) belong to one region. */
    @FunctionalInterface
    public interface Join {
        boolean test(int p, int q);
    }

    private ConnectedRegions() {
    }

    /**
     * Labels 0, 1, … (in the order of each region's first pixel) of the pixels {@code member} admits, -1 for
     * the others: a region is the member pixels reachable from one another by 4-neighbour steps {@code join}
     * allows.
     */
    public static int[] label(int h, int w, IntPredicate member, Join join) {
        int[] label = new int[h * w];
        Arrays.fill(label, -1);
        int[] stack = new int[h * w];
        int regions = 0;
        for (int start = 0; start < label.length; start++) {
            if (label[start] >= 0 || !member.test(start)) {
                continue;
            }
            int top = 0;
            stack[top++] = start;
            label[start] = regions;
            while (top > 0) {
                int p = stack[--top];
                int r = p / w;
                int c = p % w;
                top = visit(p, c > 0 ? p - 1 : -1, regions, label, stack, top, member, join);
                top = visit(p, c < w - 1 ? p + 1 : -1, regions, label, stack, top, member, join);
                top = visit(p, r > 0 ? p - w : -1, regions, label, stack, top, member, join);
                top = visit(p, r < h - 1 ? p + w : -1, regions, label, stack, top, member, join);
            }
            regions++;
        }
        return label;
    }

    /**
     * Which regions of a labelling of every pixel have an interior pixel: one whose 4-neighbours inside the
     * image all carry its own label. A region without one is a line or speck one or two pixels thick.
     */
    public static boolean[] withInterior(int[] label, int h, int w) {
        boolean[] interior = new boolean[count(label)];
        for (int p = 0; p < label.length; p++) {
            int r = p / w;
            int c = p % w;
            interior[label[p]] |= (c == 0 || label[p - 1] == label[p]) && (c == w - 1 || label[p + 1] == label[p])
                    && (r == 0 || label[p - w] == label[p]) && (r == h - 1 || label[p + w] == label[p]);
        }
        return interior;
    }

    /** The pixel count of each region of a labelling ({@link #count} entries; unlabelled pixels, -1, left out). */
    public static int[] areas(int[] label) {
        int[] area = new int[count(label)];
        for (int l : label) {
            if (l >= 0) {
                area[l]++;
            }
        }
        return area;
    }

    /** How many regions a labelling has: one more than its largest label. */
    public static int count(int[] label) {
        return Arrays.stream(label).max().orElse(-1) + 1;
    }

    private static int visit(int p, int q, int region, int[] label, int[] stack, int top, IntPredicate member,
            Join join) {
        if (q >= 0 && label[q] < 0 && member.test(q) && join.test(p, q)) {
            label[q] = region;
            stack[top++] = q;
        }
        return top;
    }
}
