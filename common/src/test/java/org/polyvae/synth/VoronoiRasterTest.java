package org.polyvae.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.polyvae.config.PolyvaeConfig;
import org.polyvae.data.WindowClass;

class VoronoiRasterTest {

    /** The definition: nearest seed by squared distance, ties to the lower index. */
    private static int[] bruteForce(double[] xs, double[] ys, int n, double pixel, double offset) {
        int[] map = new int[n * n];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                double x = (c + offset) * pixel;
                double y = (r + offset) * pixel;
                int best = 0;
                double bestD = Double.POSITIVE_INFINITY;
                for (int s = 0; s < xs.length; s++) {
                    double d = (x - xs[s]) * (x - xs[s]) + (y - ys[s]) * (y - ys[s]);
                    if (d < bestD) {
                        bestD = d;
                        best = s;
                    }
                }
                map[r * n + c] = best;
            }
        }
        return map;
    }

    @Test
    void labelsEqualTheBruteForceDefinitionOnRandomSeeds() {
        Random rnd = new Random(3);
        for (int trial = 0; trial < 40; trial++) {
            int n = 1 + rnd.nextInt(48);
            int seeds = 1 + rnd.nextInt(120);
            double pixel = 0.1 + rnd.nextDouble() * 2;
            double offset = rnd.nextBoolean() ? 0.5 : 0;
            double[] xs = new double[seeds];
            double[] ys = new double[seeds];
            for (int s = 0; s < seeds; s++) {
                // Some seeds outside the raster, as in the generator's margin.
                xs[s] = (rnd.nextDouble() * 1.4 - 0.2) * n * pixel;
                ys[s] = (rnd.nextDouble() * 1.4 - 0.2) * n * pixel;
            }
            assertArrayEquals(bruteForce(xs, ys, n, pixel, offset), VoronoiRaster.label(xs, ys, n, pixel, offset),
                    "trial " + trial);
        }
    }

    /** Seeds on pixel positions and repeated seeds make exact ties everywhere; the lower index must win. */
    @Test
    void tiesGoToTheLowerIndexLikeTheDefinition() {
        Random rnd = new Random(5);
        for (int trial = 0; trial < 20; trial++) {
            int n = 8 + rnd.nextInt(24);
            int seeds = 2 + rnd.nextInt(40);
            double[] xs = new double[seeds];
            double[] ys = new double[seeds];
            for (int s = 0; s < seeds; s++) {
                xs[s] = rnd.nextInt(n) + (rnd.nextBoolean() ? 0.5 : 0);
                ys[s] = rnd.nextInt(n) + (rnd.nextBoolean() ? 0.5 : 0);
                if (s > 0 && rnd.nextInt(4) == 0) {
                    xs[s] = xs[s - 1];
                    ys[s] = ys[s - 1];
                }
            }
            assertArrayEquals(bruteForce(xs, ys, n, 1, 0), VoronoiRaster.label(xs, ys, n, 1, 0), "trial " + trial);
        }
    }

    @Test
    void grainMapsOfGeneratedMicrostructuresEqualTheDefinition() {
        MicrostructureGenerator gen = new MicrostructureGenerator(GrainProcess.of(PolyvaeConfig.defaultsOnly().synth()));
        for (WindowClass c : WindowClass.values()) {
            Microstructure m = gen.generate(c, 17);
            double[] xs = new double[m.seedCount()];
            double[] ys = new double[m.seedCount()];
            for (int s = 0; s < xs.length; s++) {
                xs[s] = m.seedX(s);
                ys[s] = m.seedY(s);
            }
            assertArrayEquals(bruteForce(xs, ys, 64, m.side() / 64, 0.5), m.grainMap(64), c.token());
        }
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> VoronoiRaster.label(new double[0], new double[0], 4, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> VoronoiRaster.label(new double[1], new double[2], 4, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> VoronoiRaster.label(new double[1], new double[1], 0, 1, 0));
    }
}
