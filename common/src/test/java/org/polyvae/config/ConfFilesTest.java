package org.polyvae.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The shipped conf/ files: each loads and validates; experiment presets change hyperparameters only. */
class ConfFilesTest {
    /** Module directory is common/ under Maven; the conf/ folder is the repository's. */
    private static final Path CONF = Path.of("..", "conf");
    private static final Set<String> TRAINING_HYPERPARAMETERS =
            Set.of("epochs", "batch-size", "averaging-frequency", "workers", "repartition");

    @Test
    void localAndYarnConfsLoad() {
        PolyvaeConfig local = PolyvaeConfig.load(CONF.resolve("local.conf").toFile(), List.of());
        assertEquals("data/polysilicon", local.data().dir());
        PolyvaeConfig yarn = PolyvaeConfig.load(CONF.resolve("yarn.conf").toFile(), List.of());
        assertTrue(yarn.data().dir().startsWith("hdfs://"), yarn.data().dir());
        assertTrue(yarn.output().dir().startsWith("hdfs://"), yarn.output().dir());
        assertTrue(yarn.sample().dir().startsWith("hdfs://"), "sample dir follows output.dir");
    }

    @Test
    void everyExperimentLoadsOverBothBasesAndSetsOnlyHyperparameters() throws IOException {
        List<Path> presets;
        try (Stream<Path> files = Files.list(CONF.resolve("experiments"))) {
            presets = files.filter(p -> p.toString().endsWith(".conf")).sorted().toList();
        }
        assertTrue(presets.size() >= 5, "presets: " + presets);
        for (Path preset : presets) {
            for (String base : List.of("local.conf", "yarn.conf")) {
                PolyvaeConfig.load(List.of(CONF.resolve(base).toFile(), preset.toFile()), List.of());
            }
            for (Map.Entry<String, ConfigValue> e : ConfigFactory.parseFile(preset.toFile()).entrySet()) {
                String key = e.getKey();
                boolean hyper = key.startsWith("polyvae.model.")
                        || key.startsWith("polyvae.train.")
                        && TRAINING_HYPERPARAMETERS.contains(key.substring("polyvae.train.".length()));
                assertTrue(hyper, preset + " sets " + key + ", which is not a hyperparameter");
            }
        }
    }

    @Test
    void laterFilesWin() throws IOException {
        File beta = CONF.resolve("experiments/beta-2.conf").toFile();
        PolyvaeConfig c = PolyvaeConfig.load(List.of(CONF.resolve("local.conf").toFile(), beta), List.of());
        assertEquals(2.0, c.model().beta());
        assertEquals("data/polysilicon", c.data().dir(), "the base still applies");
        assertEquals(3.0, PolyvaeConfig.load(List.of(beta), List.of("polyvae.model.beta=3")).model().beta(),
                "command-line overrides beat every file");
        ConfigError missing = assertThrows(ConfigError.class,
                () -> PolyvaeConfig.load(List.of(beta, new File("no/such.conf")), List.of()));
        assertTrue(missing.getMessage().contains("no/such.conf"), missing.getMessage());
        assertFalse(Files.exists(Path.of("no/such.conf")));
    }
}
