package org.polyvae.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The accepted values documented in conf/application.conf ({@code # range: [a, b]}, {@code # one of: x, y},
 * {@code # entries: [a, b], each in [c, d]}, {@code # each one of: x, y}) are the ones the validation
 * enforces: each boundary inside the range loads, a value just outside it is a {@link ConfigError} naming
 * the key, and every numeric, enumerated or list key documents its values.
 */
class ApplicationConfRangesTest {
    private static final Pattern SECTION = Pattern.compile("^\\s*([\\w-]+)\\s*\\{\\s*$");
    private static final Pattern CLOSE = Pattern.compile("^\\s*}\\s*$");
    private static final Pattern KEY = Pattern.compile("^\\s*([\\w-]+)\\s*=.*$");
    private static final Pattern COMMENT = Pattern.compile("^\\s*#\\s?(.*)$");
    private static final Pattern INTERVAL =
            Pattern.compile("^range: ([\\[(])\\s*([-+0-9.eE]+)\\s*,\\s*([-+0-9.eE]+)\\s*([])])$");
    private static final String ANY_LONG = "range: any 64-bit integer";
    private static final Pattern LIST = Pattern.compile(
            "^entries: \\[(\\d+), (\\d+)], each in \\[(-?\\d+), (-?\\d+)]$");
    private static final String EACH_ONE_OF = "each one of: ";
    private static final String ONE_OF = "one of: ";

    /** Every leaf key of application.conf with the comment lines just above it, in file order. */
    static Map<String, List<String>> documentedKeys() throws IOException {
        String text;
        try (InputStream in = PolyvaeConfig.class.getClassLoader().getResourceAsStream(PolyvaeConfig.DEFAULTS_RESOURCE)) {
            assertNotNull(in, PolyvaeConfig.DEFAULTS_RESOURCE);
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, List<String>> keys = new LinkedHashMap<>();
        Deque<String> path = new ArrayDeque<>();
        List<String> comments = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher m;
            if ((m = COMMENT.matcher(line)).matches()) {
                comments.add(m.group(1).trim());
            } else if ((m = SECTION.matcher(line)).matches()) {
                path.addLast(m.group(1));
                comments.clear();
            } else if (CLOSE.matcher(line).matches()) {
                path.removeLast();
                comments.clear();
            } else if ((m = KEY.matcher(line)).matches()) {
                keys.put(String.join(".", path) + "." + m.group(1), List.copyOf(comments));
                comments.clear();
            } else {
                comments.clear();
            }
        }
        return keys;
    }

    @Test
    void theParserSeesEveryKeyOfTheDefaults() throws IOException {
        Map<String, List<String>> documented = documentedKeys();
        Config defaults = PolyvaeConfig.defaults().resolve();
        List<String> leaves = new ArrayList<>();
        for (Map.Entry<String, ConfigValue> e : defaults.entrySet()) {
            leaves.add(e.getKey());
        }
        // entrySet skips null values: those are checked through the documented list instead.
        for (String leaf : leaves) {
            assertTrue(documented.containsKey(leaf), leaf + " not found by the comment parser");
        }
        for (String key : documented.keySet()) {
            assertTrue(defaults.hasPathOrNull(key), key + " parsed from the file but not a key of the defaults");
            assertFalse(documented.get(key).isEmpty(), key + " has no comment saying what it does");
        }
    }

    @Test
    void everyNumericKeyDocumentsItsRangeAndEveryOptionItsValues() throws IOException {
        Config defaults = PolyvaeConfig.defaults().resolve();
        for (Map.Entry<String, List<String>> e : documentedKeys().entrySet()) {
            String key = e.getKey();
            boolean numeric = defaults.getIsNull(key) || defaults.getValue(key).valueType() == ConfigValueType.NUMBER;
            if (numeric) {
                assertTrue(e.getValue().stream().anyMatch(c -> c.startsWith("range: ")), key + " documents no range");
            }
            if (!defaults.getIsNull(key) && defaults.getValue(key).valueType() == ConfigValueType.LIST) {
                assertTrue(e.getValue().stream().anyMatch(c -> c.startsWith("entries: ") || c.startsWith(EACH_ONE_OF)),
                        key + " documents neither 'entries: ' nor '" + EACH_ONE_OF + "'");
            }
            if (!defaults.getIsNull(key) && defaults.getValue(key).valueType() == ConfigValueType.STRING
                    && rejects(key, "no-such-value")) {
                assertTrue(e.getValue().stream().anyMatch(c -> c.startsWith(ONE_OF)),
                        key + " accepts only some strings but documents no '" + ONE_OF + "'");
            }
        }
    }

    @Test
    void documentedRangesAreTheEnforcedOnes() throws IOException {
        Config defaults = PolyvaeConfig.defaults().resolve();
        int checked = 0;
        for (Map.Entry<String, List<String>> e : documentedKeys().entrySet()) {
            String key = e.getKey();
            for (String comment : e.getValue()) {
                if (comment.equals(ANY_LONG)) {
                    assertAccepts(key, Long.toString(Long.MIN_VALUE));
                    assertAccepts(key, Long.toString(Long.MAX_VALUE));
                    assertRejects(key, "1.5e30");
                    checked++;
                } else if (comment.startsWith("range: ")) {
                    Matcher m = INTERVAL.matcher(comment);
                    assertTrue(m.matches(), key + ": '" + comment + "' is not 'range: [min, max]' nor '" + ANY_LONG + "'");
                    boolean integer = defaults.getIsNull(key) || defaults.getValue(key).unwrapped() instanceof Integer
                            || defaults.getValue(key).unwrapped() instanceof Long;
                    checkBound(key, integer, Double.parseDouble(m.group(2)), m.group(1).equals("["), -1);
                    checkBound(key, integer, Double.parseDouble(m.group(3)), m.group(4).equals("]"), +1);
                    checked++;
                } else if (comment.startsWith("entries: ")) {
                    Matcher m = LIST.matcher(comment);
                    assertTrue(m.matches(), key + ": '" + comment + "' is not 'entries: [a, b], each in [c, d]'");
                    checkList(key, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                            Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)));
                    checked++;
                } else if (comment.startsWith(EACH_ONE_OF)) {
                    List<Integer> values = Arrays.stream(comment.substring(EACH_ONE_OF.length()).split(",\\s*"))
                            .map(Integer::valueOf).toList();
                    for (int v : values) {
                        assertAccepts(key, "[" + v + "]");
                    }
                    int other = 1;
                    while (values.contains(other)) {
                        other++;
                    }
                    assertRejects(key, "[" + values.get(0) + ", " + other + "]");
                    checked++;
                } else if (comment.startsWith(ONE_OF)) {
                    List<String> values = Arrays.asList(comment.substring(ONE_OF.length()).split(",\\s*"));
                    for (String v : values) {
                        assertAccepts(key, v);
                    }
                    ConfigError error = assertThrows(ConfigError.class, () -> load(key, "no-such-value"));
                    assertTrue(error.getMessage().contains(key), error.getMessage());
                    assertTrue(error.getMessage().contains("one of " + String.join(", ", values)),
                            key + ": documented " + values + ", validation says: " + error.getMessage());
                    checked++;
                }
            }
        }
        assertTrue(checked >= 50, "ranges checked: " + checked);
    }

    /**
     * {@code direction} -1 for a lower bound, +1 for an upper one. Integers step by 1; real numbers by a
     * relative 1e-9 (or 1e-12 at 0), "just outside" and "just inside".
     */
    private static void checkBound(String key, boolean integer, double bound, boolean inclusive, int direction) {
        double step = integer ? 1 : bound == 0 ? 1e-12 : Math.abs(bound) * 1e-9;
        double outside = inclusive ? bound + direction * step : bound;
        double inside = inclusive ? bound : bound - direction * step;
        assertAccepts(key, format(inside, integer));
        assertRejects(key, format(outside, integer));
    }

    /** Lists of minEntries and maxEntries pass, one entry fewer or more fails; so does an entry out of range. */
    private static void checkList(String key, int minEntries, int maxEntries, int min, int max) {
        assertAccepts(key, list(minEntries, min));
        assertAccepts(key, list(maxEntries, max));
        if (minEntries > 0) {
            assertRejects(key, list(minEntries - 1, min));
        }
        assertRejects(key, list(maxEntries + 1, min));
        assertRejects(key, list(minEntries, min - 1));
        assertRejects(key, list(minEntries, max + 1));
    }

    private static String list(int entries, int value) {
        return "[" + String.join(", ", Collections.nCopies(entries, Integer.toString(value))) + "]";
    }

    private static String format(double v, boolean integer) {
        return integer ? Long.toString((long) v) : Double.toString(v);
    }

    private static void assertAccepts(String key, String value) {
        assertDoesNotThrow(() -> load(key, value), key + " = " + value + " is documented as accepted");
    }

    private static void assertRejects(String key, String value) {
        ConfigError error = assertThrows(ConfigError.class, () -> load(key, value),
                key + " = " + value + " is documented as out of range");
        assertTrue(error.getMessage().contains(key), "the error names " + key + ": " + error.getMessage());
    }

    private static boolean rejects(String key, String value) {
        try {
            load(key, value);
            return false;
        } catch (ConfigError e) {
            return e.getMessage().contains(key);
        }
    }

    private static PolyvaeConfig load(String key, String value) {
        return PolyvaeConfig.load(List.of(), List.of(key + "=" + value));
    }

    @Test
    void theConventionIsReadAsWritten() {
        Matcher m = INTERVAL.matcher("range: (0, 1e-2]");
        assertTrue(m.matches());
        assertEquals("(", m.group(1));
        assertEquals("1e-2", m.group(3));
        assertFalse(INTERVAL.matcher("range: 0..10").matches());
    }
}
