package org.polyvae.synth;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.polyvae.config.PolyvaeConfig;
import org.polyvae.data.WindowClass;

/**
 * The shipped generator settings (conf/application.conf's polyvae.synth.*) against the Figure 2 reference
 * panels, measured the same way (PanelMeasurement). One panel per class is one draw, so it must lie
 * within the image-to-image spread of synthetic images of that class: its grains per image for every
 * class, and its grain-area spread for 5×5 and 10×10 µm, where regular and Poisson grains differ.
 */
class CalibrationTargetsTest {

    private static final int IMAGES = 50;
    /** |reference − synthetic mean| / synthetic sd below this: inside the spread of one draw. */
    private static final double MAX_Z = 2.0;

    @Test
    void referencePanelsLieWithinTheSpreadOfTheShippedGenerator() {
        GrainProcess shipped = GrainProcess.of(PolyvaeConfig.defaultsOnly().synth());
        StringBuilder report = new StringBuilder();
        boolean ok = true;
        for (WindowClass c : WindowClass.values()) {
            PanelMeasurement ref = PanelMeasurement.ofReference(c);
            GeneratorCalibration.Summary s = GeneratorCalibration.summarise(shipped, c, IMAGES, false);
            double z = (ref.grains64() - s.grains64()) / s.grains64Sd();
            report.append(String.format(Locale.ROOT, "%n%s: grains reference %d, synthetic %.1f ± %.1f (z %+.2f)",
                    c.token(), ref.grains64(), s.grains64(), s.grains64Sd(), z));
            ok &= Math.abs(z) < MAX_Z;
            if (c == WindowClass.W5 || c == WindowClass.W10) {
                double zc = (ref.areaCv64() - s.areaCv64()) / s.areaCv64Sd();
                report.append(String.format(Locale.ROOT, "; area CV reference %.2f, synthetic %.2f ± %.2f (z %+.2f)",
                        ref.areaCv64(), s.areaCv64(), s.areaCv64Sd(), zc));
                ok &= Math.abs(zc) < MAX_Z;
            }
        }
        assertTrue(ok, "shipped " + shipped + " vs the reference panels:" + report);
    }
}
