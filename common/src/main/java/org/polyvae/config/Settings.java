package org.polyvae.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import org.polyvae.data.WindowClass;

/**
 * Typed, range-checked reads of one config section, for the settings records. Every error names the
 * full key, the value found, where it came from, and the allowed type or range.
 */
public final class Settings {
    private final Config config;
    private final String section;

    public Settings(Config config, String section) {
        this.config = config;
        this.section = section;
    }

    public String key(String name) {
        return section + "." + name;
    }

    public int intIn(String name, int min, int max) {
        String key = key(name);
        String expected = "an integer in [" + min + ", " + max + "]";
        long v = integer(key, expected);
        if (v < min || v > max) {
            throw outOfRange(key, expected);
        }
        return (int) v;
    }

    /** An integer in [min, max], or empty when the key is set to {@code null} (its documented "unset"). */
    public OptionalInt optionalIntIn(String name, int min, int max) {
        String key = key(name);
        if (config.getIsNull(key)) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(intIn(name, min, max));
    }

    /** A number in [min, max], or null when the key is set to {@code null} (its documented "unset"). */
    public Double optionalDoubleIn(String name, double min, double max) {
        return config.getIsNull(key(name)) ? null : doubleIn(name, min, max);
    }

    public long longValue(String name) {
        String key = key(name);
        return integer(key, "an integer (64-bit)");
    }

    /** Typesafe's getInt/getLong would truncate 2.5 to 2 and clamp 1e30 to Long.MAX_VALUE: refuse both. */
    private long integer(String key, String expected) {
        Number n = read(key, expected, () -> config.getNumber(key));
        if (n instanceof Integer || n instanceof Long) {
            return n.longValue();
        }
        double d = n.doubleValue();
        if (d == Math.rint(d) && Math.abs(d) < 0x1p53) {
            return (long) d;
        }
        throw outOfRange(key, expected);
    }

    public double doubleIn(String name, double min, double max) {
        String key = key(name);
        String expected = "a number in [" + min + ", " + max + "]";
        double v = read(key, expected, () -> config.getDouble(key));
        if (!(v >= min && v <= max)) {
            throw outOfRange(key, expected);
        }
        return v;
    }

    /** A number in (min, max]: for quantities that must be strictly positive. */
    public double doubleAbove(String name, double exclusiveMin, double max) {
        String key = key(name);
        String expected = "a number in (" + exclusiveMin + ", " + max + "]";
        double v = read(key, expected, () -> config.getDouble(key));
        if (!(v > exclusiveMin && v <= max)) {
            throw outOfRange(key, expected);
        }
        return v;
    }

    public boolean bool(String name) {
        String key = key(name);
        return read(key, "true or false", () -> config.getBoolean(key));
    }

    public String nonEmptyString(String name) {
        String key = key(name);
        String v = read(key, "a string", () -> config.getString(key));
        if (v.isBlank()) {
            throw outOfRange(key, "a non-empty string");
        }
        return v;
    }

    /** The constant of {@code type} whose {@link OptionValue#configValue()} the key holds. */
    public <E extends Enum<E> & OptionValue> E option(String name, Class<E> type) {
        String key = key(name);
        E[] constants = type.getEnumConstants();
        String expected = "one of " + Arrays.stream(constants).map(OptionValue::configValue)
                .collect(Collectors.joining(", "));
        String v = read(key, expected, () -> config.getString(key));
        for (E c : constants) {
            if (c.configValue().equals(v)) {
                return c;
            }
        }
        throw outOfRange(key, expected);
    }

    public List<Integer> intList(String name) {
        String key = key(name);
        return read(key, "a list of integers", () -> config.getIntList(key));
    }

    /** A list of window sizes in µm, each one of the dataset's classes (2, 3, 5, 10), in the order given. */
    public List<Integer> windowSizes(String name) {
        List<Integer> values = intList(name);
        for (int um : values) {
            try {
                WindowClass.ofMicrometres(um);
            } catch (IllegalArgumentException e) {
                throw new ConfigError(key(name) + " = " + values + ": " + e.getMessage());
            }
        }
        return List.copyOf(values);
    }

    private interface Read<T> {
        T get();
    }

    private <T> T read(String key, String expected, Read<T> read) {
        if (!config.hasPathOrNull(key)) {
            throw new ConfigError("missing config key " + key + ": expected " + expected
                    + " (its default belongs in conf/application.conf)");
        }
        if (config.getIsNull(key)) {
            throw new ConfigError(key + " is null: expected " + expected);
        }
        try {
            return read.get();
        } catch (ConfigException.WrongType | ConfigException.BadValue e) {
            throw outOfRange(key, expected);
        }
    }

    private ConfigError outOfRange(String key, String expected) {
        ConfigValue value = config.getValue(key);
        return new ConfigError(key + " = " + value.render() + " (" + value.origin().description()
                + "): expected " + expected);
    }
}
