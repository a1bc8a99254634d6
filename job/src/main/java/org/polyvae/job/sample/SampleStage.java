package org.polyvae.job.sample;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.math3.stat.StatUtils;
import java.util.stream.IntStream;
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
import org.polyvae.data.Seeds;
import org.polyvae.data.WindowClass;
import org.polyvae.io.AtomicOutput;
import org.polyvae.io.HadoopFiles;
import org.polyvae.job.output.OutputLayout;
import org.polyvae.job.output.SampleManifest;
import org.polyvae.job.output.TrainedModel;
import org.polyvae.metrics.GrainStatistics;
import org.polyvae.model.AutoregressivePrior;
import org.polyvae.model.Decoders;
import org.polyvae.model.LatentPrior;
import org.polyvae.model.NativeThreads;
import org.polyvae.model.RegionDecoding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage {@code sample}: {@code polyvae.sample.count} latent vectors decoded by the trained decoder
 * ({@code <output.dir>/model/decoder.zip}); z is drawn from the learned prior of the sample's class
 * (model/prior.bin, its spread scaled by the temperature), with polyvae.sample.prior=autoregressive from the
 * autoregressive prior (model/code-prior.bin) for the classes it was trained on and the learned prior for the
 * others, or, with polyvae.sample.prior=standard, from N(0, temperature² I), into {@code sample-NNN.png} (raw decoder output,
 * 8-bit gray at the model resolution), optional {@code tessellated/} and {@code view/} copies,
 * {@code manifest.csv} (file, seed, z), contact sheets and {@code statistics.csv} (sharpness and grains per
 * image of the raw and tessellated samples; stage evaluate compares samples with real images). A
 * class-conditional model draws the classes of {@code polyvae.sample.classes} in turn (all it was trained on
 * by default); the manifest then says each sample's class and the statistics are per class too. Small counts run on the driver,
 * large ones partition by partition on the executors. Everything is written into a temporary sibling
 * folder and renamed into place only when complete.
 */
public final class SampleStage {
    private static final Logger LOG = LoggerFactory.getLogger(SampleStage.class);
    private static final int SHEET_MAX = 200;

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
    record Written(int sample, byte[] raw, byte[] tessellated) implements java.io.Serializable {
    }

