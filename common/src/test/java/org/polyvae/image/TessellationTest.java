package org.polyvae.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.polyvae.metrics.GrainStatistics;

class TessellationTest {
    private static final int N = 32;

    private static long distinctGrays(byte[] img) {
        return IntStream.range(0, img.length).map(i -> img[i] & 0xff).distinct().count();
    }

    @Test
    void aBlurredBoundaryBecomesASharpOne() {
        // Two grains, 40 and 210 gray, with a blurred boundary column of 125 (what a decoder's blur looks like).
        byte[] img = new byte[N * N];
        for (int r = 0; r < N; r++) {
            for (int c = 0; c < N; c++) {
                img[r * N + c] = (byte) (c < 14 ? 40 : c == 14 ? 125 : 210);
            }
        }
        byte[] t = Tessellation.tessellate(img, N, 4, 40);
        assertEquals(2, distinctGrays(t), "one gray per grain");
        assertTrue(GrainStatistics.flatPixelShare(t, N, 0) > GrainStatistics.flatPixelShare(img, N, 0));
        assertEquals(2, GrainStatistics.countGrains(t, N, 12, 3));
    }

    @Test
    void specksSmallerThanTheMinimumAreaAreMerged() {
        byte[] img = new byte[N * N];
        java.util.Arrays.fill(img, (byte) 100);
        img[5 * N + 5] = (byte) 250; // a one-pixel speck
        byte[] t = Tessellation.tessellate(img, N, 8, 4);
        assertEquals(1, distinctGrays(t));
        byte[] kept = Tessellation.tessellate(img, N, 8, 1);
        assertEquals(2, distinctGrays(kept), "min area 1 keeps every region");
    }

    @Test
    void voronoiGrainsAreTheNearestCentroidCellsOfTheRegions() {
        // A blob (an irregular plus-shaped region, gray 200) on a background (gray 40): the Voronoi step
        // replaces its outline by the perpendicular bisector between the two regions' centroids, a straight line.
        byte[] img = new byte[N * N];
        java.util.Arrays.fill(img, (byte) 40);
        for (int r = 0; r < N; r++) {
            for (int c = 20; c < N; c++) {
                if (c > 24 || r % 5 != 0) {
                    img[r * N + c] = (byte) 200;
                }
            }
        }
        byte[] v = Tessellation.voronoi(img, N, 4, 10, false);
        assertEquals(2, distinctGrays(v), "one gray per grain");
        int[] in = firstBrightColumnPerRow(img);
        int[] out = firstBrightColumnPerRow(v);
        assertEquals(5, IntStream.of(in).max().getAsInt() - IntStream.of(in).min().getAsInt(), "a ragged outline");
        assertTrue(IntStream.of(out).max().getAsInt() - IntStream.of(out).min().getAsInt() <= 1, "a straight one");
        // Centroids: the background with its specks at x = 10.15, the blob at x = 25.85; the bisector at 18.
        assertTrue(out[0] >= 18 && out[0] <= 19, "boundary at column " + out[0]);
    }

    private static int[] firstBrightColumnPerRow(byte[] img) {
        return IntStream.range(0, N).map(r -> IntStream.range(0, N).filter(c -> (img[r * N + c] & 0xff) > 120)
                .findFirst().orElse(-1)).toArray();
    }

    @Test
    void equalizedGrainsTakeUniformGraysInTheOrderOfTheirDecodedGrays() {
        // Three vertical grains decoded with compressed grays 110 < 120 < 130.
        byte[] img = new byte[N * N];
        for (int i = 0; i < img.length; i++) {
            int c = i % N;
            img[i] = (byte) (c < 11 ? 120 : c < 22 ? 110 : 130);
        }
        byte[] v = Tessellation.voronoi(img, N, 256, 4, true);
        assertEquals(128, v[N / 2 * N + 2] & 0xff, "middle gray, middle rank: 255 * 1.5 / 3");
        assertEquals(43, v[N / 2 * N + 16] & 0xff, "darkest of 3: 255 * 0.5 / 3");
        assertEquals(213, v[N / 2 * N + 28] & 0xff, "brightest of 3: 255 * 2.5 / 3");
        assertEquals(3, distinctGrays(Tessellation.voronoi(img, N, 256, 4, false)));
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Tessellation.tessellate(new byte[10], N, 8, 4));
        assertThrows(IllegalArgumentException.class, () -> Tessellation.tessellate(new byte[N * N], N, 1, 4));
        assertThrows(IllegalArgumentException.class, () -> Tessellation.tessellate(new byte[N * N], N, 8, 0));
    }
}
