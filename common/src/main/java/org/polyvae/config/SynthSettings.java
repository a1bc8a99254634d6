package org.polyvae.config;

import com.typesafe.config.Config;
import java.io.Serializable;
import org.polyvae.data.WindowClass;

/**
 * {@code polyvae.synth.*}: the synthetic stand-in dataset. Serializable: the stage ships it to executors.
 *
 * @param countPerClass images per class, or null for the original dataset's counts
 */
public record SynthSettings(
        Integer countPerClass,
        int imageSize,
        boolean overwrite,
        long seed,
        int labelResolution,
        double missingFraction,
        int imagesPerTask,
        double jpegQuality,
        double grainDensity,
        double hardCore,
        double marginSpacings,
        double femTolerance,
        int femMaxIterations) implements Serializable {

    public static SynthSettings from(Config config) {
        Settings s = new Settings(config, "polyvae.synth");
        return new SynthSettings(
                s.optionalIntIn("count-per-class", 1, 10_000_000).stream().boxed().findFirst().orElse(null),
                s.intIn("image-size", 16, 4096),
                s.bool("overwrite"),
                s.longValue("seed"),
                s.intIn("label-resolution", 4, 512),
                s.doubleIn("missing-fraction", 0.0, 0.5),
                s.intIn("images-per-task", 1, 1_000_000),
                s.doubleIn("jpeg-quality", 0.95, 1.0),
                s.doubleAbove("grain-density", 0.0, 1000.0),
                s.doubleIn("hard-core", 0.0, 0.75),
                s.doubleIn("margin-spacings", 2.0, 20.0),
                s.doubleAbove("fem.tolerance", 0.0, 1e-2),
                s.intIn("fem.max-iterations", 1, 1_000_000));
    }

    /** How many images the synth stage writes for class {@code c}. */
    public int count(WindowClass c) {
        return countPerClass == null ? c.originalCount() : countPerClass;
    }
}
