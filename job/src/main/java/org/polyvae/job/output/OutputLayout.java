package org.polyvae.job.output;

import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.Path;
import org.polyvae.config.PolyvaeConfig;

/**
 * Where every stage reads and writes under {@code polyvae.output.dir}, spelled once:
 * <pre>
 * model/             vae.zip, decoder.zip, config.conf (the configuration that trained them), prior.bin (the
 *                    Gaussian prior over the code), code-prior.bin (the autoregressive prior over the code),
 *                    loss.png; for use outside polyvae decoder.onnx,
 *                    encoder.onnx, prior.onnx and model-card.json (+ .md)
 * checkpoints/       epoch-NNN.zip and settings.conf of a training run
 * metrics/train.csv  one row per epoch
 * batches/           train/ and validation/ minibatch files, batches.conf (what they were exported from)
 * prior-batches/     the autoregressive prior's minibatch files (code positions), rewritten by each training
 * samples/           stage sample (polyvae.sample.dir): sample-NNN.png, manifest.csv, contact sheets
 * report/            stage explore (polyvae.explore.dir): index.html and its figures
 * evaluation/        stage evaluate (polyvae.evaluate.dir): evaluation.json, index.html, section.html
 * judge/             the judge CNN (polyvae.evaluate.model-dir): cnn.zip and judge.conf
 * synth/classes.png  stage synth's preview of the classes
 * </pre>
 * The folders in parentheses are configurable; their defaults in conf/application.conf are these names.
 * Folders have instance accessors; the files in a folder have static ones taking the folder, because a
 * stage writes them into a temporary stand-in ({@link org.polyvae.io.AtomicOutput#tmp()}) that is renamed
 * into place, and stage evaluate may read samples from anywhere ({@code polyvae.evaluate.samples}).
 */
public final class OutputLayout {
    /** Name of the judge's default folder (a sweep shares one under its own folder). */
    public static final String JUDGE = "judge";
    /** The two splits of the exported batches. */
    public static final String TRAIN = "train";
    public static final String VALIDATION = "validation";
    private static final Pattern SAMPLE_NAME = Pattern.compile("sample-\\d+\\.png");

    private final Path root;
    private final Path samples;
    private final Path report;
    private final Path evaluation;
    private final Path judge;

    public OutputLayout(PolyvaeConfig config) {
        this.root = new Path(config.output().dir());
        this.samples = new Path(config.sample().dir());
        this.report = new Path(config.explore().dir());
        this.evaluation = new Path(config.evaluate().dir());
        this.judge = new Path(config.evaluate().modelDir());
    }

    /** {@code polyvae.output.dir}. */
    public Path root() {
        return root;
    }

    // Stage train.

    /** The trained model, swapped in whole by stage train. */
    public Path model() {
        return new Path(root, "model");
    }

    public static Path vaeZip(Path model) {
        return new Path(model, "vae.zip");
    }

    public static Path decoderZip(Path model) {
        return new Path(model, "decoder.zip");
    }

    /** The resolved configuration that trained the model. */
    public static Path modelConfig(Path model) {
        return new Path(model, "config.conf");
    }

    /** The learned prior over the code ({@link org.polyvae.model.LatentPrior}). */
    public static Path latentPrior(Path model) {
        return new Path(model, "prior.bin");
    }

    /** The autoregressive prior over the code ({@link org.polyvae.model.AutoregressivePrior}). */
    public static Path codePrior(Path model) {
        return new Path(model, "code-prior.bin");
    }

    /** The autoregressive prior's minibatch files, made from the trained encoder's codes. */
    public Path priorBatches() {
        return new Path(root, "prior-batches");
    }

    /** The decoder as ONNX: z [, class] → image ({@link org.polyvae.onnx.VaeOnnx}). */
    public static Path decoderOnnx(Path model) {
        return new Path(model, "decoder.onnx");
    }

