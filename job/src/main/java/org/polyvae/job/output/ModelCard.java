package org.polyvae.job.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.polyvae.io.HadoopFiles;

/**
 * model/model-card.json: what a trained model is, for whoever loads it outside polyvae. Written by stage train
 * with the model (and its Markdown rendering, model-card.md); stage evaluate adds the headline figures of the
 * samples it judged ({@link #withEvaluation}).
 *
 * @param created      when stage train wrote the model (ISO-8601, UTC)
 * @param architecture what the networks are
 * @param settings     the resolved polyvae.model, polyvae.train and polyvae.data keys that trained it
 * @param dataset      what it was trained on
 * @param training     how long it trained and where its losses ended
 * @param onnx         the ONNX files beside it, or why there are none
 * @param evaluation   stage evaluate's headline for this model's samples; null until evaluate has run
 */
public record ModelCard(String created, Architecture architecture, Map<String, Object> settings, Dataset dataset,
        Training training, Onnx onnx, Evaluation.Headline evaluation) {
    public static final String FILE = "model-card.json";
    public static final String MARKDOWN = "model-card.md";

    private static final ObjectMapper JSON = OutputJson.MAPPER;

    /**
     * @param vaeParameters     the whole training graph's (encoder, decoder and any discriminator)
     * @param decoderParameters the sampling decoder's (z [, class] → image)
     * @param layers            the VAE's layers with parameters, in graph order
     */
    public record Architecture(long vaeParameters, long decoderParameters, int codeLength, int resolution,
            boolean conditional, String likelihood, List<Layer> layers) {
    }

    public record Layer(String name, String type, long parameters) {
    }

    /**
     * @param root             polyvae.data.dir, qualified
     * @param trainImagesPerClass training images by class ("2x2" …)
     * @param trainFilesSha256 SHA-256 of the training images' dataset-relative names, one per line, sorted
     * @param synthProvenance  the synth stage's provenance file (seed, settings, per-class figures), null for a
     *                         dataset polyvae did not synthesise
     */
    public record Dataset(String root, Map<String, Long> trainImagesPerClass, long trainImages, long validationImages,
            String trainFilesSha256, Map<String, Object> synthProvenance) {
    }

    /** @param seconds training time over all epochs (including those before a resume) */
    public record Training(int epochs, double seconds, double imagesPerSecond, Losses finalTrain,
            Losses finalValidation) {
    }

    /** Per image, in nats; adversarial is the discriminator's loss (NaN without the term). */
    public record Losses(double negativeElbo, double reconstruction, double kl, double adversarial) {
    }

    /**
     * @param files inputs and outputs of each file written, e.g. "decoder.onnx" → "z [batch, 256], class …"
     * @param error why no ONNX file was written (a design the export cannot translate), else null
     */
    public record Onnx(int opset, int irVersion, Map<String, String> files, String error) {
    }

    /** This card with stage evaluate's headline figures. */
    public ModelCard withEvaluation(Evaluation.Headline headline) {
        return new ModelCard(created, architecture, settings, dataset, training, onnx, headline);
    }

    public byte[] json() throws IOException {
        return JSON.writeValueAsBytes(this);
    }

    /** @throws IOException naming the file when it cannot be read or is not a model card */
    public static ModelCard read(FileSystem fs, Path file) throws IOException {
        try (InputStream in = fs.open(file)) {
            return JSON.readValue(in, ModelCard.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException(file + " is not valid JSON of a model card: " + e.getOriginalMessage(), e);
        }
    }

    /** Writes model-card.json and model-card.md into {@code model}, each replaced in one rename. */
    public void writeInto(FileSystem fs, Path model) throws IOException {
        HadoopFiles.writeAtomically(fs, OutputLayout.modelCard(model), out -> out.write(json()));
        HadoopFiles.writeStringAtomically(fs, OutputLayout.modelCardMarkdown(model), markdown());
    }

    /** A short human-readable rendering (the report's "Model card"). */
    public String markdown() {
        StringBuilder md = new StringBuilder("# polyvae model card\n\n");
        Architecture a = architecture;
        md.append(String.format(Locale.ROOT, "- **Model**: convolutional VAE, %s likelihood, %s, code length %d, "
                + "%d×%d px; %,d parameters in training (%,d in the sampling decoder)%n", a.likelihood(),
                a.conditional() ? "class-conditional" : "unconditional", a.codeLength(), a.resolution(), a.resolution(),
                a.vaeParameters(), a.decoderParameters()));
        md.append(String.format(Locale.ROOT, "- **Data**: %s — %d training images (%s), %d held out%s%n",
                dataset.root(), dataset.trainImages(), dataset.trainImagesPerClass().entrySet().stream()
                        .map(e -> e.getKey() + " µm: " + e.getValue()).collect(Collectors.joining(", ")),
                dataset.validationImages(), dataset.synthProvenance() == null ? "; file list SHA-256 "
                        + dataset.trainFilesSha256() : "; synthesised by polyvae (provenance in the JSON card)"));
        md.append(String.format(Locale.ROOT, "- **Training**: %d epochs in %.0f s (%.0f images/s); final negative "
                + "ELBO per image %.1f training, %.1f validation (reconstruction %.1f + KL %.1f)%n", training.epochs(),
                training.seconds(), training.imagesPerSecond(), training.finalTrain().negativeElbo(),
                training.finalValidation().negativeElbo(), training.finalValidation().reconstruction(),
                training.finalValidation().kl()));
        if (onnx.error() != null) {
            md.append("- **ONNX**: not exported: ").append(onnx.error()).append('\n');
        } else {
            md.append(String.format(Locale.ROOT, "- **ONNX** (opset %d, IR version %d):%n", onnx.opset(),
                    onnx.irVersion()));
            onnx.files().forEach((f, io) -> md.append("  - `").append(f).append("`: ").append(io).append('\n'));
        }
        if (evaluation != null) {
            md.append(String.format(Locale.ROOT, "- **Evaluation** (raw samples%s): KID ratio %.2f, Fréchet ratio %.2f%s%n",
                    evaluation.regionDecoding() == null ? "" : "; region decoding: " + evaluation.regionDecoding(), evaluation.kidRatio(), evaluation.frechetRatio(), evaluation.requestedClassAgreement() == null ? ""
                            : String.format(Locale.ROOT, ", requested-class agreement %.2f",
                                    evaluation.requestedClassAgreement())));
        } else {
            md.append("- **Evaluation**: none in the card when this was written (stage evaluate adds its headline to "
                    + "model-card.json and model-card.md)\n");
        }
        return md.toString();
    }
}
