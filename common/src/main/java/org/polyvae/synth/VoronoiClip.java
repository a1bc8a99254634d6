package org.polyvae.synth;

/**
 * Exact Voronoi cell ∩ window areas by half-plane clipping. A cell is final once every seed not yet
 * used is farther than twice the cell's radius (the bisector of a farther seed cannot cut the cell);
 * rings of buckets give that bound without sorting all seeds.
 */
final class VoronoiClip {

    private VoronoiClip() {
    }

    static double[] windowAreas(SeedGrid seeds, double side) {
        int n = seeds.size();
        double[] areas = new double[n];
        for (int i = 0; i < n; i++) {
            areas[i] = clippedCellArea(seeds, i, side);
        }
        return areas;
    }

    private static double clippedCellArea(SeedGrid seeds, int self, double side) {
        double sx = seeds.x(self);
        double sy = seeds.y(self);
        Polygon poly = new Polygon(new double[] {0, side, side, 0}, new double[] {0, 0, side, side}, 4);
        double cell = seeds.cellSize();
        for (int r = 0; r <= seeds.dim() && !poly.isEmpty(); r++) {
            final Polygon p = poly;
            seeds.forEachInRing(sx, sy, r, j -> {
                if (j != self) {
                    p.clipCloserTo(sx, sy, seeds.x(j), seeds.y(j));
                }
            });
            double reach = r * cell;
            if (reach > 2 * poly.maxDistance(sx, sy)) {
                break;
            }
        }
        return poly.isEmpty() ? 0 : poly.area();
    }

    /** Mutable convex polygon for Sutherland–Hodgman clipping. */
    private static final class Polygon {
        private double[] xs;
        private double[] ys;
        private int n;

        Polygon(double[] xs, double[] ys, int n) {
            this.xs = xs;
            this.ys = ys;
            this.n = n;
        }

        boolean isEmpty() {
            return n < 3;
        }

        /** Keeps the part closer to seed (ax, ay) than to (bx, by). */
        void clipCloserTo(double ax, double ay, double bx, double by) {
            if (n < 3) {
                return;
            }
            double nx = bx - ax;
            double ny = by - ay;
            double c = (bx * bx + by * by - ax * ax - ay * ay) / 2;
            double[] ox = new double[n + 1];
            double[] oy = new double[n + 1];
            int m = 0;
            for (int k = 0; k < n; k++) {
                int k2 = (k + 1) % n;
                double f1 = nx * xs[k] + ny * ys[k] - c;
                double f2 = nx * xs[k2] + ny * ys[k2] - c;
                if (f1 <= 0) {
                    ox[m] = xs[k];
                    oy[m] = ys[k];
                    m++;
                }
                if ((f1 < 0 && f2 > 0) || (f1 > 0 && f2 < 0)) {
                    double t = f1 / (f1 - f2);
                    ox[m] = xs[k] + t * (xs[k2] - xs[k]);
                    oy[m] = ys[k] + t * (ys[k2] - ys[k]);
                    m++;
                }
            }
            xs = ox;
            ys = oy;
            n = m;
        }

        double maxDistance(double x, double y) {
            double best = 0;
            for (int k = 0; k < n; k++) {
                double dx = xs[k] - x;
                double dy = ys[k] - y;
                best = Math.max(best, dx * dx + dy * dy);
            }
            return Math.sqrt(best);
        }

        double area() {
            double a = 0;
            for (int k = 0; k < n; k++) {
                int k2 = (k + 1) % n;
                a += xs[k] * ys[k2] - xs[k2] * ys[k];
            }
            return Math.abs(a) / 2;
        }
    }
}
