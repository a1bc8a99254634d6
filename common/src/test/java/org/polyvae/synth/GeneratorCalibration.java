package org.polyvae.synth;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.apache.commons.math3.stat.StatUtils;
import org.polyvae.config.PolyvaeConfig;
import org.polyvae.data.WindowClass;
import org.polyvae.metrics.GrainStatistics;

/**
 * Rerunnable calibration of the shipped {@code polyvae.synth.grain-density} and {@code hard-core}
 * (conf/application.conf) against the Figure 2 panels (not a test):
 * <pre>
 *   mvn -o -q -B -pl common test-compile
 *   java -cp common/target/classes:common/target/test-classes org.polyvae.synth.GeneratorCalibration [scan|table|png]
 * </pre>
 * {@code scan} fits density and hard core: each class contributes ((synthetic mean − reference)/synthetic
 * sd)² of the 64 px grain count — one panel per class is one draw, so the image-to-image spread is its
 * uncertainty — plus the same term for the grain-area CV of the 5×5 and 10×10 panels, which is what
 * separates regular from Poisson grains. {@code table} prints reference vs the shipped defaults (or the given density and hard core), {@code png}
 * writes reference | synthetic | synthetic sheets to /tmp/polyvae-synth-calibration.
 */
public final class GeneratorCalibration {

    static final int IMAGES = 200;

    public static void main(String[] args) throws IOException {
        String mode = args.length > 0 ? args[0] : "table";
        GrainProcess p = args.length >= 3
                ? new GrainProcess(Double.parseDouble(args[1]), Double.parseDouble(args[2]), 4)
                : GrainProcess.of(PolyvaeConfig.defaultsOnly().synth());
        switch (mode) {
            case "scan" -> scan();
            case "table" -> table(p);
            case "bench" -> bench(p);
            case "png" -> sheets(p, new File("/tmp/polyvae-synth-calibration/h" + p.hardCore()));
            default -> throw new IllegalArgumentException("mode scan|table|png");
        }
    }

    /** Mean and sd of each measured quantity over {@code images} synthetic images of one class. */
    record Summary(double grains64, double grains64Sd, double grainsFull, double flat64, double meanArea64,
                   double areaCv64, double areaCv64Sd, double visible) {
    }

    static Summary summarise(GrainProcess p, WindowClass c, int images, boolean sharp) {
        MicrostructureGenerator gen = new MicrostructureGenerator(p);
        double[] g = new double[images];
        double[] cv = new double[images];
        double full = 0;
        double flat = 0;
        double area = 0;
        double visible = 0;
        for (int i = 0; i < images; i++) {
            Microstructure m = gen.generate(c, 1_000_000L + i);
            PanelMeasurement pm = sharp ? PanelMeasurement.ofSharpRender(m) : PanelMeasurement.ofSynthetic(m);
            g[i] = pm.grains64();
            cv[i] = pm.areaCv64();
            full += pm.grainsFull();
            flat += pm.flatShare64();
            area += pm.meanArea64();
            visible += m.visibleGrains();
        }
        return new Summary(StatUtils.mean(g), sd(g), full / images, flat / images, area / images, StatUtils.mean(cv), sd(cv),
                visible / images);
    }

    static void scan() {
        PanelMeasurement[] ref = new PanelMeasurement[4];
        for (WindowClass c : WindowClass.values()) {
            ref[c.ordinal()] = PanelMeasurement.ofReference(c);
        }
        System.out.println("density hardCore | per class: synth grains64 ± sd (z) | cv5 cv10 (z) | chi2");
        for (double h : new double[] {0.0, 0.3, 0.45, 0.55, 0.6, 0.65, 0.7, 0.75}) {
            for (double d = 0.7; d <= 1.61; d += 0.1) {
                GrainProcess p = new GrainProcess(d, h, 4);
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%.2f %.2f |", d, h));
                double chi2 = 0;
                for (WindowClass c : WindowClass.values()) {
                    Summary s = summarise(p, c, IMAGES / 2, false);
                    double z = (s.grains64() - ref[c.ordinal()].grains64()) / s.grains64Sd();
                    chi2 += z * z;
                    line.append(String.format(Locale.ROOT, " %5.1f±%4.1f(%+.1f)", s.grains64(), s.grains64Sd(), z));
                    if (c == WindowClass.W5 || c == WindowClass.W10) {
                        double zc = (s.areaCv64() - ref[c.ordinal()].areaCv64()) / s.areaCv64Sd();
                        chi2 += zc * zc;
                        line.append(String.format(Locale.ROOT, " cv%.2f(%+.1f)", s.areaCv64(), zc));
                    }
                }
                line.append(String.format(Locale.ROOT, " | %.1f", chi2));
                System.out.println(line);
            }
        }
    }

