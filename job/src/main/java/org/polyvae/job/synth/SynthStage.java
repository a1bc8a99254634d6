package org.polyvae.job.synth;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.util.SerializableConfiguration;
import org.polyvae.config.DataSettings;
import org.polyvae.config.PolyvaeConfig;
import org.polyvae.config.SynthSettings;
import org.polyvae.image.ContactSheet;
import org.polyvae.data.DatasetLayout;
import org.polyvae.data.LabelsCsv;
import org.polyvae.data.WindowClass;
import org.polyvae.io.AtomicOutput;
import org.polyvae.io.DataFileSystems;
import org.polyvae.io.HadoopFiles;
import org.polyvae.job.ProgressReporter;
import org.polyvae.job.output.Fingerprints;
import org.polyvae.job.output.OutputLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage {@code synth}: writes the synthetic stand-in dataset to {@code polyvae.data.dir} in the original
 * dataset's exact layout (data/README.md). Executors generate, write and FE-label the images in parallel;
 * the driver writes the label CSVs (one row per present image, ascending number) and a provenance file,
 * then moves the finished dataset into place in one rename.
 */
public final class SynthStage {
    private static final Logger LOG = LoggerFactory.getLogger(SynthStage.class);
    private static final int PREVIEW_PER_CLASS = 6;

    private final PolyvaeConfig config;
    private final SynthSettings settings;
    private final DataSettings data;

    public SynthStage(PolyvaeConfig config) {
        this.config = config;
        this.settings = config.synth();
        this.data = config.data();
    }

    /** Whether polyvae.data.dir already exists as a non-empty folder. */
    public boolean datasetExists(JavaSparkContext sc) throws IOException {
        Path root = new Path(data.dir());
        FileSystem fs = root.getFileSystem(sc.hadoopConfiguration());
        return fs.exists(root) && fs.getFileStatus(root).isDirectory() && fs.listStatus(root).length > 0;
    }

    public SynthSummary run(JavaSparkContext sc) throws IOException {
        Path root = new Path(data.dir());
        FileSystem fs = DataFileSystems.get(root, sc.hadoopConfiguration());
        List<SynthTask> plan = SynthPlan.of(settings, data.classes());
        int slices = Math.max(1, (plan.size() + settings.imagesPerTask() - 1) / settings.imagesPerTask());
        LOG.info("synth: {} images of classes {} into {} ({} tasks)", plan.size(),
                data.classes().stream().map(WindowClass::token).toList(), fs.makeQualified(root), slices);

        try (AtomicOutput out = AtomicOutput.begin(fs, root, settings.overwrite(), "polyvae.synth.overwrite")) {
            LongAccumulator done = sc.sc().longAccumulator("synth images");
            SynthWorker worker = new SynthWorker(settings, out.tmp().toString(),
                    new SerializableConfiguration(sc.hadoopConfiguration()), done);
            List<SynthRecord> records;
            double seconds;
            try (ProgressReporter progress = ProgressReporter.start("synth", plan.size(), "images", done,
                    Duration.ofSeconds(5))) {
                records = sc.parallelize(plan, slices).mapPartitions(worker).collect();
                seconds = progress.elapsedSeconds();
            }
            writeLabels(fs, out.tmp(), records);
            SynthSummary summary = SynthSummary.of(records, seconds);
            writeProvenance(fs, out.tmp(), summary);
            out.commit();
            LOG.info("synth: wrote {}\n{}", out.target(), summary.table());
            writePreview(sc, fs, out.target(), records);
            return summary;
        }
    }

    /** One CSV per chunk, rows in ascending image number: exactly how the original aligns labels. */
    private static void writeLabels(FileSystem fs, Path root, List<SynthRecord> records) throws IOException {
        Map<WindowClass, Map<String, List<SynthRecord>>> byChunk = records.stream().collect(Collectors.groupingBy(
                SynthRecord::windowClass, TreeMap::new,
                Collectors.groupingBy(r -> DatasetLayout.chunkName(r.number()), TreeMap::new, Collectors.toList())));
        for (var perClass : byChunk.entrySet()) {
            for (var chunk : perClass.getValue().entrySet()) {
                double[] e11 = chunk.getValue().stream()
                        .sorted(Comparator.comparingInt(SynthRecord::number))
                        .mapToDouble(SynthRecord::e11).toArray();
                try (OutputStream os = fs.create(DatasetLayout.labelsFile(root, perClass.getKey(), chunk.getKey()), true)) {
                    LabelsCsv.write(e11, os);
                }
            }
        }
    }

    private void writeProvenance(FileSystem fs, Path root, SynthSummary summary) throws IOException {
        Config provenance = summary.config()
                .withValue("settings", config.config().withOnlyPath(PolyvaeConfig.ROOT).root());
        Fingerprints.write(fs, new Path(root, DatasetLayout.SYNTH_PROVENANCE), "Written by polyvae synth on " + Instant.now() + ": the "
                + "settings that made this dataset and its per-class figures. Readers of the original layout ignore "
                + "this file.", provenance);
    }

    /** The first few images of each class, read back from the published dataset, as one PNG. */
    private void writePreview(JavaSparkContext sc, FileSystem fs, Path dataset, List<SynthRecord> records)
            throws IOException {
        List<ContactSheet.Tile> tiles = new ArrayList<>();
        for (WindowClass c : data.classes()) {
            List<SynthRecord> first = records.stream().filter(r -> r.windowClass() == c)
                    .sorted(Comparator.comparingInt(SynthRecord::number)).limit(PREVIEW_PER_CLASS).toList();
            for (SynthRecord r : first) {
                Path file = DatasetLayout.imageFile(dataset, c, DatasetLayout.chunkName(r.number()), r.number());
                try (InputStream in = fs.open(file)) {
                    tiles.add(new ContactSheet.Tile(ImageIO.read(in),
                            String.format(Locale.ROOT, "%s µm, E11 %.1f", c.token(), r.e11())));
                }
            }
        }
        Path preview = new OutputLayout(config).synthPreview();
        HadoopFiles.write(preview.getFileSystem(sc.hadoopConfiguration()), preview,
                os -> ContactSheet.writePng(ContactSheet.render(tiles, PREVIEW_PER_CLASS, 128), os));
        LOG.info("synth: preview of the classes in {}", preview);
    }
}
