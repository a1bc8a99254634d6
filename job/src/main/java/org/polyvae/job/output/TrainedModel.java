package org.polyvae.job.output;

import org.polyvae.config.ConfigError;
import org.polyvae.config.MissingInputException;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.polyvae.config.DataSettings;
import org.polyvae.config.ModelSettings;
import org.polyvae.config.PolyvaeConfig;
import org.polyvae.data.WindowClass;
import org.polyvae.io.HadoopFiles;
import org.polyvae.model.AutoregressivePrior;
import org.polyvae.model.LatentPrior;

/**
 * The model stage train left in {@code model/}: the VAE, its decoder, and the settings they were built with,
 * read from the {@code config.conf} beside them (not from the current configuration, which may have
 * changed since). The networks are read when first asked for: stage sample needs only the decoder.
 */
public final class TrainedModel {
    private final FileSystem fs;
    private final Path dir;
    private final String configText;
    private final ModelSettings settings;
    private final List<Integer> classes;
    private final boolean autoregressiveTrained;
    private byte[] vaeZip;
    private byte[] decoderZip;

    private TrainedModel(FileSystem fs, Path dir, String configText, ModelSettings settings, List<Integer> classes,
            boolean autoregressiveTrained) {
        this.autoregressiveTrained = autoregressiveTrained;
        this.fs = fs;
        this.dir = dir;
        this.configText = configText;
        this.settings = settings;
        this.classes = classes;
    }

    /**
     * Opens the model in {@code dir} ({@link OutputLayout#model()}).
     *
     * @throws MissingInputException naming the folder when it holds no complete trained model (run stage
     *                               train first)
     * @throws ConfigError           when its config.conf is not one stage train wrote
     */
    public static TrainedModel load(FileSystem fs, Path dir) throws IOException {
        Path qualified = fs.makeQualified(dir);
        Path configFile = OutputLayout.modelConfig(dir);
        for (Path file : List.of(OutputLayout.vaeZip(dir), OutputLayout.decoderZip(dir), configFile)) {
            if (!fs.exists(file)) {
                throw new MissingInputException("no trained model in " + qualified + " (" + file.getName()
                        + " is missing): run stage train first, or point polyvae.output.dir at the output of a "
                        + "training run");
            }
        }
        String text = HadoopFiles.readString(fs, configFile);
        try {
            // A model trained before a key existed lacks it; every model key's default is the behaviour the
            // code had before the key was added, so the defaults fill such gaps and nothing else.
            Config trained = ConfigFactory.parseString(text,
                    ConfigParseOptions.defaults().setOriginDescription(fs.makeQualified(configFile).toString()))
                    .withFallback(PolyvaeConfig.defaultsOnly().config());
            List<Integer> classes = DataSettings.from(trained).classes().stream().map(WindowClass::micrometres)
                    .sorted().toList();
            return new TrainedModel(fs, qualified, text, ModelSettings.from(trained), classes,
                    trained.getBoolean("polyvae.train.prior.autoregressive"));
        } catch (ConfigException | IllegalArgumentException e) {
            throw new ConfigError(fs.makeQualified(configFile) + " does not describe a model ("
                    + e.getMessage() + "): is it the config.conf that stage train wrote next to the model? Train "
                    + "again to replace it.", e);
        }
    }

    /** The folder the model was read from (qualified). */
    public Path dir() {
        return dir;
    }

    /** The architecture and optimiser the model was trained with. */
    public ModelSettings settings() {
        return settings;
    }

    /** The window sizes (µm) the model was trained on, ascending (polyvae.data.classes of its training run). */
    public List<Integer> classes() {
        return classes;
    }

    /**
     * The autoregressive prior stage sample draws from: {@link #codePrior()}, or null when the training run was
     * asked for one (polyvae.train.prior.autoregressive) but had none of the classes it was to draw
     * (polyvae.train.prior.classes), so that every class is the learned Gaussian's.
     *
     * @throws MissingInputException when the model was trained without one
     */
    public AutoregressivePrior codePriorToDraw() throws IOException {
        return hasCodePrior() || !autoregressiveTrained ? codePrior() : null;
    }

    /** Whether the model has an autoregressive prior (code-prior.bin). */
    public boolean hasCodePrior() throws IOException {
        return fs.exists(OutputLayout.codePrior(dir));
    }

    /** The resolved configuration of the training run, as stage train wrote it. */
    public String configText() {
        return configText;
    }

    /** The model card as Markdown ({@link ModelCard#MARKDOWN}), or null for a model trained without one. */
    public String cardMarkdown() throws IOException {
        Path file = OutputLayout.modelCardMarkdown(dir);
        return fs.exists(file) ? HadoopFiles.readString(fs, file) : null;
    }

    /** The VAE's zip (ModelSerializer), e.g. to broadcast to executors. */
    public synchronized byte[] vaeZip() throws IOException {
        if (vaeZip == null) {
            vaeZip = HadoopFiles.readBytes(fs, OutputLayout.vaeZip(dir));
        }
        return vaeZip;
    }

    /** The decoder's zip (ModelSerializer), e.g. to broadcast to executors. */
    public synchronized byte[] decoderZip() throws IOException {
        if (decoderZip == null) {
            decoderZip = HadoopFiles.readBytes(fs, OutputLayout.decoderZip(dir));
        }
        return decoderZip;
    }

    /** A new copy of the VAE (without its updater state). */
    public ComputationGraph vae() throws IOException {
        return restore(vaeZip());
    }

    /** A new copy of the decoder. */
    public ComputationGraph decoder() throws IOException {
        return restore(decoderZip());
    }

    /**
     * The learned prior over the code that stage train fitted to the training images' codes.
     *
     * @throws MissingInputException when the model has none (trained before polyvae fitted one)
     */
    public LatentPrior prior() throws IOException {
        Path file = OutputLayout.latentPrior(dir);
        if (!fs.exists(file)) {
            throw new MissingInputException("the model in " + dir + " has no learned prior (" + file.getName()
                    + " is missing; it was trained by an older polyvae): train it again, or draw from N(0, I) with "
                    + "polyvae.sample.prior=standard");
        }
        try (InputStream in = fs.open(file)) {
            return LatentPrior.read(in, fs.makeQualified(file).toString());
        }
    }

    /**
     * The autoregressive prior over the code that stage train trained on the training images' codes.
     *
     * @throws MissingInputException when the model has none (trained with polyvae.train.prior.autoregressive
     *                               = false, or by an older polyvae)
     */
    public AutoregressivePrior codePrior() throws IOException {
        Path file = OutputLayout.codePrior(dir);
        if (!fs.exists(file)) {
            throw new MissingInputException("the model in " + dir + " has no autoregressive prior (" + file.getName()
                    + " is missing: it was trained with polyvae.train.prior.autoregressive = false or by an older "
                    + "polyvae): train it again with polyvae.train.prior.autoregressive = true, or draw from the "
                    + "Gaussian prior with polyvae.sample.prior=learned");
        }
        try (InputStream in = fs.open(file)) {
            return AutoregressivePrior.read(in, fs.makeQualified(file).toString());
        }
    }

    /** The autoregressive prior's bytes as written (what executors read it from). */
    public byte[] codePriorBytes() throws IOException {
        return HadoopFiles.readBytes(fs, OutputLayout.codePrior(dir));
    }

    /** A network from its zip (ModelSerializer), without updater state. */
    public static ComputationGraph restore(byte[] zip) throws IOException {
        return ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(zip), false);
    }
}