    static void table(GrainProcess p) {
        System.out.println("process " + p + ", " + IMAGES + " images per class");
        System.out.println("class  | grains64 ref  synth±sd      | full ref synth | flat64 ref synth | area64 ref synth"
                + " | areaCV ref synth | visible(exact) | sharp-264 route grains64");
        for (WindowClass c : WindowClass.values()) {
            PanelMeasurement r = PanelMeasurement.ofReference(c);
            Summary s = summarise(p, c, IMAGES, false);
            Summary sharp = summarise(p, c, IMAGES / 2, true);
            System.out.printf(Locale.ROOT,
                    "%-6s | %3d  %6.1f±%4.1f | %4d %6.1f | %.2f %.2f | %6.1f %6.1f | %.2f %.2f | %6.1f | %6.1f%n",
                    c.token(), r.grains64(), s.grains64(), s.grains64Sd(), r.grainsFull(), s.grainsFull(),
                    r.flatShare64(), s.flat64(), r.meanArea64(), s.meanArea64(), r.areaCv64(), s.areaCv64(),
                    s.visible(), sharp.grains64());
        }
    }

    /** Wall time of what the dataset stage does per image: generate, render(128), elementAngles(64). */
    static void bench(GrainProcess p) {
        MicrostructureGenerator gen = new MicrostructureGenerator(p);
        for (int round = 0; round < 2; round++) {
            for (WindowClass c : WindowClass.values()) {
                int n = 2000;
                long sink = 0;
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    Microstructure m = gen.generate(c, i);
                    sink += m.render(128)[0] + (long) m.elementAngles(64)[0];
                }
                double ms = (System.nanoTime() - t0) / 1e6 / n;
                if (round == 1) {
                    System.out.printf(Locale.ROOT, "%-6s %.3f ms per image (%d)%n", c.token(), ms, sink & 1);
                }
            }
        }
    }

    /** Reference panel next to two synthetic images of the same class, at the panel's 264 px. */
    static void sheets(GrainProcess p, File dir) throws IOException {
        dir.mkdirs();
        MicrostructureGenerator gen = new MicrostructureGenerator(p);
        int px = ReferencePanels.PANEL_PX;
        int gap = 8;
        for (WindowClass c : WindowClass.values()) {
            BufferedImage sheet = new BufferedImage(3 * px + 2 * gap, px, BufferedImage.TYPE_BYTE_GRAY);
            int[][] panels = {ReferencePanels.panel(c),
                Resample.nearest(GrainStatistics.levels(gen.generate(c, 11).render(64), 64), 64, px),
                Resample.nearest(GrainStatistics.levels(gen.generate(c, 12).render(64), 64), 64, px)};
            for (int k = 0; k < 3; k++) {
                for (int y = 0; y < px; y++) {
                    for (int x = 0; x < px; x++) {
                        sheet.getRaster().setSample(k * (px + gap) + x, y, 0, panels[k][y * px + x]);
                    }
                }
            }
            File out = new File(dir, "ref-vs-synth-" + c.token() + ".png");
            ImageIO.write(sheet, "png", out);
            System.out.println("wrote " + out);
        }
    }

    /** Sample standard deviation (n − 1). */
    private static double sd(double[] v) {
        return Math.sqrt(StatUtils.variance(v));
    }
}
