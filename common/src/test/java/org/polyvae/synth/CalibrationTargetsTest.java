package org.polyvae.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.polyvae.data.WindowClass;

/**
 * Guards GrainProcess.CALIBRATED against drifting from the calibration (GeneratorCalibration): grains
 * per image, measured as on the reference panels, over 50 images per class.
 */
class CalibrationTargetsTest {

    private static final int IMAGES = 50;

    /** Synthetic means from the 200-image calibration run, per class W2, W3, W5, W10. */
    private static final double[] CALIBRATED_GRAINS_64 = {9.7, 16.2, 32.2, 96.3};
    private static final double[] IMAGE_SD_64 = {2.6, 3.3, 4.7, 7.0};
    /** Exact visible grains per image (Voronoi cells cutting the window) at the calibrated density. */
    private static final double[] CALIBRATED_VISIBLE = {10.2, 17.7, 39.2, 129.7};

    @Test
    void grainsPerImageMatchTheCalibration() {
        MicrostructureGenerator gen = new MicrostructureGenerator(GrainProcess.CALIBRATED);
        for (WindowClass c : WindowClass.values()) {
            double measured = 0;
            double visible = 0;
            for (int i = 0; i < IMAGES; i++) {
                Microstructure m = gen.generate(c, 5_000 + i);
                measured += PanelMeasurement.ofSynthetic(m).grains64();
                visible += m.visibleGrains();
            }
            measured /= IMAGES;
            visible /= IMAGES;
            double se = IMAGE_SD_64[c.ordinal()] / Math.sqrt(IMAGES);
            assertEquals(CALIBRATED_GRAINS_64[c.ordinal()], measured, 4 * se, c + " grains at 64 px");
            assertEquals(CALIBRATED_VISIBLE[c.ordinal()], visible, 0.05 * CALIBRATED_VISIBLE[c.ordinal()] + 1,
                    c + " visible grains");
        }
    }

    /** One panel per class is one draw, so it must lie within the image-to-image spread. */
    @Test
    void referencePanelsLieWithinTheSyntheticSpread() {
        assumeTrue(ReferencePanels.directory() != null, "shared/reference not available");
        for (WindowClass c : WindowClass.values()) {
            int ref = PanelMeasurement.ofReference(c).grains64();
            double z = (CALIBRATED_GRAINS_64[c.ordinal()] - ref) / IMAGE_SD_64[c.ordinal()];
            assertTrue(Math.abs(z) < 2, c + ": reference " + ref + ", z " + z);
        }
    }
}
