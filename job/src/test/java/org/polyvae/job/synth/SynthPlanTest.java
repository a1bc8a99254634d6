package org.polyvae.job.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.polyvae.config.PolyvaeConfig;
import org.polyvae.config.SynthSettings;
import org.polyvae.data.WindowClass;

class SynthPlanTest {
    private static SynthSettings settings(String... overrides) {
        return PolyvaeConfig.load(List.of(), List.of(overrides)).synth();
    }

    @Test
    void originalCountsByDefaultWithAboutOnePercentOfNumbersMissing() {
        List<SynthTask> plan = SynthPlan.of(settings(), EnumSet.allOf(WindowClass.class));
        Map<WindowClass, List<SynthTask>> byClass = plan.stream().collect(Collectors.groupingBy(SynthTask::windowClass));
        for (WindowClass c : WindowClass.values()) {
            List<SynthTask> tasks = byClass.get(c);
            assertEquals(c.originalCount(), tasks.size(), c.token());
            int maxIndex = tasks.get(tasks.size() - 1).number();
            int missing = maxIndex - tasks.size();
            double share = missing / (double) maxIndex;
            assertTrue(share > 0.004 && share < 0.02, c.token() + ": missing share " + share);
            for (int k = 1; k < tasks.size(); k++) {
                assertTrue(tasks.get(k).number() > tasks.get(k - 1).number(), "ascending numbers");
            }
        }
    }

    @Test
    void seedsDependOnlyOnBaseSeedClassAndNumber() {
        List<SynthTask> all = SynthPlan.of(settings("polyvae.synth.count-per-class=50"), EnumSet.allOf(WindowClass.class));
        List<SynthTask> only10 = SynthPlan.of(settings("polyvae.synth.count-per-class=50"), EnumSet.of(WindowClass.W10));
        assertEquals(all.stream().filter(t -> t.windowClass() == WindowClass.W10).toList(), only10);

        List<SynthTask> other = SynthPlan.of(settings("polyvae.synth.count-per-class=50", "polyvae.synth.seed=7"),
                EnumSet.of(WindowClass.W10));
        assertNotEquals(only10.get(0).seed(), other.get(0).seed());
        long distinct = all.stream().mapToLong(SynthTask::seed).distinct().count();
        assertEquals(all.size(), distinct, "every image has its own seed");
    }

    @Test
    void noGapsWhenMissingFractionIsZero() {
        List<SynthTask> plan = SynthPlan.of(settings("polyvae.synth.count-per-class=1200",
                "polyvae.synth.missing-fraction=0"), EnumSet.of(WindowClass.W3));
        for (int k = 0; k < plan.size(); k++) {
            assertEquals(k + 1, plan.get(k).number());
        }
    }
}
