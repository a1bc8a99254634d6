package org.polyvae.job.explore;

import org.polyvae.config.MissingInputException;
import static org.polyvae.io.HadoopFiles.readBytes;
import static org.polyvae.io.HadoopFiles.writeBytes;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.polyvae.config.ExploreSettings;
import org.polyvae.config.PolyvaeConfig;
import org.polyvae.io.AtomicOutput;
import org.polyvae.job.batches.BatchExport;
import org.polyvae.job.output.OutputLayout;
import org.polyvae.job.output.TrainedModel;
import org.polyvae.job.report.ReportPage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage {@code explore}: encodes the exported dataset on the executors, measures each latent variable's
 * activity (KL per image) and its correlation with window size, E11, grains per image and mean gray,
 * draws traversals of the most active variables and a scatter of the top two coloured by class
 * ({@link ExploreFigures}), and writes them with {@code latents.csv} and its report section
 * ({@link ExploreSection}: the tables, architecture, hyperparameters and loss curve) into the report folder,
 * whose {@code index.html} then shows every stage's section present ({@link ReportPage}). For a
 * class-conditional model the traversals and the manifold are drawn at the largest window class, the
 * interpolations blend the class input along with z, and {@code classes.png} decodes the same prior draws
 * at every window class (what the condition alone changes).
 */
public final class ExploreStage {
    private static final Logger LOG = LoggerFactory.getLogger(ExploreStage.class);

    private final PolyvaeConfig config;
    private final ExploreSettings s;

    public ExploreStage(PolyvaeConfig config) {
        this.config = config;
        this.s = config.explore();
    }

    public Path run(JavaSparkContext sc) throws IOException {
        OutputLayout layout = new OutputLayout(config);
        FileSystem fs = layout.root().getFileSystem(sc.hadoopConfiguration());
        TrainedModel model = TrainedModel.load(fs, layout.model());
        List<String> batches = new ArrayList<>(BatchExport.files(fs, layout, OutputLayout.TRAIN));
        batches.addAll(BatchExport.files(fs, layout, OutputLayout.VALIDATION));
        if (batches.isEmpty()) {
            throw new MissingInputException("no batch files under " + fs.makeQualified(layout.batches())
                    + ": run stage train first");
        }
        byte[] vaeZip = model.vaeZip();
        ComputationGraph decoder = model.decoder();
        ComputationGraph vae = model.vae();

        List<EncodedImage> encoded = DatasetEncoder.encode(sc, vaeZip, batches);
        LatentAnalysis a = new LatentAnalysis(encoded);
        boolean conditional = model.settings().conditional();
        Path target = layout.report();
        FileSystem rfs = target.getFileSystem(sc.hadoopConfiguration());
        try (AtomicOutput report = AtomicOutput.begin(rfs, target, true, "polyvae.explore")) {
            Path dir = report.tmp();
            ExploreFigures figures = new ExploreFigures(decoder, s);
            EncodedImage largest = encoded.stream().max(Comparator.comparingInt(EncodedImage::micrometres))
                    .orElseThrow();
            float[] at = conditional ? ExploreFigures.oneHot(largest.micrometres()) : null;
            writeBytes(rfs, new Path(dir, ExploreSection.TRAVERSALS), figures.traversals(a, new float[a.kl.length], at));
            writeBytes(rfs, new Path(dir, ExploreSection.TRAVERSALS_REAL), figures.traversals(a, largest.mu().clone(), at));
            writeBytes(rfs, new Path(dir, ExploreSection.MANIFOLD), figures.manifold(a, at));
            writeBytes(rfs, new Path(dir, ExploreSection.INTERPOLATIONS), figures.interpolations(encoded, conditional));
            if (conditional) {
                writeBytes(rfs, new Path(dir, ExploreSection.CLASSES),
                        figures.classGrid(a.kl.length, encoded, config.sample().seed()));
            }
            writeBytes(rfs, new Path(dir, ExploreSection.SCATTER), ExploreFigures.scatter(encoded, a));
            writeBytes(rfs, new Path(dir, ExploreSection.LOSS), readBytes(fs, OutputLayout.lossCurve(model.dir())));
            Path samples = OutputLayout.contactSheet(layout.samples());
            boolean haveSamples = fs.exists(samples);
            if (haveSamples) {
                writeBytes(rfs, new Path(dir, ExploreSection.SAMPLES), readBytes(fs, samples));
            }
            Path tessellated = OutputLayout.tessellatedContactSheet(layout.samples());
            boolean haveTessellated = haveSamples && fs.exists(tessellated);
            if (haveTessellated) {
                writeBytes(rfs, new Path(dir, ExploreSection.TESSELLATED_SAMPLES), readBytes(fs, tessellated));
            }
            try (Writer csv = new OutputStreamWriter(rfs.create(new Path(dir, ExploreSection.CSV), true),
                    StandardCharsets.UTF_8)) {
                a.writeCsv(csv);
            }
            ExploreSection.of(s, a, encoded.size(), vae.numParams(), haveSamples, haveTessellated, conditional,
                    vae.summary(), model.configText())
                    .write(rfs, dir);
            // The page goes in with the figures, next to any other stage's section already written.
            ReportPage.publish(sc.hadoopConfiguration(), config, dir);
            report.commit();
        }
        LOG.info("explore: {} images encoded, {} of {} latent variables active (KL > {} nats); report at {}",
                encoded.size(), a.active(s.activeThreshold()), a.kl.length, s.activeThreshold(),
                rfs.makeQualified(OutputLayout.reportPage(target)));
        return target;
    }
}
