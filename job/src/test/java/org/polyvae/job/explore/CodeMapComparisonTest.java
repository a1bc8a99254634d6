package org.polyvae.job.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.polyvae.config.TrainSettings.PriorOrder;
import org.polyvae.job.latent.EncodedImage;
import org.polyvae.metrics.CodeMapSteps;
import org.polyvae.model.AutoregressivePrior;
import org.polyvae.model.LatentPrior;

class CodeMapComparisonTest {
    private static final int CHANNELS = 2;
    private static final int SIDE = 8;
    private static final int[] NO_BLOCKS = {1, 1, 1, 1};

    /** A code of constant 4×4 blocks at a random offset (large grains), or white noise (fine grains). */
    private static float[] code(boolean blocks, Random r) {
        float[] z = new float[CHANNELS * SIDE * SIDE];
        int ox = r.nextInt(4);
        int oy = r.nextInt(4);
        for (int c = 0; c < CHANNELS; c++) {
            float[] block = new float[9];
            for (int k = 0; k < block.length; k++) {
                block[k] = (float) r.nextGaussian();
            }
            for (int y = 0; y < SIDE; y++) {
                for (int x = 0; x < SIDE; x++) {
                    z[c * SIDE * SIDE + y * SIDE + x] = blocks ? block[(y + oy) / 4 * 3 + (x + ox) / 4]
                            : (float) r.nextGaussian();
                }
            }
        }
        return z;
    }

    @Test
    void setsEachClassesCodesBesideItsOwnPriorsDraws() throws IOException {
        Random r = new Random(7);
        List<EncodedImage> encoded = new ArrayList<>();
        LatentPrior.Codes large = new LatentPrior.Codes(2);
        LatentPrior.Codes fine = new LatentPrior.Codes(10);
        float[] logvar = new float[CHANNELS * SIDE * SIDE];
        java.util.Arrays.fill(logvar, -8);
        for (int i = 0; i < 600; i++) {
            boolean blocks = i % 2 == 0;
            float[] mu = code(blocks, r);
            encoded.add(new EncodedImage(blocks ? 2 : 10, 150, 0.5, 10, 100, mu, logvar));
            (blocks ? large : fine).add(mu, logvar);
        }
        LatentPrior prior = LatentPrior.fit(List.of(large, fine));
        CodeMapComparison c = CodeMapComparison.of(encoded, prior, null, CHANNELS, SIDE, NO_BLOCKS, 1.0, 11);

        assertEquals(4, c.rows().size());
        // A class whose code is one value per channel (8 × 8 blocks of the 8 × 8 map) has no steps to measure;
        // one of 4 × 4 blocks is measured on its 2 × 2 grid, where the constant blocks at random offsets no
        // longer line up with the grid.
        assertEquals(List.of("10 µm", "10 µm"), CodeMapComparison.of(encoded, prior, null, CHANNELS, SIDE,
                new int[] {8, 1, 1, 1}, 1.0, 11).rows().stream().map(CodeMapComparison.Row::windowClass).toList());
        CodeMapComparison coarse = CodeMapComparison.of(encoded, prior, null, CHANNELS, SIDE, new int[] {4, 1, 1, 1},
                1.0, 11);
        assertTrue(coarse.rows().get(0).steps().smallStepShare() < c.rows().get(0).steps().smallStepShare(),
                coarse.rows().get(0) + " against " + c.rows().get(0));
        assertEquals(c.rows().get(2), coarse.rows().get(2), "the 10 µm class has every position its own");
        CodeMapComparison.Row blockData = c.rows().get(0);
        CodeMapComparison.Row blockPrior = c.rows().get(1);
        CodeMapComparison.Row noiseData = c.rows().get(2);
        assertEquals("2 µm", blockData.windowClass());
        assertEquals(CodeMapComparison.Source.ENCODED, blockData.source());
        assertEquals(CodeMapComparison.Source.GAUSSIAN, blockPrior.source());
        assertEquals(300, blockData.steps().codes());
        assertEquals(300, blockPrior.steps().codes());
        assertEquals("10 µm", noiseData.windowClass());
        assertTrue(blockData.steps().smallStepShare() > 0.7, "block codes: " + blockData);
        assertTrue(blockPrior.steps().smallStepShare() < 0.3, "their Gaussian's draws: " + blockPrior);
        assertEquals(CodeMapSteps.GAUSSIAN_SMALL_STEP_SHARE, noiseData.steps().smallStepShare(), 0.02,
                "white-noise codes: " + noiseData);
        assertEquals(CodeMapSteps.GAUSSIAN_SMALL_STEP_SHARE, c.rows().get(3).steps().smallStepShare(), 0.03,
                "their Gaussian's draws: " + c.rows().get(3));

        // An autoregressive prior of 2 µm only (untrained: what is tested is which classes get its row).
        float[] zeros = new float[CHANNELS];
        float[] ones = new float[CHANNELS];
        java.util.Arrays.fill(ones, 1f);
        AutoregressivePrior smallOnly = new AutoregressivePrior(PriorOrder.RASTER, CHANNELS, SIDE, new int[] {2}, 2, zeros, ones,
                AutoregressivePrior.network(PriorOrder.RASTER, CHANNELS, SIDE, 1, 8, 2, 1e-3, 5));
        CodeMapComparison withAr = CodeMapComparison.of(encoded, prior, smallOnly, CHANNELS, SIDE, NO_BLOCKS, 1.0, 11);
        assertEquals(List.of("2 µm", "2 µm", "2 µm", "10 µm", "10 µm"),
                withAr.rows().stream().map(CodeMapComparison.Row::windowClass).toList());
        assertEquals(CodeMapComparison.Source.AUTOREGRESSIVE, withAr.rows().get(2).source());
        assertEquals(300, withAr.rows().get(2).steps().codes());
        assertTrue(withAr.summary().contains("2 µm data 0.") && withAr.summary().contains(", autoregressive 0."),
                withAr.summary());

        StringBuilder csv = new StringBuilder();
        c.writeCsv(csv);
        String[] lines = csv.toString().split("\n");
        assertEquals(5, lines.length);
        assertTrue(lines[1].startsWith("2 µm,dataset images (posterior means),300,0."), lines[1]);
        assertTrue(c.summary().startsWith("code-map steps within σ/4 (Gaussian steps: 0.20): 2 µm data 0."),
                c.summary());
        assertTrue(c.summary().contains("; 10 µm data 0.2"), c.summary());
    }
}
