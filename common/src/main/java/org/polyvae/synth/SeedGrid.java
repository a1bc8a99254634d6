package org.polyvae.synth;

import java.util.Arrays;

/**
 * Bucket grid over the seed box [lo, lo+side)² for nearest-seed and hard-core queries. Points can be
 * added one at a time (sequential adsorption) and are kept in per-bucket linked lists so that nothing
 * is reallocated while a microstructure is built.
 */
final class SeedGrid {

    private final double lo;
    private final double cell;
    private final int dim;
    private final int[] head;
    private int[] next;
    private double[] xs;
    private double[] ys;
    private int size;

    SeedGrid(double lo, double side, double cellSize, int expectedPoints) {
        this.lo = lo;
        this.dim = Math.max(1, (int) Math.ceil(side / cellSize));
        this.cell = side / dim;
        this.head = new int[dim * dim];
        Arrays.fill(head, -1);
        int cap = Math.max(8, expectedPoints);
        this.next = new int[cap];
        this.xs = new double[cap];
        this.ys = new double[cap];
    }

    int size() {
        return size;
    }

    double x(int i) {
        return xs[i];
    }

    double y(int i) {
        return ys[i];
    }

    double cellSize() {
        return cell;
    }

    private int bucket(double v) {
        int b = (int) ((v - lo) / cell);
        return b < 0 ? 0 : Math.min(b, dim - 1);
    }

    void add(double x, double y) {
        if (size == xs.length) {
            int cap = size * 2;
            xs = Arrays.copyOf(xs, cap);
            ys = Arrays.copyOf(ys, cap);
            next = Arrays.copyOf(next, cap);
        }
        int b = bucket(y) * dim + bucket(x);
        xs[size] = x;
        ys[size] = y;
        next[size] = head[b];
        head[b] = size;
        size++;
    }

    /** True if some point lies closer than {@code r} to (x, y); r must not exceed the cell size. */
    boolean anyWithin(double x, double y, double r) {
        int bx = bucket(x);
        int by = bucket(y);
        double r2 = r * r;
        for (int j = Math.max(0, by - 1); j <= Math.min(dim - 1, by + 1); j++) {
            for (int i = Math.max(0, bx - 1); i <= Math.min(dim - 1, bx + 1); i++) {
                for (int p = head[j * dim + i]; p >= 0; p = next[p]) {
                    double dx = xs[p] - x;
                    double dy = ys[p] - y;
                    if (dx * dx + dy * dy < r2) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * Index of the point nearest to (x, y). Ties go to the lower index so that the result does not
     * depend on scan order. Rings of buckets are searched outwards until the best distance is below
     * the ring's lower bound.
     */
    int nearest(double x, double y) {
        Nearest found = new Nearest(x, y);
        for (int r = 0; r < dim; r++) {
            forEachInRing(x, y, r, found);
            // Unvisited rings lie at least r cells away; the margin covers rounding in bucket(), where a
            // seed on a bucket edge may land in either bucket, so that an exact tie is never missed.
            double bound = r * cell;
            if (found.best >= 0 && found.bestD2 < bound * bound * (1 - 1e-9)) {
                break;
            }
        }
        return found.best;
    }

    /** The best point seen so far by {@link #nearest}. */
    private final class Nearest implements java.util.function.IntConsumer {
        private final double x;
        private final double y;
        int best = -1;
        double bestD2 = Double.POSITIVE_INFINITY;

        Nearest(double x, double y) {
            this.x = x;
            this.y = y;
        }

        @Override
        public void accept(int p) {
            double dx = xs[p] - x;
            double dy = ys[p] - y;
            double d2 = dx * dx + dy * dy;
            if (d2 < bestD2 || (d2 == bestD2 && p < best)) {
                bestD2 = d2;
                best = p;
            }
        }
    }

    /** Calls {@code visitor} with every point in the Chebyshev ring {@code r} of buckets around (x, y). */
    void forEachInRing(double x, double y, int r, java.util.function.IntConsumer visitor) {
        int bx = bucket(x);
        int by = bucket(y);
        for (int j = by - r; j <= by + r; j++) {
            if (j < 0 || j >= dim) {
                continue;
            }
            boolean edgeRow = j == by - r || j == by + r;
            int step = edgeRow ? 1 : 2 * r;
            for (int i = bx - r; i <= bx + r; i += Math.max(1, step)) {
                if (i < 0 || i >= dim) {
                    continue;
                }
                for (int p = head[j * dim + i]; p >= 0; p = next[p]) {
                    visitor.accept(p);
                }
            }
        }
    }

    int dim() {
        return dim;
    }
}
