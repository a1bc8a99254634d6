package org.polyvae.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * gray-decoding = region: one gray per region, the regions from the boundary map's basins or from its marks, the
 * grays from the decoder's own probabilities.
 */
class RegionDecodingTest {
    private static final int K = 32;
    private static final int H = 6;
    private static final int W = 7;
    private static final RegionDecoding.Split MARKS = RegionDecoding.Split.marks();

    private static INDArray decodeMarks(INDArray probabilities, INDArray boundary) {
        return RegionDecoding.decode(probabilities, boundary, MARKS, RegionDecoding.Cleanup.NONE);
    }

    /**
     * Left of a marked column 3 the decoder favours level 2 overall but, pixel by pixel, flickers to 3; right of
     * it level 6 with flicker to 5. The per-pixel mode speckles; the regions each take one level, and the column
     * joins the side whose level each of its pixels finds likelier.
     */
    @Test
    void eachRegionTakesItsJointlyMostLikelyLevelAndBoundaryPixelsJoinTheirLikelierNeighbour() {
        float[] p = new float[K * H * W];
        float[] b = new float[H * W];
        Random r = new Random(5);
        int flickers = 0;
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int q = y * W + x;
                boolean left = x < 3;
                int main = left ? 2 : 6;
                int other = left ? 3 : 5;
                boolean flicker = r.nextDouble() < 0.3;
                flickers += flicker ? 1 : 0;
                p[main * H * W + q] = flicker ? 0.4f : 0.6f;
                p[other * H * W + q] = flicker ? 0.5f : 0.3f;
                p[0 * H * W + q] = 0.1f;
                if (x == 3) {
                    b[q] = 0.9f;
                    // The boundary column: its upper half favours the left region's level, its lower half the right's.
                    for (int c = 0; c < K; c++) {
                        p[c * H * W + q] = 0.01f;
                    }
                    p[(y < H / 2 ? 2 : 6) * H * W + q] = 0.9f;
                }
            }
        }
        assertTrue(flickers > 3, "the per-pixel mode must flicker somewhere for the test to mean anything");
        int[] level = RegionDecoding.levels(p, 0, b, 0, K, H, W);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int expected = x < 3 || (x == 3 && y < H / 2) ? 2 : 6;
                assertEquals(expected, level[y * W + x], "pixel (" + y + ", " + x + ")");
            }
        }
        INDArray gray = decodeMarks(Nd4j.create(p, new long[] {1, K, H, W}),
                Nd4j.create(b, new long[] {1, 1, H, W}));
        assertArrayEquals(new long[] {1, 1, H, W}, gray.shape());
        assertEquals(2.5 / K, gray.getDouble(0, 0, 0, 0), 1e-6, "the level's centre");
        assertEquals(6.5 / K, gray.getDouble(0, 0, H - 1, W - 1), 1e-6);
    }

    /**
     * No pixel marked, but the modes step by two levels (16 grays at K = 32) between columns 2 and 3: two
     * regions, not one; steps of one level (8 grays) inside a region do not split it.
     */
    @Test
    void aGapInTheBoundaryMarksDoesNotMergeGrainsOfClearlyDifferentGray() {
        int k = 32;
        float[] p = new float[k * H * W];
        float[] b = new float[H * W];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int q = y * W + x;
                int mode = x < 3 ? 10 + (y % 2) : 13;
                for (int c = 0; c < k; c++) {
                    p[c * H * W + q] = 0.1f / k;
                }
                p[mode * H * W + q] = 0.5f;
                p[(x < 3 ? 11 : 13) * H * W + q] += 0.4f;
            }
        }
        int[] level = RegionDecoding.levels(p, 0, b, 0, k, H, W);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                assertEquals(x < 3 ? 11 : 13, level[y * W + x], "pixel (" + y + ", " + x + ")");
            }
        }
        assertEquals(1, RegionDecoding.MAX_STEP_GRAYS * k / 256, "the test's steps are about one level");
    }

    /**
     * A 3-pixel run of an intermediate level (6) on the edge between a region of level 2 (left) and one of level
     * 10 (right), whose pixels find 10 likelier than 2, and a 2-pixel speck of level 20 inside the left region.
     * Under 4 pixels both are absorbed: the run by the likelier of its two neighbours (not the first one met),
     * the speck by the only one; at 3 the run stays; when no region is large enough nothing changes.
     */
    @Test
    void regionsUnderTheSmallestSizeTakeTheLevelTheirPixelsFindLikeliestAmongLargerNeighbours() {
        int plane = H * W;
        int[] level = new int[plane];
        float[] p = new float[K * plane];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int q = y * W + x;
                boolean run = x == 3 && y >= 1 && y <= 3;
                boolean speck = y == 5 && x <= 1;
                level[q] = run ? 6 : speck ? 20 : x <= 3 ? 2 : 10;
                p[level[q] * plane + q] = 0.5f;
                p[(run ? 10 : 0) * plane + q] += 0.3f;
                p[(run ? 2 : 1) * plane + q] += 0.1f;
                p[(speck ? 2 : 3) * plane + q] += 0.1f;
            }
        }
        int[] absorbed = RegionDecoding.absorbSmallRegions(level, p, 0, K, H, W, 4);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int q = y * W + x;
                boolean run = x == 3 && y >= 1 && y <= 3;
                int expected = run ? 10 : x <= 3 ? 2 : 10;
                assertEquals(expected, absorbed[q], "pixel (" + y + ", " + x + ")");
            }
        }
        int[] kept = RegionDecoding.absorbSmallRegions(level, p, 0, K, H, W, 3);
        assertEquals(6, kept[W + 3], "a region of 3 pixels is not under 3");
        assertEquals(2, kept[5 * W], "the 2-pixel speck is");
        assertArrayEquals(level, RegionDecoding.absorbSmallRegions(level, p, 0, K, H, W, plane + 1),
                "with no region large enough there is nothing to join");
        INDArray probabilities = Nd4j.create(p, new long[] {1, K, H, W});
        INDArray noBoundary = Nd4j.zeros(DataType.FLOAT, 1, 1, H, W);
        assertTrue(!decodeMarks(probabilities, noBoundary).equals(RegionDecoding.decode(probabilities,
                noBoundary, MARKS, new RegionDecoding.Cleanup(4, false))), "decode passes the smallest region on");
        assertThrows(IllegalArgumentException.class, () -> new RegionDecoding.Cleanup(-1, false));
        assertEquals(null, RegionDecoding.Cleanup.NONE.describe());
        assertEquals("regions under 4 px absorbed and thin regions absorbed", new RegionDecoding.Cleanup(4, true)
                .describe());
    }

    /**
     * On an 8 × 8 image: a line of an intermediate level (6), one pixel wide and 7 long, between a region of
     * level 2 (left) and one of level 10 (right), whose pixels find 10 likelier than 2; and a compact 3 × 3
     * grain of level 20 in the left region's corner. The line has no interior pixel and takes 10; the grain,
     * smaller than the line, has one (its centre) and stays; a size threshold that removes the line removes
     * the grain too.
     */
    @Test
    void regionsWithoutAnInteriorPixelTakeTheLevelTheirPixelsFindLikeliestAmongThickNeighbours() {
        int h = 8;
        int w = 8;
        int plane = h * w;
        int[] level = new int[plane];
        float[] p = new float[K * plane];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int q = y * w + x;
                boolean line = x == 4 && y <= 6;
                boolean grain = y >= 5 && x <= 2;
                level[q] = line ? 6 : grain ? 20 : x <= 4 ? 2 : 10;
                p[level[q] * plane + q] = 0.5f;
                p[(line ? 10 : 0) * plane + q] += 0.3f;
                p[(line ? 2 : 1) * plane + q] += 0.1f;
                p[3 * plane + q] += 0.1f;
            }
        }
        int[] absorbed = RegionDecoding.absorbThinRegions(level, p, 0, K, h, w);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int q = y * w + x;
                int expected = x == 4 && y <= 6 ? 10 : level[q];
                assertEquals(expected, absorbed[q], "pixel (" + y + ", " + x + ")");
            }
        }
        int[] bySize = RegionDecoding.absorbSmallRegions(level, p, 0, K, h, w, 10);
        assertEquals(10, bySize[4], "the 7-pixel line is under 10 pixels");
        assertEquals(2, bySize[6 * w + 1], "and so is the 9-pixel grain");
        INDArray probabilities = Nd4j.create(p, new long[] {1, K, h, w});
        INDArray noBoundary = Nd4j.zeros(DataType.FLOAT, 1, 1, h, w);
        INDArray thin = RegionDecoding.decode(probabilities, noBoundary, MARKS,
                new RegionDecoding.Cleanup(0, true));
        assertEquals((10 + 0.5) / K, thin.getDouble(0, 0, 0, 4), 1e-6, "decode passes the thin regions on");
        assertEquals((20 + 0.5) / K, thin.getDouble(0, 0, 6, 1), 1e-6);
    }

    /** A whole image of boundary: no region to join, each pixel keeps its own most likely level. */
    @Test
    void withoutRegionsEveryPixelKeepsItsMode() {
        Nd4j.getRandom().setSeed(2);
        INDArray p = Nd4j.rand(DataType.FLOAT, 2, K, H, W);
        INDArray gray = decodeMarks(p, Nd4j.ones(DataType.FLOAT, 2, 1, H, W));
        INDArray mode = Nd4j.argMax(p, 1).castTo(DataType.FLOAT).addi(0.5).divi(K).reshape(2, 1, H, W);
        assertEquals(mode, gray);
    }

    /** Images are decoded independently, with either split: the second image of a batch gives what it gives alone. */
    @Test
    void imagesOfABatchAreIndependent() {
        Nd4j.getRandom().setSeed(4);
        INDArray p = Nd4j.rand(DataType.FLOAT, 3, K, H, W);
        INDArray b = Nd4j.rand(DataType.FLOAT, 3, 1, H, W);
        for (RegionDecoding.Split split : new RegionDecoding.Split[] {MARKS, RegionDecoding.Split.basins(0.4)}) {
            INDArray all = RegionDecoding.decode(p, b, split, RegionDecoding.Cleanup.NONE);
            INDArray one = RegionDecoding.decode(p.get(NDArrayIndex.interval(1, 2)), b.get(NDArrayIndex.interval(1, 2)),
                    split, RegionDecoding.Cleanup.NONE);
            assertEquals(one, all.get(NDArrayIndex.interval(1, 2)), split.describe());
        }
    }

    /**
     * Two grains of levels 5 (left) and 20 (right) meet at column 4, which the boundary head draws as a faint
     * ridge (0.3, under the marks' 0.5); inside the grains the map is low (0.02-0.1) and rough, so the flooding
     * starts many basins there. Merged under 0.25, those join within each grain and the grains stay apart, each
     * with its own level; merged under 0.35, the faint ridge goes too and the image is one region.
     */
    @Test
    void basinsMergeAcrossWeakBordersAndStopAtTheRidge() {
        int h = 8;
        int w = 9;
        int plane = h * w;
        float[] p = new float[K * plane];
        float[] b = new float[plane];
        Random r = new Random(3);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int q = y * w + x;
                for (int c = 0; c < K; c++) {
                    p[c * plane + q] = 0.2f / K;
                }
                p[(x < 4 ? 5 : 20) * plane + q] += 0.8f;
                b[q] = x == 4 ? 0.3f : 0.02f + 0.08f * r.nextFloat();
            }
        }
        int[] basin = RegionDecoding.watershed(b, 0, h, w);
        assertTrue(java.util.Arrays.stream(basin).distinct().count() > 4, "the rough map floods many basins");
        INDArray probabilities = Nd4j.create(p, new long[] {1, K, h, w});
        INDArray boundary = Nd4j.create(b, new long[] {1, 1, h, w});
        INDArray grains = RegionDecoding.decode(probabilities, boundary, RegionDecoding.Split.basins(0.25),
                RegionDecoding.Cleanup.NONE);
        for (int y = 0; y < h; y++) {
            assertEquals(5.5 / K, grains.getDouble(0, 0, y, 0), 1e-6, "left grain, row " + y);
            assertEquals(20.5 / K, grains.getDouble(0, 0, y, w - 1), 1e-6, "right grain, row " + y);
        }
        assertEquals(2, distinct(grains), "two grains, no more");
        assertEquals(1, distinct(RegionDecoding.decode(probabilities, boundary, RegionDecoding.Split.basins(0.35),
                RegionDecoding.Cleanup.NONE)), "merged above the ridge's 0.3, the grains join");
    }

    /**
     * The basins follow the relief: a square ring of 0.2 (under the marks' 0.5) around a minimum at the centre,
     * the map outside it falling toward a corner. Each pixel joins its lowest already flooded neighbour, so the
     * inside of the ring is the centre's basin, the whole outside one basin flooded from the corner, and the ring's
     * pixels beside the inside, lower than the outside, join the inside.
     */
    @Test
    void aBasinIsWhatFloodsFromItsMinimum() {
        int n = 9;
        int plane = n * n;
        float[] b = new float[plane];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                boolean ring = Math.max(Math.abs(y - 4), Math.abs(x - 4)) == 2;
                // Two minima, the centre and the corner; probabilities rise toward the ring from both sides.
                int toCentre = Math.max(Math.abs(y - 4), Math.abs(x - 4));
                int steps = Math.abs(y - 4) + Math.abs(x - 4);
                b[y * n + x] = ring ? 0.2f : toCentre < 2 ? 0.01f * steps : 0.05f + 0.01f * (4 - toCentre)
                        + 0.001f * (y + x);
            }
        }
        int[] basin = RegionDecoding.watershed(b, 0, n, n);
        assertTrue(basin[4 * n + 4] != basin[0], "centre and corner are different basins");
        for (int y = 3; y <= 5; y++) {
            for (int x = 3; x <= 5; x++) {
                assertEquals(basin[4 * n + 4], basin[y * n + x], "inside the ring: the centre's basin");
            }
        }
        assertEquals(basin[0], basin[n * n - 1], "outside the ring: one basin, flooded from the corner");
        // A ring pixel beside the inside joins it: its lowest flooded neighbour (0.01-0.02, against 0.06 outside).
        for (int i = 3; i <= 5; i++) {
            for (int q : new int[] {2 * n + i, 6 * n + i, i * n + 2, i * n + 6}) {
                assertEquals(basin[4 * n + 4], basin[q], "ring pixel " + q + " joins its lower side");
            }
        }
    }

    private static int distinct(INDArray gray) {
        return (int) java.util.Arrays.stream(gray.castTo(DataType.DOUBLE).data().asDouble()).distinct().count();
    }

    @Test
    void mismatchedShapesAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> decodeMarks(Nd4j.zeros(1, K, H, W), Nd4j.zeros(1, 1, H, W + 1)));
        assertTrue(e.getMessage().contains("[1, 1, 6, 8]"), e.getMessage());
    }
}
