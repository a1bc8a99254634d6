package org.polyvae.sample;

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
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Tessellation.tessellate(new byte[10], N, 8, 4));
        assertThrows(IllegalArgumentException.class, () -> Tessellation.tessellate(new byte[N * N], N, 1, 4));
        assertThrows(IllegalArgumentException.class, () -> Tessellation.tessellate(new byte[N * N], N, 8, 0));
    }
}
