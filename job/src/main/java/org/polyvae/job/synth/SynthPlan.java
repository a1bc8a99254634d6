package org.polyvae.job.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.polyvae.config.SynthSettings;
import org.polyvae.data.Seeds;
import org.polyvae.data.WindowClass;

/**
 * Which images the synth stage writes. Each image's seed, and whether its number is one of the ~1 %
 * left out (as in the original dataset), are pure functions of (base seed, class, number) ({@link Seeds}).
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
                tasks.add(new SynthTask(c, i, Seeds.image(settings.seed(), c, i)));
                present++;
            }
        }
        return tasks;
    }

    static boolean isMissing(long base, WindowClass c, int index, double fraction) {
        if (fraction <= 0) {
            return false;
        }
        return Seeds.uniform(Seeds.mix64(Seeds.image(base, c, index) ^ MISSING_SALT)) < fraction;
    }
}
