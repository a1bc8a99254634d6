package org.polyvae.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.polyvae.image.GrayImages;

class GrainStatisticsTest {

    private static final int N = 32;

    private static byte[] image(java.util.function.IntBinaryOperator grayAtRowCol) {
        byte[] img = new byte[N * N];
        for (int r = 0; r < N; r++) {
            for (int c = 0; c < N; c++) {
                img[r * N + c] = (byte) grayAtRowCol.applyAsInt(r, c);
            }
        }
        return img;
    }

    @Test
    void aSingleGrayIsOneFlatGrain() {
        byte[] img = image((r, c) -> 200);
        assertEquals(1, GrainStatistics.countGrains(img, N, 12, 3));
        assertArrayEquals(new int[] {N * N}, GrainStatistics.grainAreas(img, N, 12, 3));
        assertEquals(1.0, GrainStatistics.flatPixelShare(img, N, 0));
    }

    @Test
    void twoFlatHalvesAreTwoGrainsWithAFlatInterior() {
        byte[] img = image((r, c) -> c < N / 2 ? 40 : 250);
        assertEquals(2, GrainStatistics.countGrains(img, N, 12, 3));
        assertArrayEquals(new int[] {N * N / 2, N * N / 2}, GrainStatistics.grainAreas(img, N, 12, 3));
        // the two columns either side of the boundary are the only non-flat pixels
        assertEquals((N - 2) / (double) N, GrainStatistics.flatPixelShare(img, N, 2), 1e-12);
    }

    @Test
    void jumpsUpToTheThresholdJoinAndLargerJumpsSeparate() {
        assertEquals(1, GrainStatistics.countGrains(image((r, c) -> c < N / 2 ? 100 : 112), N, 12, 3));
        assertEquals(2, GrainStatistics.countGrains(image((r, c) -> c < N / 2 ? 100 : 113), N, 12, 3));
        // 8-bit values above 127 are read unsigned
        assertEquals(2, GrainStatistics.countGrains(image((r, c) -> c < N / 2 ? 0 : 255), N, 12, 3));
    }

    @Test
    void theLargestGrainsShareOfTheImage() {
        // A quarter-image grain beside three-quarters of another gray; a ramp of 10-level steps is one grain.
        int[] quarter = GrainStatistics.grainAreas(image((r, c) -> r < N / 2 && c < N / 2 ? 30 : 220), N, 12, 3);
        assertEquals(0.75, GrainStatistics.largestGrainShare(quarter, N), 1e-12);
        int[] ramp = GrainStatistics.grainAreas(image((r, c) -> 10 * (c / 2)), N, 12, 3);
        assertEquals(1.0, GrainStatistics.largestGrainShare(ramp, N), 1e-12);
        assertEquals(0.0, GrainStatistics.largestGrainShare(new int[0], N));
    }

    /**
     * Two flat halves with a one-pixel column of a blended gray between them (as JPEG and area averaging leave
     * along a real boundary): the column is a region of 32 px, a grain to {@link GrainStatistics#countGrains}, but
     * it has no interior pixel; a compact 3 × 3 grain has one (its centre), a 2 × 5 bar has none.
     */
    @Test
    void thickGrainsLeaveOutLinesWithoutAnInteriorPixel() {
        byte[] blended = image((r, c) -> c < N / 2 ? 40 : c == N / 2 ? 145 : 250);
        assertEquals(3, GrainStatistics.countGrains(blended, N, 12, 3));
        assertEquals(2, GrainStatistics.thickGrainCount(blended, N, 12, 3));
        byte[] compact = image((r, c) -> r >= 4 && r < 7 && c >= 4 && c < 7 ? 0 : 128);
        assertEquals(2, GrainStatistics.thickGrainCount(compact, N, 12, 3));
        byte[] bar = image((r, c) -> r >= 4 && r < 6 && c >= 4 && c < 9 ? 0 : 128);
        assertEquals(2, GrainStatistics.countGrains(bar, N, 12, 3));
        assertEquals(1, GrainStatistics.thickGrainCount(bar, N, 12, 3));
        assertEquals(1, GrainStatistics.thickGrainCount(compact, N, 12, 10), "the 9 px grain is under 10 px");
    }

    @Test
    void regionsBelowTheMinimumAreaAreNotGrains() {
        byte[] img = image((r, c) -> (r == 5 && (c == 5 || c == 6)) ? 0 : 128);
        assertEquals(1, GrainStatistics.countGrains(img, N, 12, 3));
        assertEquals(2, GrainStatistics.countGrains(img, N, 12, 2));
    }

    @Test
    void noiseIsNeitherFlatNorOneGrain() {
        SplittableRandom rng = new SplittableRandom(1);
        byte[] img = image((r, c) -> rng.nextInt(256));
        assertTrue(GrainStatistics.flatPixelShare(img, N, 2) < 0.01);
        // single noisy pixels are under the area floor; the few that join up are far fewer than the pixels
        assertTrue(GrainStatistics.countGrains(img, N, 12, 3) < N * N / 10);
        assertTrue(GrainStatistics.countGrains(img, N, 12, 1) > N * N / 2);
    }

    @Test
    void floatImagesAreMeasuredLikeTheirEightBitLevels() {
        byte[] bytes = image((r, c) -> (r / 8 * 4 + c / 8) * 16);
        float[] floats = GrayImages.fromBytes(bytes);
        assertEquals(16, GrainStatistics.countGrains(bytes, N, 12, 3));
        assertEquals(GrainStatistics.countGrains(bytes, N, 12, 3), GrainStatistics.countGrains(floats, N, 12, 3));
        assertEquals(GrainStatistics.flatPixelShare(bytes, N, 1), GrainStatistics.flatPixelShare(floats, N, 1));
    }

    @Test
    void histogramSumsToOne() {
        double[] h = GrainStatistics.grayHistogram(image((r, c) -> c < N / 4 ? 0 : 255), N, 4);
        assertArrayEquals(new double[] {0.25, 0, 0, 0.75}, h, 1e-12);
    }

    @Test
    void wrongSizesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> GrainStatistics.countGrains(new byte[10], 3, 12, 3));
    }

    @Test
    void sameGrainProbabilityCountsPairsInOneRegion() {
        // Left half 0, right half 200, 8×8: vertical pairs always share a grain; horizontal pairs at offset r
        // do when both are in one half, 2(4 − r) of the 8 − r per row. S2(r) = (2(4 − r) + 8 − r) / (2(8 − r)).
        int[] halves = new int[64];
        for (int i = 0; i < 64; i++) {
            halves[i] = i % 8 < 4 ? 0 : 200;
        }
        double[] s2 = GrainStatistics.sameGrainProbability(halves, 8, 12, 5);
        for (int r = 0; r <= 5; r++) {
            assertEquals((2.0 * Math.max(0, 4 - r) + 8 - r) / (2.0 * (8 - r)), s2[r], 1e-12, "r = " + r);
        }
        // A ramp of steps below the jump threshold is one region: S2 = 1 at every offset.
        int[] ramp = new int[64];
        for (int i = 0; i < 64; i++) {
            ramp[i] = 10 * (i % 8);
        }
        assertEquals(1.0, GrainStatistics.sameGrainProbability(ramp, 8, 12, 5)[5], 1e-12);
        assertThrows(IllegalArgumentException.class, () -> GrainStatistics.sameGrainProbability(ramp, 8, 12, 8));
    }
}
