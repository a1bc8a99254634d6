package org.polyvae.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import java.io.File;
import java.util.List;

/**
 * polyvae's configuration, layered the Typesafe way, highest first:
 * <ol>
 *   <li>{@code key=value} overrides from the command line;</li>
 *   <li>JVM system properties ({@code -Dpolyvae.train.epochs=3}) and, with
 *       {@code -Dconfig.override_with_env_vars=true}, {@code CONFIG_FORCE_polyvae_train_epochs=3};</li>
 *   <li>the {@code --conf} files, later ones winning (e.g. conf/local.conf, then an experiment preset);</li>
 *   <li>the defaults, conf/application.conf, bundled in the jar as {@code polyvae/application.conf}.</li>
 * </ol>
 * Loading validates everything at once: an unknown key under {@code polyvae} is an error naming the
 * nearest valid key, and every settings section is read (types and ranges checked) before any stage runs.
 */
public final class PolyvaeConfig {
    public static final String ROOT = "polyvae";
    static final String DEFAULTS_RESOURCE = "polyvae/application.conf";

    private final Config config;
    private final DataSettings data;
    private final OutputSettings output;
    private final SynthSettings synth;
    private final ModelSettings model;
    private final TrainSettings train;
    private final SampleSettings sample;
    private final ExploreSettings explore;
    private final EvaluateSettings evaluate;

    private PolyvaeConfig(Config config) {
        this.config = config;
        this.data = DataSettings.from(config);
        this.output = OutputSettings.from(config);
        this.synth = SynthSettings.from(config);
        this.model = ModelSettings.from(config);
        this.train = TrainSettings.from(config);
        this.sample = SampleSettings.from(config);
        this.explore = ExploreSettings.from(config);
        this.evaluate = EvaluateSettings.from(config);
    }

    /**
     * Loads and validates the configuration.
     *
     * @param file the user's HOCON file, or null for defaults only
     * @param overrides {@code key=value} pairs (HOCON path = value); later pairs win
     */
    public static PolyvaeConfig load(File file, List<String> overrides) {
        return load(file == null ? List.of() : List.of(file), overrides);
    }

    /**
     * Loads and validates the configuration from several files, later files winning: e.g. conf/local.conf
     * then an experiment preset (conf/experiments/*.conf) that changes only hyperparameters.
     */
    public static PolyvaeConfig load(List<File> files, List<String> overrides) {
        Config defaults = defaults();
        Config user = ConfigFactory.empty();
        for (File file : files) {
            user = parseFile(file).withFallback(user);
        }
        Config merged = parseOverrides(overrides)
                .withFallback(ConfigFactory.defaultOverrides())
                .withFallback(user)
                .withFallback(defaults);
        try {
            merged = merged.resolve();
        } catch (ConfigException e) {
            throw new ConfigError("cannot resolve configuration: " + e.getMessage(), e);
        }
        // Resolved, so substitutions in the defaults (sample.dir = ${polyvae.output.dir}"/samples") have a type.
        new KnownKeys(defaults.resolve(), ROOT).checkAll(merged, ROOT);
        return new PolyvaeConfig(merged);
    }

    /** The bundled defaults alone (what conf/application.conf says). */
    public static PolyvaeConfig defaultsOnly() {
        return load(List.<File>of(), List.of());
    }

    static Config defaults() {
        Config defaults = ConfigFactory.parseResources(PolyvaeConfig.class.getClassLoader(), DEFAULTS_RESOURCE);
        if (!defaults.hasPath(ROOT)) {
            throw new IllegalStateException("the bundled defaults " + DEFAULTS_RESOURCE
                    + " are missing from the classpath: the polyvae-common jar is incomplete");
        }
        return defaults;
    }

    private static Config parseFile(File file) {
        if (!file.isFile()) {
            throw new ConfigError("config file " + file + " does not exist or is not a file");
        }
        try {
            return ConfigFactory.parseFile(file, ConfigParseOptions.defaults().setAllowMissing(false));
        } catch (ConfigException e) {
            throw new ConfigError("cannot read config file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses {@code key=value} pairs. A value that starts like HOCON structure ([list], {object}, "quoted")
     * or is {@code null} is parsed as HOCON; anything else is taken verbatim as a string, so URIs such as
     * {@code hdfs://nn:8020/data} survive (HOCON would read {@code //} as a comment). Typesafe converts
     * such strings to numbers or booleans when a setting is read.
     */
    static Config parseOverrides(List<String> pairs) {
        Config result = ConfigFactory.empty();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new ConfigError("override '" + pair + "' is not key=value (e.g. polyvae.train.epochs=3)");
            }
            String key = pair.substring(0, eq).trim();
            String value = pair.substring(eq + 1).trim();
            String origin = "command-line override " + pair;
            Config one;
            try {
                if (looksLikeHocon(value)) {
                    one = ConfigFactory.parseString(key + " = " + value,
                            ConfigParseOptions.defaults().setOriginDescription(origin));
                } else {
                    one = ConfigValueFactory.fromAnyRef(value, origin).atPath(key);
                }
            } catch (ConfigException e) {
                throw new ConfigError("cannot parse override '" + pair + "': " + e.getMessage(), e);
            }
            result = one.withFallback(result);
        }
        return result;
    }

    private static boolean looksLikeHocon(String value) {
        return value.startsWith("[") || value.startsWith("{") || value.startsWith("\"") || value.equals("null");
    }

    public Config config() {
        return config;
    }

    public DataSettings data() {
        return data;
    }

    public OutputSettings output() {
        return output;
    }

    public SynthSettings synth() {
        return synth;
    }

    public ModelSettings model() {
        return model;
    }

    public TrainSettings train() {
        return train;
    }

    public SampleSettings sample() {
        return sample;
    }

    public ExploreSettings explore() {
        return explore;
    }

    public EvaluateSettings evaluate() {
        return evaluate;
    }

    /** The resolved {@code polyvae} tree as HOCON, to store next to what it produced. */
    public String renderResolved() {
        return config.withOnlyPath(ROOT).root().render(ConfigRenderOptions.defaults()
                .setOriginComments(false).setComments(false).setJson(false).setFormatted(true));
    }
}