    public Path run(JavaSparkContext sc) throws IOException {
        OutputLayout layout = new OutputLayout(config);
        Path modelDir = layout.model();
        TrainedModel model = TrainedModel.load(modelDir.getFileSystem(sc.hadoopConfiguration()), modelDir);
        byte[] zip = model.decoderZip();
        ComputationGraph decoder = model.decoder();
        int codeLength = model.settings().codeLength();
        int[] classes = classesToDraw(s, model.settings().conditional(), model.classes());
        Path target = layout.samples();
        FileSystem fs = target.getFileSystem(sc.hadoopConfiguration());
        // The autoregressive prior has no E11 to condition on: a target draws every class from the Gaussian given E11.
        boolean autoregressive = s.prior() == SampleSettings.Prior.AUTOREGRESSIVE && s.e11Target() == null;
        if (s.prior() == SampleSettings.Prior.AUTOREGRESSIVE && s.e11Target() != null) {
            LOG.info("sample: polyvae.sample.e11-target = {} GPa: every sample from the learned Gaussian given E11 "
                    + "(the autoregressive prior has no E11 to condition on)", s.e11Target());
        }
        AutoregressivePrior codePrior = autoregressive ? model.codePriorToDraw() : null;
        if (autoregressive && codePrior == null) {
            LOG.info("sample: the model's autoregressive prior draws none of its classes (polyvae.train.prior.classes "
                    + "of its training run); every sample from the learned Gaussian");
        }
        // Every class the autoregressive prior does not draw (polyvae.train.prior.classes) is the Gaussian's.
        boolean gaussian = s.prior() != SampleSettings.Prior.STANDARD
                && (codePrior == null || Arrays.stream(classes).anyMatch(um -> !codePrior.covers(um)));
        LatentPrior prior = gaussian ? model.prior() : null;
        for (int um : classes) {
            if (codePrior != null && codePrior.covers(um)) {
                continue;
            }
            if (prior != null && !prior.covers(um)) {
                throw new ConfigError("the learned prior in " + model.dir() + " has no Gaussian for " + um + " µm "
                        + "windows (no training image of that class): leave it out of polyvae.sample.classes, or "
                        + "draw from N(0, I) with polyvae.sample.prior=standard");
            }
        }
        if (!Decoders.regionDecoding(decoder)) {
            String decoding = model.settings().grayDecoding().configValue();
            if (s.minRegionPixels() > 0) {
                throw new ConfigError("polyvae.sample.min-region-pixels = " + s.minRegionPixels() + " applies to "
                        + "region decoding, but the model in " + model.dir() + " was trained with "
                        + "polyvae.model.gray-decoding = " + decoding + ": set min-region-pixels = 0");
            }
            if (s.absorbThinRegions()) {
                throw new ConfigError("polyvae.sample.absorb-thin-regions = true applies to region decoding, but the "
                        + "model in " + model.dir() + " was trained with polyvae.model.gray-decoding = " + decoding
                        + ": set absorb-thin-regions = false");
            }
        }
        LatentSampler sampler = new LatentSampler(decoder, codeLength, s.seed(), s.temperature(), classes, prior,
                codePrior, s.e11Target()).withDecoding(RegionDecoding.Split.of(s), cleanup(s));
        try (AtomicOutput out = AtomicOutput.begin(fs, target, s.overwrite(), "polyvae.sample.overwrite")) {
            List<Written> written = s.count() <= s.driverMax()
                    ? onDriver(sampler, fs, out.tmp())
                    : onExecutors(sc, zip, codeLength, classes, prior,
                            codePrior == null ? null : model.codePriorBytes(), out.tmp());
            int size = (int) Math.round(Math.sqrt(written.get(0).raw().length));
            SampleManifest.write(fs, out.tmp(), codeLength, sampler.conditional(), s.e11Target(),
                    Decoders.regionDecoding(decoder) ? describeDecoding(s) : null,
                    () -> IntStream.range(0, s.count())
                    .mapToObj(i -> new SampleManifest.Row(files.name(i), Seeds.sample(s.seed(), i),
                            sampler.conditional() ? sampler.windowClass(i) : null, sampler.latent(i)))
                    .iterator());
            writeSheets(fs, out.tmp(), written, size, sampler);
            String stats = statistics(written, size, sampler);
            HadoopFiles.writeString(fs, OutputLayout.sampleStatistics(out.tmp()), stats);
            out.commit();
            LOG.info("sample: wrote {} samples ({} px{}) to {}\n{}", s.count(), size,
                    classes.length > 0 ? ", classes " + java.util.Arrays.toString(classes) + " µm in turn" : "",
                    fs.makeQualified(target), stats);
        }
        return target;
    }

    /** How region decoding made the samples' regions, and what it then removed, in words for the manifest. */
    private static String describeDecoding(SampleSettings s) {
        String cleanup = cleanup(s).describe();
        return RegionDecoding.Split.of(s).describe() + (cleanup == null ? "" : " and " + cleanup);
    }

