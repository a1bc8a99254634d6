package org.polyvae.synth;

import java.util.SplittableRandom;
import org.polyvae.data.WindowClass;

/**
 * Draws polysilicon microstructures: hard-core seeds over the window plus margin, a Voronoi
 * tessellation, and one lattice angle per grain. Stateless and thread-safe; every call builds its own
 * {@link SplittableRandom} from (class, seed), so results depend on nothing else — not the thread, the
 * call order or the machine (SplitMix64 and IEEE arithmetic only, no transcendental functions).
 */
public final class MicrostructureGenerator {

    /** Sequential adsorption gives up after this many rejected proposals per requested seed. */
    private static final int MAX_ATTEMPTS_PER_SEED = 2_000;

    private final GrainProcess process;

    public MicrostructureGenerator(GrainProcess process) {
        this.process = java.util.Objects.requireNonNull(process, "process");
    }

    public GrainProcess process() {
        return process;
    }

    public Microstructure generate(WindowClass windowClass, long seed) {
        SplittableRandom rng = new SplittableRandom(streamSeed(windowClass, seed));
        double side = windowClass.micrometres();
        double margin = process.margin();
        double boxLo = -margin;
        double boxSide = side + 2 * margin;

        // The count is fixed up to randomised rounding rather than Poisson: a hard-core film has
        // sub-Poisson number fluctuations, and the window count still fluctuates through placement.
        double expected = process.density() * boxSide * boxSide;
        int n = (int) expected + (rng.nextDouble() < expected - Math.floor(expected) ? 1 : 0);

        double minDist = process.hardCoreDistance();
        // Cells at least the hard-core distance wide keep anyWithin() to the 3×3 neighbourhood; at the
        // mean spacing they also hold ~1 seed each, which is what nearest-seed queries want.
        SeedGrid grid = new SeedGrid(boxLo, boxSide, Math.max(minDist, process.meanSpacing()), n);
        long attempts = 0;
        long maxAttempts = (long) MAX_ATTEMPTS_PER_SEED * n;
        while (grid.size() < n) {
            double x = boxLo + boxSide * rng.nextDouble();
            double y = boxLo + boxSide * rng.nextDouble();
            if (minDist == 0 || !grid.anyWithin(x, y, minDist)) {
                grid.add(x, y);
            } else if (++attempts > maxAttempts) {
                throw new IllegalStateException("hard-core process jammed after " + grid.size() + " of " + n
                        + " seeds; lower the hard-core fraction " + process.hardCore());
            }
        }
        double[] angles = new double[n];
        for (int i = 0; i < n; i++) {
            angles[i] = 90 * rng.nextDouble();
        }
        return new Microstructure(windowClass, grid, angles);
    }

    /** Separate streams per class, so that seed 7 of 2×2 and seed 7 of 3×3 are unrelated. */
    static long streamSeed(WindowClass c, long seed) {
        return seed ^ (0x9E3779B97F4A7C15L * (c.ordinal() + 1));
    }
}
