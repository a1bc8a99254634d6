package org.polyvae.job.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.EnumMap;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.polyvae.config.ModelSettings;
import org.polyvae.config.PolyvaeConfig;
import org.polyvae.data.DatasetLayout;
import org.polyvae.data.ImageEntry;
import org.polyvae.data.WindowClass;
import org.polyvae.io.HadoopFiles;
import org.polyvae.job.batches.BatchExport;
import org.polyvae.job.output.Fingerprints;
import org.polyvae.job.output.ModelCard;
import org.polyvae.job.output.OutputLayout;
import org.polyvae.model.AutoregressivePrior;
import org.polyvae.model.LatentPrior;
import org.polyvae.onnx.OnnxGraph;
import org.polyvae.onnx.UnsupportedExportException;
import org.polyvae.onnx.VaeOnnx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trained model for use outside polyvae, written by stage train into the model folder it is about to swap
 * in: decoder.onnx, encoder.onnx and prior.onnx ({@link VaeOnnx}), all three or none, and the model card. A
 * design the export cannot translate is logged and named in the card; it does not fail the training run.
 */
final class ModelExport {
    private static final Logger LOG = LoggerFactory.getLogger(ModelExport.class);

    private ModelExport() {
    }

    /** @param codePrior the autoregressive prior written beside the model, or null */
    static void write(FileSystem fs, Path model, PolyvaeConfig config, ComputationGraph vae, ComputationGraph decoder,
            LatentPrior prior, AutoregressivePrior codePrior, BatchExport.Batches batches, List<TrainMetrics.Row> rows)
            throws IOException {
        ModelSettings s = config.model();
        ModelCard.Onnx onnx = writeOnnx(fs, model, s, vae, decoder, prior, codePrior);
        ModelCard card = new ModelCard(Instant.now().toString(), architecture(s, vae, decoder), settings(config),
                dataset(fs, config, batches), training(rows), onnx, null);
        card.writeInto(fs, model);
    }

    private static ModelCard.Onnx writeOnnx(FileSystem fs, Path model, ModelSettings s, ComputationGraph vae,
            ComputationGraph decoder, LatentPrior prior, AutoregressivePrior codePrior) throws IOException {
        byte[] decoderOnnx;
        byte[] encoderOnnx;
        byte[] priorOnnx;
        try {
            decoderOnnx = VaeOnnx.decoder(decoder, s);
            encoderOnnx = VaeOnnx.encoder(vae, s);
            priorOnnx = VaeOnnx.prior(prior);
        } catch (UnsupportedExportException e) {
            LOG.warn("train: no ONNX export of this model: {}", e.getMessage());
            return new ModelCard.Onnx(OnnxGraph.OPSET, OnnxGraph.IR_VERSION, Map.of(), e.getMessage());
        }
        HadoopFiles.writeBytes(fs, OutputLayout.decoderOnnx(model), decoderOnnx);
        HadoopFiles.writeBytes(fs, OutputLayout.encoderOnnx(model), encoderOnnx);
        HadoopFiles.writeBytes(fs, OutputLayout.priorOnnx(model), priorOnnx);
        int d = s.codeLength();
        int res = s.resolution();
        String cls = s.conditional() ? ", class [batch, " + WindowClass.values().length + "] (one-hot: "
                + List.of(WindowClass.values()).stream().map(w -> w.micrometres() + " µm")
                        .collect(Collectors.joining(", ")) + ")" : "";
        String image = "image [batch, 1, " + res + ", " + res + "] (gray / 255)";
        Map<String, String> files = new LinkedHashMap<>();
        files.put(OutputLayout.priorOnnx(model).getName(), "eps [batch, " + d + "] (standard normal; × temperature)"
                + (prior.unconditional() ? "" : cls) + " → z [batch, " + d + "]" + (codePrior == null ? ""
                : " (the learned Gaussian; stage sample's prior = autoregressive draws "
                + (codePrior.unconditional() ? "every class" : Arrays.stream(codePrior.classes())
                        .mapToObj(um -> um + " µm").collect(Collectors.joining(", ")))
                + " from " + OutputLayout.codePrior(model).getName() + " instead, which is not exported)"));
        files.put(OutputLayout.decoderOnnx(model).getName(), "z [batch, " + d + "]" + cls + " → " + image
                + (s.regionDecoding() ? " (the per-pixel mode), "
                        + VaeOnnx.LEVEL_PROBABILITIES + " [batch, " + s.grayLevels() + ", " + res + ", " + res + "], "
                        + VaeOnnx.BOUNDARY + " [batch, 1, " + res + ", " + res + "] (stage sample's regions come from "
                        + "these two: README, \"One gray per grain\")" : ""));
        files.put(OutputLayout.encoderOnnx(model).getName(), image + cls + " → mu [batch, " + d + "], logvar [batch, "
                + d + "]");
        return new ModelCard.Onnx(OnnxGraph.OPSET, OnnxGraph.IR_VERSION, files, null);
    }

