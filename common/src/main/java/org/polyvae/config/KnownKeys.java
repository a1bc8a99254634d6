package org.polyvae.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * The set of valid keys under {@code polyvae}: exactly the leaves of the bundled defaults
 * (conf/application.conf), including keys whose default is {@code null}. A key a user sets that is not
 * among them is a typo, reported with the nearest valid key.
 */
final class KnownKeys {
    private static final LevenshteinDistance EDIT_DISTANCE = LevenshteinDistance.getDefaultInstance();
    private final TreeSet<String> leaves = new TreeSet<>();
    private final ConfigObject sections;

    KnownKeys(Config defaults, String root) {
        collect(defaults.getObject(root), root, leaves);
        sections = defaults.withOnlyPath(root).root();
    }

    /** A section of the defaults (e.g. polyvae.synth) replaced by a scalar or list is an error, not a typo. */
    private static void checkSections(ConfigObject defaults, ConfigObject user, String path) {
        for (Map.Entry<String, ConfigValue> e : defaults.entrySet()) {
            if (e.getValue().valueType() != ConfigValueType.OBJECT || ((ConfigObject) e.getValue()).isEmpty()) {
                continue;
            }
            String key = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            ConfigValue found = user.get(e.getKey());
            if (found == null) {
                continue;
            }
            if (found.valueType() != ConfigValueType.OBJECT) {
                throw new ConfigError(key + " must be a section of settings (an object, as in conf/application.conf), got "
                        + found.valueType() + " " + found.render() + " (" + found.origin().description() + ")");
            }
            checkSections((ConfigObject) e.getValue(), (ConfigObject) found, key);
        }
    }

    /** Throws a {@link ConfigError} for the first key of {@code config} under {@code root} that is unknown. */
    void checkAll(Config config, String root) {
        if (!config.hasPathOrNull(root)) {
            return;
        }
        checkSections(sections, config.root(), "");
        List<String> used = new ArrayList<>();
        collectWithValues(config.getObject(root), root, used);
        for (String key : used) {
            if (!leaves.contains(key) && !isPrefixOfKnown(key)) {
                throw new ConfigError("unknown config key " + key + " ("
                        + config.getValue(key).origin().description() + "); did you mean " + nearest(key)
                        + "? Every key is listed in conf/application.conf.");
            }
        }
    }

    private boolean isPrefixOfKnown(String key) {
        // A user may write an empty object for a section ("polyvae.synth {}"); that is not a typo.
        String prefix = key + ".";
        String next = leaves.ceiling(prefix);
        return next != null && next.startsWith(prefix);
    }

    String nearest(String key) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : leaves) {
            int d = EDIT_DISTANCE.apply(key, candidate);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return best;
    }

    private static void collect(ConfigObject object, String path, TreeSet<String> out) {
        for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
            String child = path + "." + e.getKey();
            if (e.getValue().valueType() == ConfigValueType.OBJECT) {
                ConfigObject sub = (ConfigObject) e.getValue();
                if (sub.isEmpty()) {
                    out.add(child);
                } else {
                    collect(sub, child, out);
                }
            } else {
                out.add(child);
            }
        }
    }

    private static void collectWithValues(ConfigObject object, String path, List<String> out) {
        for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
            String child = path + "." + e.getKey();
            if (e.getValue().valueType() == ConfigValueType.OBJECT && !((ConfigObject) e.getValue()).isEmpty()) {
                collectWithValues((ConfigObject) e.getValue(), child, out);
            } else {
                out.add(child);
            }
        }
    }
}
