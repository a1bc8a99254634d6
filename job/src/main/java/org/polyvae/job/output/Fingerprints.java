package org.polyvae.job.output;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.polyvae.io.HadoopFiles;

/**
 * Fingerprint files: what an output was made from (dataset, settings), saved as HOCON beside it so a later
 * run can reuse the output while nothing it depends on changed. Built as Typesafe {@link Config} objects
 * and compared as such ({@link Config#equals}: same keys, same values, whatever the layout or comments).
 */
public final class Fingerprints {
    private static final ConfigRenderOptions RENDER = ConfigRenderOptions.defaults()
            .setOriginComments(false).setComments(false).setJson(false).setFormatted(true);

    private Fingerprints() {
    }

    /** The fingerprint as HOCON text, headed by {@code comment} (one line, for a reader of the file). */
    public static String render(String comment, Config fingerprint) {
        return "# " + comment + "\n" + fingerprint.root().render(RENDER);
    }

    /**
     * A path whose value differs between two fingerprints, each value as a user writes it; null where that
     * side lacks the path.
     */
    public record Difference(String path, String saved, String now) {
    }

    /** The paths whose values differ between two fingerprints, compared as a user writes them, in path order. */
    public static List<Difference> differences(Config saved, Config now) {
        Set<String> paths = new TreeSet<>();
        saved.entrySet().forEach(e -> paths.add(e.getKey()));
        now.entrySet().forEach(e -> paths.add(e.getKey()));
        List<Difference> out = new ArrayList<>();
        for (String path : paths) {
            String a = saved.hasPath(path) ? shown(saved.getValue(path)) : null;
            String b = now.hasPath(path) ? shown(now.getValue(path)) : null;
            if (!Objects.equals(a, b)) {
                out.add(new Difference(path, a, b));
            }
        }
        return out;
    }

    /** A value as a user writes it on the command line: a string unquoted, anything else as concise HOCON. */
    private static String shown(ConfigValue v) {
        return v.valueType() == ConfigValueType.STRING ? (String) v.unwrapped()
                : v.render(ConfigRenderOptions.concise());
    }

    public static void write(FileSystem fs, Path file, String comment, Config fingerprint) throws IOException {
        HadoopFiles.writeString(fs, file, render(comment, fingerprint));
    }

    /**
     * The saved fingerprint; an empty Config when the file is absent or is not HOCON (so it matches nothing
     * and the output is made again).
     */
    public static Config read(FileSystem fs, Path file) throws IOException {
        if (!fs.exists(file)) {
            return ConfigFactory.empty();
        }
        try {
            return ConfigFactory.parseString(HadoopFiles.readString(fs, file),
                    ConfigParseOptions.defaults().setOriginDescription(fs.makeQualified(file).toString()));
        } catch (ConfigException e) {
            return ConfigFactory.empty();
        }
    }
}