    /** The encoder as ONNX: image [, class] → mu, logvar. */
    public static Path encoderOnnx(Path model) {
        return new Path(model, "encoder.onnx");
    }

    /** The learned prior as ONNX: eps [, class] → z. */
    public static Path priorOnnx(Path model) {
        return new Path(model, "prior.onnx");
    }

    /** What the model is and was trained on ({@link ModelCard}). */
    public static Path modelCard(Path model) {
        return new Path(model, ModelCard.FILE);
    }

    /** The model card rendered as Markdown. */
    public static Path modelCardMarkdown(Path model) {
        return new Path(model, ModelCard.MARKDOWN);
    }

    public static Path lossCurve(Path model) {
        return new Path(model, "loss.png");
    }

    public Path checkpoints() {
        return new Path(root, "checkpoints");
    }

    public Path trainMetrics() {
        return new Path(root, "metrics/train.csv");
    }

    /** The exported minibatch files of both splits and the fingerprint of what they were exported from. */
    public Path batches() {
        return new Path(root, "batches");
    }

    /** @param split {@link #TRAIN} or {@link #VALIDATION} */
    public static Path batches(Path batches, String split) {
        return new Path(batches, split);
    }

    /** What the batch files were exported from (dataset, split, batch size) and how many images they hold. */
    public static Path batchFingerprint(Path batches) {
        return new Path(batches, "batches.conf");
    }

    // Stage sample.

    /** {@code polyvae.sample.dir}. */
    public Path samples() {
        return samples;
    }

    /** Sample {@code index}'s file name (in the samples folder and in its tessellated/ and view/ copies). */
    public static String sampleName(int index, int digits) {
        return String.format(Locale.ROOT, "sample-%0" + digits + "d.png", index);
    }

    /** Whether {@code fileName} is a sample's ({@link #sampleName}). */
    public static boolean isSampleName(String fileName) {
        return SAMPLE_NAME.matcher(fileName).matches();
    }

    /** One row per sample: file, seed, requested class, z. */
    public static Path sampleManifest(Path samples) {
        return new Path(samples, "manifest.csv");
    }

    public static Path sampleStatistics(Path samples) {
        return new Path(samples, "statistics.csv");
    }

    /** The tessellated copies of the samples (same file names). */
    public static Path tessellatedSamples(Path samples) {
        return new Path(samples, "tessellated");
    }

    /** Enlarged copies of the samples for viewing (same file names). */
    public static Path sampleViews(Path samples) {
        return new Path(samples, "view");
    }

    public static Path contactSheet(Path samples) {
        return new Path(samples, "contact-sheet.png");
    }

    public static Path tessellatedContactSheet(Path samples) {
        return new Path(samples, "contact-sheet-tessellated.png");
    }

    // Stage explore.

    /** {@code polyvae.explore.dir}. */
    public Path report() {
        return report;
    }

    public static Path reportPage(Path report) {
        return new Path(report, "index.html");
    }

    // Stage evaluate.

    /** {@code polyvae.evaluate.dir}. */
    public Path evaluation() {
        return evaluation;
    }

    public static Path evaluationJson(Path evaluation) {
        return new Path(evaluation, Evaluation.FILE);
    }

    public static Path evaluationPage(Path evaluation) {
        return new Path(evaluation, "index.html");
    }

    /** The evaluation's part of the report page. */
    public static Path evaluationSection(Path evaluation) {
        return new Path(evaluation, "section.html");
    }

    /** {@code polyvae.evaluate.model-dir}: the judge CNN. */
    public Path judge() {
        return judge;
    }

    public static Path judgeModel(Path judge) {
        return new Path(judge, "cnn.zip");
    }

    /** What the judge was trained on; it is reused while this matches. */
    public static Path judgeFingerprint(Path judge) {
        return new Path(judge, "judge.conf");
    }

    // Stage synth.

    /** The first images of every class of a synthesised dataset, as one PNG. */
    public Path synthPreview() {
        return new Path(root, "synth/classes.png");
    }
}
