package org.polyvae.config;

import com.typesafe.config.Config;
import java.io.Serializable;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.polyvae.data.WindowClass;

/** {@code polyvae.data.*}: where the dataset lives and how it is read. */
public record DataSettings(String dir, int resolution, Set<WindowClass> classes) implements Serializable {
    public static DataSettings from(Config config) {
        Settings s = new Settings(config, "polyvae.data");
        return new DataSettings(s.nonEmptyString("dir"), s.intIn("resolution", 8, 1024), classes(s));
    }

    private static Set<WindowClass> classes(Settings s) {
        List<Integer> values = s.windowSizes("classes");
        if (values.isEmpty()) {
            throw new ConfigError(s.key("classes") + " is empty: expected a non-empty list of window sizes from [2, 3, 5, 10]");
        }
        EnumSet<WindowClass> set = EnumSet.noneOf(WindowClass.class);
        values.forEach(um -> set.add(WindowClass.ofMicrometres(um)));
        return set;
    }
}
