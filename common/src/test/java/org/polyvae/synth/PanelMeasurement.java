package org.polyvae.synth;

import org.polyvae.data.WindowClass;
import org.polyvae.metrics.GrainStatistics;

/**
 * The one measurement applied to reference panels and synthetic images alike, so that threshold merges
 * and resampling bias cancel. The panels are 64 px images shown at 264 px by pixel repetition (gray
 * jumps sit on the 4.125 px grid of the 64 px pixels), so a synthetic image goes through the same
 * route: render at 64 px, repeat to 264 px ("full size"), area-average back to 64 px.
 */
record PanelMeasurement(int grains64, int grainsFull, double flatShare64, double meanArea64, double areaCv64) {

    static final int MEASURE_PX = 64;
    static final int FLAT_TOL = 2;

    static PanelMeasurement ofPanel(int[] panel) {
        int[] small = Resample.areaAverage(panel, ReferencePanels.PANEL_PX, MEASURE_PX);
        int[] areas = GrainStatistics.grainAreas(small, MEASURE_PX, GrainStatistics.REFERENCE_JUMP_THRESHOLD,
                GrainStatistics.REFERENCE_MIN_AREA);
        int full = GrainStatistics.grainAreas(panel, ReferencePanels.PANEL_PX,
                GrainStatistics.REFERENCE_JUMP_THRESHOLD, GrainStatistics.REFERENCE_MIN_AREA * 17).length;
        double mean = 0;
        for (int a : areas) {
            mean += a;
        }
        mean /= areas.length;
        double var = 0;
        for (int a : areas) {
            var += (a - mean) * (a - mean);
        }
        double cv = Math.sqrt(var / Math.max(1, areas.length - 1)) / mean;
        return new PanelMeasurement(areas.length, full, GrainStatistics.flatPixelShare(small, MEASURE_PX, FLAT_TOL),
                mean, cv);
    }

    /** A synthetic image taken through the reference panels' route (64 px → 264 px → 64 px). */
    static PanelMeasurement ofSynthetic(Microstructure m) {
        int[] native64 = GrainStatistics.levels(m.render(MEASURE_PX), MEASURE_PX);
        return ofPanel(Resample.nearest(native64, MEASURE_PX, ReferencePanels.PANEL_PX));
    }

    /** Alternative route: a sharp 264 px render (for checking that the route does not matter much). */
    static PanelMeasurement ofSharpRender(Microstructure m) {
        return ofPanel(GrainStatistics.levels(m.render(ReferencePanels.PANEL_PX), ReferencePanels.PANEL_PX));
    }

    static PanelMeasurement ofReference(WindowClass c) {
        return ofPanel(ReferencePanels.panel(c));
    }
}
