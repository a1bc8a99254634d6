package org.polyvae.job.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.polyvae.config.SynthSettings;
import org.polyvae.data.WindowClass;

/**
 * Which images the synth stage writes. Each image's seed, and whether its number is one of the ~1 %
 * left out (as in the original dataset), are pure functions of (base seed, class, number): the dataset
 * is the same whatever the partitioning, the number of executors or a retried task.
 */
public final class SynthPlan {
    private static final long MISSING_SALT = 0x6D697373696E6721L;

    private SynthPlan() {
    }

    public static List<SynthTask> of(SynthSettings settings, Set<WindowClass> classes) {
        List<SynthTask> tasks = new ArrayList<>();
        for (WindowClass c : classes) {
            int wanted = settings.count(c);
            int present = 0;
            for (int i = 1; present < wanted; i++) {
                if (isMissing(settings.seed(), c, i, settings.missingFraction())) {
                    continue;
                }
                tasks.add(new SynthTask(c, i, imageSeed(settings.seed(), c, i)));
                present++;
            }
        }
        return tasks;
    }

    public static long imageSeed(long base, WindowClass c, int index) {
        return mix64(mix64(base) ^ mix64(((long) c.micrometres() << 32) | index));
    }

    static boolean isMissing(long base, WindowClass c, int index, double fraction) {
        if (fraction <= 0) {
            return false;
        }
        long h = mix64(imageSeed(base, c, index) ^ MISSING_SALT);
        double u = (h >>> 11) * 0x1.0p-53;
        return u < fraction;
    }

    /** SplitMix64's finaliser: a bijective 64-bit mix with full avalanche. */
    public static long mix64(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
