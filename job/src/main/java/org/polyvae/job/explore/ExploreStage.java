package org.polyvae.job.explore;

import org.polyvae.job.latent.EncodedImage;
import org.polyvae.job.latent.DatasetEncoder;
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
import org.polyvae.config.ModelSettings;
import org.polyvae.config.PolyvaeConfig;
import org.polyvae.io.AtomicOutput;
import org.polyvae.job.batches.BatchExport;
import org.polyvae.job.output.OutputLayout;
import org.polyvae.job.output.TrainedModel;
import org.polyvae.job.report.ReportPage;
import org.polyvae.model.LatentPrior;
import org.polyvae.model.RegionDecoding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage {@code explore}: encodes the exported dataset on the executors and explores the code through the
 * model's global variables ({@link GlobalVariables}: the principal axes of the learned prior, each acting on
 * the whole image): their correlation with window size, E11, grains per image, mean grain area and mean
 * gray over the dataset, traversals (with what each row measurably changes in the decoded images), the
 * manifold of the top two and the dataset scattered on them ({@link ExploreFigures}), and whether the priors draw
 * code maps shaped like the dataset's ({@link CodeMapComparison}). It also measures each
 * code variable's activity (KL per image, {@code latents.csv}) and writes everything with its report
 * section ({@link ExploreSection}: tables, architecture, hyperparameters and loss curve) into the report
 * folder, whose {@code index.html} then shows every stage's section present ({@link ReportPage}). For a
 * class-conditional model the traversals and the manifold are decoded at the largest window class, the
 * interpolations blend the class input along with z, and {@code classes.png} maps the same draws through
 * every class's prior (what the class changes).
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

        LatentPrior prior = model.prior();
        List<EncodedImage> encoded = DatasetEncoder.encode(sc, vaeZip, batches);
        LatentAnalysis a = new LatentAnalysis(encoded);
        GlobalVariables g = new GlobalVariables(prior, encoded);
        ModelSettings ms = model.settings();
        boolean conditional = ms.conditional();
        CodeMapComparison codeMaps = ms.latent() == ModelSettings.Latent.SPATIAL
                ? CodeMapComparison.of(encoded, prior, model.hasCodePrior() ? model.codePrior()
                        : null, ms.latentChannels(), ms.bottleneckSize(), ms.classCodeBlockSides(),
                        config.sample().temperature(),
                        config.sample().seed())
                : null;
        Path target = layout.report();
        FileSystem rfs = target.getFileSystem(sc.hadoopConfiguration());
        String summary;
        try (AtomicOutput report = AtomicOutput.begin(rfs, target, true, "polyvae.explore")) {
            Path dir = report.tmp();
            ExploreFigures figures = new ExploreFigures(decoder, s, RegionDecoding.Split.of(config.sample()));
            EncodedImage largest = encoded.stream().max(Comparator.comparingInt(EncodedImage::micrometres))
                    .orElseThrow();
            float[] at = conditional ? ExploreFigures.oneHot(largest.micrometres()) : null;
            ExploreFigures.Traversals traversals = figures.traversals(g, g.centre(), at);
            summary = ExploreSection.summary(g, traversals);
            writeBytes(rfs, new Path(dir, ExploreSection.TRAVERSALS), traversals.png());
            writeBytes(rfs, new Path(dir, ExploreSection.TRAVERSALS_REAL), figures.traversals(g, largest.mu(), at).png());
            writeBytes(rfs, new Path(dir, ExploreSection.MANIFOLD), figures.manifold(g, at));
            writeBytes(rfs, new Path(dir, ExploreSection.INTERPOLATIONS), figures.interpolations(encoded, conditional));
            if (conditional) {
                writeBytes(rfs, new Path(dir, ExploreSection.CLASSES), figures.classGrid(prior, config.sample().seed()));
            }
            writeBytes(rfs, new Path(dir, ExploreSection.SCATTER), ExploreFigures.scatter(encoded, g));
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
            try (Writer csv = new OutputStreamWriter(rfs.create(new Path(dir, ExploreSection.GLOBAL_CSV), true),
                    StandardCharsets.UTF_8)) {
                ExploreSection.writeGlobalCsv(csv, g, traversals);
            }
            if (codeMaps != null) {
                try (Writer csv = new OutputStreamWriter(rfs.create(new Path(dir, CodeMapComparison.CSV), true),
                        StandardCharsets.UTF_8)) {
                    codeMaps.writeCsv(csv);
                }
            }
            ExploreSection.of(s, a, g, traversals, codeMaps, encoded.size(), vae.numParams(), haveSamples, haveTessellated, conditional,
                    vae.summary(), model.configText(), model.cardMarkdown())
                    .write(rfs, dir);
            // The page goes in with the figures, next to any other stage's section already written.
            ReportPage.publish(sc.hadoopConfiguration(), config, dir);
            report.commit();
        }
        LOG.info("explore: {} images encoded, {} of {} latent variables active (KL > {} nats); {}; {}report at {}",
                encoded.size(), a.active(s.activeThreshold()), a.kl.length, s.activeThreshold(),
                summary, codeMaps == null ? "" : codeMaps.summary() + "; ",
                rfs.makeQualified(OutputLayout.reportPage(target)));
        return target;
    }
}
