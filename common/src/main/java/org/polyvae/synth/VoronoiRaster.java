package org.polyvae.synth;

/**
 * Voronoi rasterisation: every pixel of an n×n raster takes the index of its nearest seed, found through
 * {@link SeedGrid}'s buckets instead of a scan over all seeds. Pixel (row r, column c) sits at
 * ((c + offset)·pixel, (r + offset)·pixel), row 0 on top; ties go to the lower seed index, so the labels
 * equal those of the brute-force definition exactly.
 */
public final class VoronoiRaster {

    private VoronoiRaster() {
    }

    /**
     * @param xs     seed x coordinates, in the raster's units
     * @param ys     seed y coordinates (downwards), same length as xs, at least one seed
     * @param n      raster side in pixels
     * @param pixel  pixel side in the seeds' units
     * @param offset where a pixel is sampled within it, in pixels: 0.5 for its centre, 0 for its corner
     * @return n·n seed indices, row-major
     */
    public static int[] label(double[] xs, double[] ys, int n, double pixel, double offset) {
        if (xs.length == 0 || xs.length != ys.length) {
            throw new IllegalArgumentException("need at least one seed and as many y as x coordinates, got "
                    + xs.length + " and " + ys.length);
        }
        double lo = 0;
        double hi = n * pixel;
        for (int i = 0; i < xs.length; i++) {
            lo = Math.min(lo, Math.min(xs[i], ys[i]));
            hi = Math.max(hi, Math.max(xs[i], ys[i]));
        }
        double side = Math.max(hi - lo, Double.MIN_NORMAL);
        // About one seed per bucket: the spacing of seeds spread evenly over the box.
        SeedGrid grid = new SeedGrid(lo, side, side / Math.ceil(Math.sqrt(xs.length)), xs.length);
        for (int i = 0; i < xs.length; i++) {
            grid.add(xs[i], ys[i]);
        }
        return label(grid, n, pixel, offset);
    }

    static int[] label(SeedGrid seeds, int n, double pixel, double offset) {
        if (n <= 0) {
            throw new IllegalArgumentException("raster size must be positive, got " + n);
        }
        int[] map = new int[n * n];
        for (int r = 0; r < n; r++) {
            double y = (r + offset) * pixel;
            for (int c = 0; c < n; c++) {
                map[r * n + c] = seeds.nearest((c + offset) * pixel, y);
            }
        }
        return map;
    }
}
