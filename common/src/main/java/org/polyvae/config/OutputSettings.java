package org.polyvae.config;

import com.typesafe.config.Config;
import java.io.Serializable;

/** {@code polyvae.output.*}: where stages put models, metrics and reports (any Hadoop URI). */
public record OutputSettings(String dir) implements Serializable {
    public static OutputSettings from(Config config) {
        return new OutputSettings(new Settings(config, "polyvae.output").nonEmptyString("dir"));
    }
}
