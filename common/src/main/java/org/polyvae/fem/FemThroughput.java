package org.polyvae.fem;

import java.util.Random;

/**
 * Single-thread throughput of {@link PlaneStressHomogenizer} on seeded Voronoi polycrystals.
 * Run: java -cp common/target/classes org.polyvae.fem.FemThroughput [compare]
 * ("compare" also times the reference-medium and block-Jacobi preconditioners).
 */
public final class FemThroughput {
    private FemThroughput() {
    }

    public static void main(String[] args) {
        boolean compare = args.length > 0 && args[0].equals("compare");
        PlaneStressHomogenizer.Preconditioning[] kinds = compare
                ? PlaneStressHomogenizer.Preconditioning.values()
                : new PlaneStressHomogenizer.Preconditioning[] {PlaneStressHomogenizer.Preconditioning.MULTIGRID};
        System.out.printf("%-17s %5s %9s %10s %9s%n", "preconditioner", "n", "mean-it", "ms/solve", "solves/s");
        for (PlaneStressHomogenizer.Preconditioning kind : kinds) {
            for (int n : new int[] {32, 64, 128}) {
                measure(kind, n);
            }
        }
    }

    /** Warms the JIT for ~1 s, then times fresh images for ~2 s (at least 3). */
    private static void measure(PlaneStressHomogenizer.Preconditioning kind, int n) {
        PlaneStressHomogenizer h = new PlaneStressHomogenizer(n, CubicCrystal.SILICON, 1e-8, 20000, kind);
        Random rnd = new Random(42);
        long warmEnd = System.nanoTime() + 1_000_000_000L;
        while (System.nanoTime() < warmEnd) {
            h.homogenize(voronoi(n, 30, rnd));
        }
        long iterations = 0;
        long busy = 0;
        int samples = 0;
        while (samples < 3 || busy < 2_000_000_000L) {
            double[] image = voronoi(n, 30, rnd); // generated outside the timed region
            long start = System.nanoTime();
            iterations += h.homogenize(image).iterations();
            busy += System.nanoTime() - start;
            samples++;
        }
        double ms = busy / 1e6 / samples;
        System.out.printf("%-17s %5d %9.1f %10.2f %9.1f%n", kind, n, (double) iterations / samples, ms, 1000 / ms);
    }

    /** Nearest-seed grains (non-periodic), each with a uniform random lattice angle in [0, 90). */
    static double[] voronoi(int n, int grains, Random rnd) {
        double[] sx = new double[grains];
        double[] sy = new double[grains];
        double[] angle = new double[grains];
        for (int g = 0; g < grains; g++) {
            sx[g] = rnd.nextDouble() * n;
            sy[g] = rnd.nextDouble() * n;
            angle[g] = rnd.nextDouble() * 90;
        }
        double[] image = new double[n * n];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                int best = 0;
                double bestD = Double.MAX_VALUE;
                for (int g = 0; g < grains; g++) {
                    double dx = c + 0.5 - sx[g];
                    double dy = r + 0.5 - sy[g];
                    double d = dx * dx + dy * dy;
                    if (d < bestD) {
                        bestD = d;
                        best = g;
                    }
                }
                image[r * n + c] = angle[best];
            }
        }
        return image;
    }
}
