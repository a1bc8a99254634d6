package org.polyvae.job.synth;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.polyvae.data.WindowClass;

/**
 * Per-class figures of a synthesised dataset: how many images, how many numbers were left out, grains per
 * image, and the E11 distribution — whose spread must shrink as the window grows (the size effect: a
 * larger window averages over more grains).
 */
public record SynthSummary(Map<WindowClass, ClassStats> classes, double seconds) {

    public record ClassStats(int images, int missingNumbers, double grainsMean, double grainsStd,
                             double e11Mean, double e11Std, double e11Min, double e11Max, double femIterationsMean) {
    }

    public static SynthSummary of(List<SynthRecord> records, double seconds) {
        Map<WindowClass, List<SynthRecord>> byClass = new EnumMap<>(WindowClass.class);
        for (SynthRecord r : records) {
            byClass.computeIfAbsent(r.windowClass(), k -> new ArrayList<>()).add(r);
        }
        Map<WindowClass, ClassStats> stats = new EnumMap<>(WindowClass.class);
        byClass.forEach((c, rs) -> stats.put(c, stats(rs)));
        return new SynthSummary(stats, seconds);
    }

    private static ClassStats stats(List<SynthRecord> rs) {
        int n = rs.size();
        int maxIndex = rs.stream().mapToInt(SynthRecord::number).max().orElse(0);
        double[] grains = rs.stream().mapToDouble(SynthRecord::visibleGrains).toArray();
        double[] e11 = rs.stream().mapToDouble(SynthRecord::e11).toArray();
        return new ClassStats(n, maxIndex - n, mean(grains), std(grains), mean(e11), std(e11),
                rs.stream().mapToDouble(SynthRecord::e11).min().orElse(Double.NaN),
                rs.stream().mapToDouble(SynthRecord::e11).max().orElse(Double.NaN),
                rs.stream().mapToDouble(SynthRecord::femIterations).average().orElse(Double.NaN));
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return v.length == 0 ? Double.NaN : s / v.length;
    }

    /** Sample standard deviation (n - 1). */
    static double std(double[] v) {
        if (v.length < 2) {
            return 0;
        }
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / (v.length - 1));
    }

    public int totalImages() {
        return classes.values().stream().mapToInt(ClassStats::images).sum();
    }

    /** A fixed-width table for the log. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(java.util.Locale.ROOT, "%-7s %7s %8s %15s %11s %9s %17s %8s%n", "class", "images", "missing",
                "grains/image", "E11 mean", "E11 std", "E11 range", "PCG it"));
        classes.forEach((c, s) -> sb.append(String.format(java.util.Locale.ROOT, "%-7s %7d %8d %8.1f ± %5.1f %7.2f GPa %9.2f %8.2f–%-8.2f %8.1f%n",
                c.token(), s.images(), s.missingNumbers(), s.grainsMean(), s.grainsStd(), s.e11Mean(), s.e11Std(),
                s.e11Min(), s.e11Max(), s.femIterationsMean())));
        sb.append(String.format(java.util.Locale.ROOT, "%d images in %.1f s (%.1f images/s)", totalImages(), seconds,
                totalImages() / Math.max(seconds, 1e-9)));
        return sb.toString();
    }

    /** The same figures as a Config (rounded as the log shows them), for the dataset's provenance file. */
    public Config config() {
        Map<String, Object> perClass = new LinkedHashMap<>();
        classes.forEach((c, s) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("images", s.images());
            m.put("missing-numbers", s.missingNumbers());
            m.put("grains-mean", round(s.grainsMean(), 3));
            m.put("grains-std", round(s.grainsStd(), 3));
            m.put("e11-mean", round(s.e11Mean(), 4));
            m.put("e11-std", round(s.e11Std(), 4));
            m.put("e11-min", round(s.e11Min(), 4));
            m.put("e11-max", round(s.e11Max(), 4));
            perClass.put(c.token(), m);
        });
        return ConfigFactory.empty()
                .withValue("classes", ConfigValueFactory.fromMap(perClass))
                .withValue("seconds", ConfigValueFactory.fromAnyRef(round(seconds, 1)));
    }

    private static double round(double v, int decimals) {
        double scale = Math.pow(10, decimals);
        return Double.isFinite(v) ? Math.rint(v * scale) / scale : v;
    }
}
