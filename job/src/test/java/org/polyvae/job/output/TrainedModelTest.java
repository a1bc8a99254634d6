package org.polyvae.job.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.polyvae.config.ConfigError;
import org.polyvae.config.MissingInputException;
import org.polyvae.config.PolyvaeConfig;

/** Reading a model folder's settings; the networks themselves are covered by the stage tests. */
class TrainedModelTest {
    @TempDir
    java.nio.file.Path tmp;

    private Path modelDir(String configText) throws IOException {
        java.nio.file.Path dir = tmp.resolve("model");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.conf"), configText);
        Files.write(dir.resolve("vae.zip"), new byte[0]);
        Files.write(dir.resolve("decoder.zip"), new byte[0]);
        return new Path(dir.toUri());
    }

    private static FileSystem local() throws IOException {
        return FileSystem.getLocal(new Configuration());
    }

    @Test
    void aModelTrainedBeforeAKeyExistedGetsThatKeysDefault() throws IOException {
        // As an older train stage wrote it: no likelihood, gray-levels or class-prior keys.
        String old = "polyvae.data.classes = [3, 10]\npolyvae.model.latent-channels = 7\n";
        TrainedModel m = TrainedModel.load(local(), modelDir(old));
        assertEquals(7, m.settings().latentChannels(), "what the model says wins");
        assertEquals(PolyvaeConfig.defaultsOnly().model().likelihood(), m.settings().likelihood());
        assertEquals(false, m.settings().classPrior());
        assertEquals(List.of(3, 10), m.classes());
    }

    @Test
    void aConfigThatIsNotAModelsIsAConfigError() throws IOException {
        ConfigError e = assertThrows(ConfigError.class,
                () -> TrainedModel.load(local(), modelDir("polyvae.model.latent-channels = many\n")));
        assertTrue(e.getMessage().contains("config.conf") && e.getMessage().contains("Train again"), e.getMessage());
    }

    @Test
    void noModelIsAMissingInputNamingStageTrain() {
        MissingInputException e = assertThrows(MissingInputException.class,
                () -> TrainedModel.load(local(), new Path(tmp.resolve("none").toUri())));
        assertTrue(e.getMessage().contains("run stage train first"), e.getMessage());
    }
}