    /** What region decoding then does with small and thin regions: min-region-pixels and absorb-thin-regions. */
    private static RegionDecoding.Cleanup cleanup(SampleSettings s) {
        return new RegionDecoding.Cleanup(s.minRegionPixels(), s.absorbThinRegions());
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

    private List<Written> onExecutors(JavaSparkContext sc, byte[] zip, int codeLength, int[] classes,
            LatentPrior prior, byte[] codePrior, Path dir) {
        int perTask = Math.max(LatentSampler.BATCH, s.imagesPerTask() / LatentSampler.BATCH * LatentSampler.BATCH);
        List<int[]> ranges = new ArrayList<>();
        for (int from = 0; from < s.count(); from += perTask) {
            ranges.add(new int[] {from, Math.min(s.count(), from + perTask)});
        }
        Broadcast<byte[]> decoder = sc.broadcast(zip);
        // The prior's covariances are megabytes: once per executor, not once per task.
        Broadcast<LatentPrior> learned = prior == null ? null : sc.broadcast(prior);
        Broadcast<byte[]> autoregressive = codePrior == null ? null : sc.broadcast(codePrior);
        SerializableConfiguration conf = new SerializableConfiguration(sc.hadoopConfiguration());
        String dirUri = dir.toString();
        long seed = s.seed();
        double temperature = s.temperature();
        Double e11Target = s.e11Target();
        RegionDecoding.Split split = RegionDecoding.Split.of(s);
        RegionDecoding.Cleanup cleanup = cleanup(s);
        SampleFiles writer = files;
        FlatMapFunction<Iterator<int[]>, Written> work = it -> {
            List<Written> kept = new ArrayList<>();
            if (!it.hasNext()) {
                return kept.iterator();
            }
            NativeThreads.useConfigured();
            LatentSampler sampler = new LatentSampler(decoder.value(), codeLength, seed, temperature, classes,
                    learned == null ? null : learned.value(), autoregressive == null ? null
                    : AutoregressivePrior.read(new java.io.ByteArrayInputStream(autoregressive.value()),
                            "the broadcast autoregressive prior"), e11Target).withDecoding(split, cleanup);
            Path d = new Path(dirUri);
            FileSystem fs = d.getFileSystem(conf.value());
            while (it.hasNext()) {
                int[] r = it.next();
                kept.addAll(decodeRange(sampler, writer, fs, d, r[0], r[1], SHEET_MAX));
            }
            return kept.iterator();
        };
        List<Written> kept = new ArrayList<>(sc.parallelize(ranges, ranges.size()).mapPartitions(work).collect());
        kept.sort(java.util.Comparator.comparingInt(Written::sample));
        decoder.destroy();
        if (learned != null) {
            learned.destroy();
        }
        if (autoregressive != null) {
            autoregressive.destroy();
        }
        return kept;
    }

    private void writeSheets(FileSystem fs, Path dir, List<Written> written, int size, LatentSampler sampler)
            throws IOException {
        int columns = (int) Math.ceil(Math.sqrt(written.size()));
        List<ContactSheet.Tile> raw = new ArrayList<>();
        List<ContactSheet.Tile> tess = new ArrayList<>();
        for (Written w : written) {
            String caption = sampler.conditional() ? w.sample() + ": " + sampler.windowClass(w.sample()) + " µm"
                    : String.valueOf(w.sample());
            raw.add(new ContactSheet.Tile(ContactSheet.gray(w.raw(), size), caption));
            if (w.tessellated() != null) {
                tess.add(new ContactSheet.Tile(ContactSheet.gray(w.tessellated(), size), caption));
            }
        }
        HadoopFiles.write(fs, OutputLayout.contactSheet(dir),
                os -> ContactSheet.writePng(ContactSheet.render(raw, columns, size), os));
        if (!tess.isEmpty()) {
            HadoopFiles.write(fs, OutputLayout.tessellatedContactSheet(dir),
                    os -> ContactSheet.writePng(ContactSheet.render(tess, columns, size), os));
        }
    }

    /**
     * Sharpness (share of pixels whose 3×3 neighbourhood is flat) and grains per image of the raw and
     * tessellated samples, measured as on the reference figure, per drawn class for a conditional model.
     * The real images' figures, measured the same way, are the evaluate stage's (evaluation.json).
     */
    private String statistics(List<Written> written, int size, LatentSampler sampler) throws IOException {
        StringBuilder sb = new StringBuilder();
        CSVFormat format = CSVFormat.DEFAULT.builder().setRecordSeparator('\n')
                .setHeader("set", "images", "flat_pixel_share", "grains_per_image").build();
        try (CSVPrinter csv = new CSVPrinter(sb, format)) {
            row(csv, "samples (raw)", written.stream().map(Written::raw).toList(), size);
            if (s.tessellate()) {
                row(csv, "samples (tessellated)", written.stream().map(Written::tessellated).toList(), size);
            }
            if (sampler.conditional()) {
                for (int um : written.stream().mapToInt(w -> sampler.windowClass(w.sample())).distinct().sorted()
                        .toArray()) {
                    List<Written> of = written.stream().filter(w -> sampler.windowClass(w.sample()) == um).toList();
                    String token = WindowClass.ofMicrometres(um).token();
                    row(csv, "samples (raw) " + token, of.stream().map(Written::raw).toList(), size);
                    if (s.tessellate()) {
                        row(csv, "samples (tessellated) " + token, of.stream().map(Written::tessellated).toList(), size);
                    }
                }
            }
        }
        return sb.toString();
    }

    private static void row(CSVPrinter csv, String set, List<byte[]> images, int size) throws IOException {
        double flat = StatUtils.mean(images.stream().mapToDouble(g -> GrainStatistics.flatPixelShare(g, size,
                GrainStatistics.REFERENCE_FLAT_TOLERANCE)).toArray());
        double grains = StatUtils.mean(images.stream().mapToDouble(g -> GrainStatistics.countGrains(g, size,
                GrainStatistics.REFERENCE_JUMP_THRESHOLD, GrainStatistics.REFERENCE_MIN_AREA)).toArray());
        csv.printRecord(set, images.size(), String.format(Locale.ROOT, "%.4f", flat),
                String.format(Locale.ROOT, "%.2f", grains));
    }
}
