package org.polyvae.config;

import com.typesafe.config.Config;
import java.io.Serializable;

/** {@code polyvae.sample.*}: new microstructures from the trained decoder (see conf/application.conf). */
public record SampleSettings(
        int count,
        double temperature,
        long seed,
        String dir,
        boolean overwrite,
        int viewScale,
        boolean tessellate,
        int tessellateBands,
        int tessellateMinArea,
        int driverMax,
        int imagesPerTask) implements Serializable {

    public static SampleSettings from(Config config) {
        Settings s = new Settings(config, "polyvae.sample");
        return new SampleSettings(
                s.intIn("count", 1, 100_000_000),
                s.doubleAbove("temperature", 0.0, 10.0),
                s.longValue("seed"),
                s.nonEmptyString("dir"),
                s.bool("overwrite"),
                s.intIn("view-scale", 1, 16),
                s.bool("tessellate"),
                s.intIn("tessellate-bands", 2, 256),
                s.intIn("tessellate-min-area", 1, 100_000),
                s.intIn("driver-max", 0, 100_000_000),
                s.intIn("images-per-task", 1, 10_000_000));
    }
}
