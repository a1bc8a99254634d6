package org.polyvae.synth;

/**
 * The dataset's encoding of a grain's lattice angle as a gray level. Cubic symmetry about the film
 * normal [001] makes angles periodic in 90°, so θ ∈ [0°, 90°) covers every orientation; gray 255 is
 * reached only by θ ≥ 89.82°, which is physically next to gray 0.
 */
public final class LatticeGray {

    /** Angular width of one gray level, degrees (the resolution with which an angle survives a PNG). */
    public static final double DEGREES_PER_LEVEL = 90.0 / 255.0;

    private LatticeGray() {
    }

    /** gray = round(255·θ/90°), θ in degrees within [0, 90). */
    public static int toGray(double angleDegrees) {
        if (!(angleDegrees >= 0 && angleDegrees < 90)) {
            throw new IllegalArgumentException("lattice angle must be in [0°, 90°), got " + angleDegrees);
        }
        return (int) Math.round(255 * angleDegrees / 90);
    }

    /** The angle a gray level stands for (exact up to ±{@link #DEGREES_PER_LEVEL}/2). */
    public static double toAngle(int gray) {
        if (gray < 0 || gray > 255) {
            throw new IllegalArgumentException("gray level must be in 0..255, got " + gray);
        }
        return gray * DEGREES_PER_LEVEL;
    }
}
