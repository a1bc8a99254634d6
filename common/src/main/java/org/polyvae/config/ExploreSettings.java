package org.polyvae.config;

import com.typesafe.config.Config;
import java.io.Serializable;

/** {@code polyvae.explore.*}: the latent-space study (see conf/application.conf). */
public record ExploreSettings(
        String dir,
        double traversalRange,
        int traversalSteps,
        int traversalDims,
        double activeThreshold) implements Serializable {

    public static ExploreSettings from(Config config) {
        Settings s = new Settings(config, "polyvae.explore");
        return new ExploreSettings(
                s.nonEmptyString("dir"),
                s.doubleAbove("traversal-range", 0.0, 10.0),
                s.intIn("traversal-steps", 2, 33),
                s.intIn("traversal-dims", 1, 256),
                s.doubleIn("active-threshold", 0.0, 100.0));
    }
}
