package org.polyvae.job.sample;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.polyvae.config.ConfigError;
import org.polyvae.config.PolyvaeConfig;
import org.polyvae.config.SampleSettings;
import org.polyvae.image.ContactSheet;
import org.polyvae.data.DatasetIndex;
import org.polyvae.data.DatasetScanner;
import org.polyvae.image.GrayImages;
import org.polyvae.data.LabeledImage;
import org.polyvae.data.WindowClass;
import org.polyvae.io.AtomicOutput;
import org.polyvae.job.data.DatasetReader;
import org.polyvae.metrics.GrainStatistics;
import org.polyvae.model.VaeArchitecture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage {@code sample}: {@code polyvae.sample.count} latent vectors z ~ N(0, temperature² I) decoded by the
 * trained decoder ({@code <output.dir>/model/decoder.zip}) into {@code sample-NNN.png} (raw decoder output,
 * 8-bit gray at the model resolution), optional {@code tessellated/} and {@code view/} copies,
 * {@code manifest.csv} (file, seed, z), contact sheets and {@code statistics.csv} (sharpness and grains per
 * image of the raw and tessellated samples next to the training data's). A class-conditional model draws
 * the classes of {@code polyvae.sample.classes} in turn (all it was trained on by default); the manifest
 * then says each sample's class and the statistics compare class by class. Small counts run on the driver,
 * large ones partition by partition on the executors. Everything is written into a temporary sibling
 * folder and renamed into place only when complete.
 */
public final class SampleStage {
    private static final Logger LOG = LoggerFactory.getLogger(SampleStage.class);
    private static final int SHEET_MAX = 200;
    /** Real images per class that statistics.csv compares the samples with. */
    private static final int TRAINING_IMAGES_PER_CLASS = 200;

    private final PolyvaeConfig config;
    private final SampleSettings s;
    private final SampleFiles files;

    public SampleStage(PolyvaeConfig config) {
        this(config, null);
    }

    /** @param files how sample files are written (tests inject failures); null = the standard writer */
    SampleStage(PolyvaeConfig config, SampleFiles files) {
        this.config = config;
        this.s = config.sample();
        this.files = files != null ? files
                : new SampleFiles(s);
    }

    /** One written sample: its index and pixels (raw and tessellated), for the sheets and statistics. */
    record Written(int index, byte[] raw, byte[] tessellated) implements java.io.Serializable {
    }

    public Path run(JavaSparkContext sc) throws IOException {
        Path model = new Path(new Path(config.output().dir()), "model/decoder.zip");
        FileSystem modelFs = model.getFileSystem(sc.hadoopConfiguration());
        if (!modelFs.exists(model)) {
            throw new IllegalStateException("no trained decoder at " + modelFs.makeQualified(model)
                    + ": run stage train first (or point polyvae.output.dir at a trained model)");
        }
        byte[] zip;
        try (InputStream in = modelFs.open(model)) {
            zip = in.readAllBytes();
        }
        ComputationGraph decoder = LatentSampler.restore(zip);
        int[] classes = classesToDraw(s, VaeArchitecture.isConditional(decoder),
                trainedClasses(modelFs, new Path(model.getParent(), "config.conf")));
        Path target = new Path(s.dir());
        FileSystem fs = target.getFileSystem(sc.hadoopConfiguration());
        LatentSampler sampler = new LatentSampler(decoder, s.seed(), s.temperature(), classes);
        try (AtomicOutput out = AtomicOutput.begin(fs, target, s.overwrite(), "polyvae.sample.overwrite")) {
            List<Written> written = s.count() <= s.driverMax()
                    ? onDriver(sampler, fs, out.tmp())
                    : onExecutors(sc, zip, classes, out.tmp());
            int size = (int) Math.round(Math.sqrt(written.get(0).raw().length));
            SampleManifest.write(fs, out.tmp(), s.count(), s.seed(), files, sampler);
            writeSheets(fs, out.tmp(), written, size, sampler);
            String stats = statistics(sc, written, size, sampler);
            try (OutputStream os = fs.create(new Path(out.tmp(), "statistics.csv"), true)) {
                os.write(stats.getBytes(StandardCharsets.UTF_8));
            }
            out.commit();
            LOG.info("sample: wrote {} samples ({} px{}) to {}\n{}", s.count(), size,
                    classes.length > 0 ? ", classes " + java.util.Arrays.toString(classes) + " µm in turn" : "",
                    fs.makeQualified(target), stats);
        }
        return target;
    }

    /**
     * The window sizes (µm) the model was trained on: polyvae.data.classes of the configuration that trained
     * it (model/config.conf), or, when that file is absent, of the current configuration.
     */
    private List<Integer> trainedClasses(FileSystem fs, Path file) throws IOException {
        if (!fs.exists(file)) {
            return config.data().classes().stream().map(WindowClass::micrometres).sorted().toList();
        }
        Config trained;
        try (InputStream in = fs.open(file)) {
            trained = ConfigFactory.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8),
                    ConfigParseOptions.defaults().setOriginDescription(fs.makeQualified(file).toString()));
        }
        try {
            return trained.getIntList("polyvae.data.classes").stream().sorted().toList();
        } catch (RuntimeException e) {
            throw new IllegalStateException(fs.makeQualified(file) + " has no list polyvae.data.classes: is it the "
                    + "config.conf that stage train wrote next to the model?", e);
        }
    }

    /**
     * The window sizes (µm) sample i is drawn from in turn: none for an unconditional model; for a
     * conditional one polyvae.sample.classes, each of which the model must have been trained on, or, when
     * that is empty, every class it was trained on. A class the model cannot draw is a configuration error
     * (exit code 2, no stack trace).
     */
    static int[] classesToDraw(SampleSettings s, boolean conditional, List<Integer> trained) {
        if (!conditional) {
            if (!s.classes().isEmpty()) {
                throw new ConfigError("polyvae.sample.classes = " + s.classes() + " needs a class-conditional "
                        + "model, but this one was trained with polyvae.model.conditional = false: train one with "
                        + "polyvae.model.conditional=true, or set polyvae.sample.classes=[]");
            }
            return new int[0];
        }
        for (int um : s.classes()) {
            if (!trained.contains(um)) {
                throw new ConfigError("polyvae.sample.classes = " + s.classes() + ": the model was trained "
                        + "on the classes " + trained + " µm only, not " + um + " µm");
            }
        }
        return (s.classes().isEmpty() ? trained : s.classes()).stream().mapToInt(Integer::intValue).toArray();
    }

    private List<Written> onDriver(LatentSampler sampler, FileSystem fs, Path dir) throws IOException {
        return decodeRange(sampler, files, fs, dir, 0, s.count(), SHEET_MAX);
    }

    /** Decodes [from, to) in batches aligned to the global index; keeps the pixels of indices below keep. */
    static List<Written> decodeRange(LatentSampler sampler, SampleFiles files, FileSystem fs, Path dir, int from,
            int to, int keep) throws IOException {
        List<Written> kept = new ArrayList<>();
        for (int b = from; b < to; ) {
            int end = Math.min(to, (b / LatentSampler.BATCH + 1) * LatentSampler.BATCH);
            byte[][] images = sampler.decode(b, end);
            for (int i = 0; i < images.length; i++) {
                int size = (int) Math.round(Math.sqrt(images[i].length));
                byte[] t = files.write(fs, dir, b + i, images[i], size,
                        sampler.conditional() ? sampler.windowClass(b + i) : 0);
                if (b + i < keep) {
                    kept.add(new Written(b + i, images[i], t));
                }
            }
            b = end;
        }
        return kept;
    }

    private List<Written> onExecutors(JavaSparkContext sc, byte[] zip, int[] classes, Path dir) {
        int perTask = Math.max(LatentSampler.BATCH, s.imagesPerTask() / LatentSampler.BATCH * LatentSampler.BATCH);
        List<int[]> ranges = new ArrayList<>();
        for (int from = 0; from < s.count(); from += perTask) {
            ranges.add(new int[] {from, Math.min(s.count(), from + perTask)});
        }
        Broadcast<byte[]> decoder = sc.broadcast(zip);
        SerializableConfiguration conf = new SerializableConfiguration(sc.hadoopConfiguration());
        String dirUri = dir.toString();
        long seed = s.seed();
        double temperature = s.temperature();
        SampleFiles writer = files;
        FlatMapFunction<Iterator<int[]>, Written> work = it -> {
            List<Written> kept = new ArrayList<>();
            if (!it.hasNext()) {
                return kept.iterator();
            }
            LatentSampler sampler = new LatentSampler(decoder.value(), seed, temperature, classes);
            Path d = new Path(dirUri);
            FileSystem fs = d.getFileSystem(conf.value());
            while (it.hasNext()) {
                int[] r = it.next();
                kept.addAll(decodeRange(sampler, writer, fs, d, r[0], r[1], SHEET_MAX));
            }
            return kept.iterator();
        };
        List<Written> kept = new ArrayList<>(sc.parallelize(ranges, ranges.size()).mapPartitions(work).collect());
        kept.sort(java.util.Comparator.comparingInt(Written::index));
        decoder.destroy();
        return kept;
    }

    private void writeSheets(FileSystem fs, Path dir, List<Written> written, int size, LatentSampler sampler)
            throws IOException {
        int columns = (int) Math.ceil(Math.sqrt(written.size()));
        List<ContactSheet.Tile> raw = new ArrayList<>();
        List<ContactSheet.Tile> tess = new ArrayList<>();
        for (Written w : written) {
            String caption = sampler.conditional() ? w.index() + ": " + sampler.windowClass(w.index()) + " µm"
                    : String.valueOf(w.index());
            raw.add(new ContactSheet.Tile(ContactSheet.gray(w.raw(), size), caption));
            if (w.tessellated() != null) {
                tess.add(new ContactSheet.Tile(ContactSheet.gray(w.tessellated(), size), caption));
            }
        }
        try (OutputStream os = fs.create(new Path(dir, "contact-sheet.png"), true)) {
            ContactSheet.writePng(ContactSheet.render(raw, columns, size), os);
        }
        if (!tess.isEmpty()) {
            try (OutputStream os = fs.create(new Path(dir, "contact-sheet-tessellated.png"), true)) {
                ContactSheet.writePng(ContactSheet.render(tess, columns, size), os);
            }
        }
    }

    /**
     * Sharpness (share of pixels whose 3×3 neighbourhood is flat) and grains per image, measured as on the
     * reference figure, for the raw and tessellated samples and for up to 200 training images per class.
     */
    private String statistics(JavaSparkContext sc, List<Written> written, int size, LatentSampler sampler)
            throws IOException {
        StringBuilder sb = new StringBuilder("set,images,flat_pixel_share,grains_per_image\n");
        sb.append(row("samples (raw)", written.stream().map(Written::raw).toList(), size));
        if (s.tessellate()) {
            sb.append(row("samples (tessellated)", written.stream().map(Written::tessellated).toList(), size));
        }
        if (sampler.conditional()) {
            for (int um : java.util.stream.IntStream.range(0, written.size()).map(sampler::windowClass).distinct()
                    .sorted().toArray()) {
                List<Written> of = written.stream().filter(w -> sampler.windowClass(w.index()) == um).toList();
                String token = WindowClass.ofMicrometres(um).token();
                sb.append(row("samples (raw) " + token, of.stream().map(Written::raw).toList(), size));
                if (s.tessellate()) {
                    sb.append(row("samples (tessellated) " + token, of.stream().map(Written::tessellated).toList(), size));
                }
            }
        }
        try {
            // Decode only the compared subset, not the whole dataset.
            DatasetIndex index = DatasetScanner.scan(config.data().dir(), config.data().classes(), sc.hadoopConfiguration())
                    .samplePerClass(TRAINING_IMAGES_PER_CLASS, s.seed());
            List<LabeledImage> data = DatasetReader.read(sc, index, size, 0).images().collect();
            for (var c : config.data().classes()) {
                List<byte[]> imgs = data.stream().filter(d -> d.windowClass() == c).map(d -> GrayImages.toBytes(d.pixels())).toList();
                if (!imgs.isEmpty()) {
                    sb.append(row("training data " + c.token(), imgs, size));
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("sample: could not read the training data for comparison ({})", e.getMessage());
        }
        return sb.toString();
    }

    private static String row(String set, List<byte[]> images, int size) {
        double flat = 0;
        double grains = 0;
        for (byte[] g : images) {
            flat += GrainStatistics.flatPixelShare(g, size, GrainStatistics.REFERENCE_FLAT_TOLERANCE);
            grains += GrainStatistics.countGrains(g, size, GrainStatistics.REFERENCE_JUMP_THRESHOLD,
                    GrainStatistics.REFERENCE_MIN_AREA);
        }
        return String.format(Locale.ROOT, "%s,%d,%.4f,%.2f%n", set, images.size(), flat / images.size(),
                grains / images.size());
    }
}