    private static ModelCard.Architecture architecture(ModelSettings s, ComputationGraph vae, ComputationGraph decoder) {
        List<ModelCard.Layer> layers = new ArrayList<>();
        for (Layer l : vae.getLayers()) {
            if (l.numParams() > 0) {
                layers.add(new ModelCard.Layer(l.conf().getLayer().getLayerName(),
                        l.conf().getLayer().getClass().getSimpleName(), l.numParams()));
            }
        }
        return new ModelCard.Architecture(vae.numParams(), decoder.numParams(), s.codeLength(), s.resolution(),
                s.conditional(), s.likelihood().configValue(), layers);
    }

    private static Map<String, Object> settings(PolyvaeConfig config) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String key : List.of("model", "train", "data")) {
            out.put(key, config.config().getConfig(PolyvaeConfig.ROOT + "." + key).root().unwrapped());
        }
        return out;
    }

    private static ModelCard.Dataset dataset(FileSystem fs, PolyvaeConfig config, BatchExport.Batches batches)
            throws IOException {
        Path root = new Path(config.data().dir());
        FileSystem dataFs = root.getFileSystem(fs.getConf());
        Map<WindowClass, Long> counts = new EnumMap<>(WindowClass.class);
        List<String> names = new ArrayList<>();
        for (ImageEntry e : batches.trainEntries()) {
            WindowClass c = e.windowClass();
            counts.merge(c, 1L, Long::sum);
            names.add(String.join("/", DatasetLayout.classFolderName(c), e.chunk(), DatasetLayout.imageFolderName(c),
                    DatasetLayout.imageFileName(c, e.number())));
        }
        names.sort(null);
        Map<String, Long> perClass = new LinkedHashMap<>();
        counts.forEach((c, n) -> perClass.put(c.token(), n));
        Path provenance = new Path(root, DatasetLayout.SYNTH_PROVENANCE);
        Map<String, Object> synth = dataFs.exists(provenance) ? Fingerprints.read(dataFs, provenance).root().unwrapped()
                : null;
        return new ModelCard.Dataset(dataFs.makeQualified(root).toString(), perClass, batches.trainImages(),
                batches.validationImages(), sha256(String.join("\n", names)), synth);
    }

    private static ModelCard.Training training(List<TrainMetrics.Row> rows) {
        if (rows.isEmpty()) {
            ModelCard.Losses none = new ModelCard.Losses(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            return new ModelCard.Training(0, 0, Double.NaN, none, none);
        }
        TrainMetrics.Row last = rows.get(rows.size() - 1);
        double seconds = rows.stream().mapToDouble(TrainMetrics.Row::seconds).sum();
        return new ModelCard.Training(last.epoch(), seconds,
                rows.stream().mapToDouble(TrainMetrics.Row::imagesPerSecond).average().orElse(Double.NaN),
                new ModelCard.Losses(last.trainLoss(), last.trainRecon(), last.trainKl(), last.trainAdversarial()),
                new ModelCard.Losses(last.valLoss(), last.valRecon(), last.valKl(), last.valAdversarial()));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
