package org.polyvae.synth;

import java.util.Arrays;
import org.polyvae.data.WindowClass;

/**
 * One Voronoi grain aggregate in the window [0, L]² µm, x to the right and y downwards (so row 0 of
 * every raster is the top of the window, as in the images). Immutable and safe to share between
 * threads. Seeds outside the window (in the margin) are included in the accessors: their cells may
 * reach into the window.
 */
public final class Microstructure {

    private final WindowClass windowClass;
    private final SeedGrid seeds;
    private final double[] angles;
    private volatile double[] visibleAreas;

    Microstructure(WindowClass windowClass, SeedGrid seeds, double[] angles) {
        this.windowClass = windowClass;
        this.seeds = seeds;
        this.angles = angles;
    }

    public WindowClass windowClass() {
        return windowClass;
    }

    /** Window side L in µm. */
    public double side() {
        return windowClass.micrometres();
    }

    public int seedCount() {
        return angles.length;
    }

    public double seedX(int grain) {
        return seeds.x(grain);
    }

    public double seedY(int grain) {
        return seeds.y(grain);
    }

    /** Lattice angle of a grain in degrees, in [0, 90). */
    public double angle(int grain) {
        return angles[grain];
    }

    /** The grain (seed index) owning the point (x, y) µm of the window. */
    public int grainAt(double x, double y) {
        return seeds.nearest(x, y);
    }

    /** Grain index of every cell of an n×n raster, sampled at cell centres, row-major, row 0 on top. */
    public int[] grainMap(int n) {
        return VoronoiRaster.label(seeds, n, side() / n, 0.5);
    }

    /** 8-bit gray image (unsigned bytes), gray = round(255·θ/90°) of the grain at each pixel centre. */
    public byte[] render(int sizePx) {
        int[] map = grainMap(sizePx);
        byte[] gray = new byte[map.length];
        for (int i = 0; i < map.length; i++) {
            gray[i] = (byte) LatticeGray.toGray(angles[map[i]]);
        }
        return gray;
    }

    /** Lattice angle in degrees of each element of an n×n FE mesh, at the element centre, row-major. */
    public double[] elementAngles(int n) {
        int[] map = grainMap(n);
        double[] out = new double[map.length];
        for (int i = 0; i < map.length; i++) {
            out[i] = angles[map[i]];
        }
        return out;
    }

    /** Number of grains whose cell intersects the window (exact, from the clipped cell polygons). */
    public int visibleGrains() {
        int count = 0;
        for (double a : visibleAreasCached()) {
            if (a > 0) {
                count++;
            }
        }
        return count;
    }

    /** Area in µm² of each grain's cell inside the window (0 for grains outside); sums to L². */
    public double[] visibleCellAreas() {
        return visibleAreasCached().clone();
    }

    private double[] visibleAreasCached() {
        double[] a = visibleAreas;
        if (a == null) {
            a = VoronoiClip.windowAreas(seeds, side());
            visibleAreas = a;
        }
        return a;
    }

    @Override
    public String toString() {
        return "Microstructure[" + windowClass.token() + " µm, " + seedCount() + " seeds, angles "
                + Arrays.toString(Arrays.copyOf(angles, Math.min(3, angles.length))) + "…]";
    }
}
