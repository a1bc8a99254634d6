package org.polyvae.job.sweep;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.polyvae.config.PolyvaeConfig;
import org.polyvae.io.HadoopFiles;
import org.polyvae.job.output.Evaluation;
import org.polyvae.job.output.OutputLayout;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Ranks the runs of a sweep (submit/sweep.sh): every {@code <sweep>/<preset>/evaluation/evaluation.json},
 * best first by the raw samples' KID ratio (the model's own output; a post-step such as tessellation is a
 * column of its own), then by their Fréchet ratio and confident share. Writes {@code ranking.csv}
 * and {@code ranking.md} to the sweep folder and prints the Markdown table. A preset without an evaluation
 * is listed last with the reason from its {@code status} file.
 */
@Command(name = "sweep-ranking", mixinStandardHelpOptions = true,
        description = "Rank the presets of a polyvae sweep by the evaluate stage's figures.")
public final class SweepRanking implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SWEEP_DIR", description = "The sweep folder (local path or Hadoop URI).")
    String sweepDir;

    /** One preset's figures (null when it has no evaluation). */
    record Row(String preset, String status, Double kidRatio, Double ratio, Double confident, Double tessellatedKidRatio,
            Double tessellatedRatio,
            Double tessellatedConfident, Double grains, Double flat, Double largestGrain, Double e11W1, Double memorised, Double judgeAccuracy,
            Double requestedClass, Double tessellatedRequestedClass) {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new SweepRanking()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        Path dir = new Path(sweepDir);
        FileSystem fs = dir.getFileSystem(new Configuration());
        if (!fs.isDirectory(dir)) {
            System.err.println("sweep-ranking: " + dir + " is not a folder");
            return 2;
        }
        List<Row> rows = new ArrayList<>();
        for (FileStatus st : fs.listStatus(dir)) {
            if (st.isDirectory() && !st.getPath().getName().equals(OutputLayout.JUDGE)) {
                rows.add(read(fs, st.getPath()));
            }
        }
        if (rows.isEmpty()) {
            System.err.println("sweep-ranking: no preset folders in " + dir);
            return 2;
        }
        List<Row> ranked = rank(rows);
        HadoopFiles.writeStringAtomically(fs, new Path(dir, "ranking.csv"), csv(ranked));
        String md = markdown(ranked);
        HadoopFiles.writeStringAtomically(fs, new Path(dir, "ranking.md"), md);
        System.out.print(md);
        return 0;
    }

    /** A preset's row: its status file, and the figures of its evaluation (in the preset's default layout). */
    static Row read(FileSystem fs, Path presetDir) throws IOException {
        String name = presetDir.getName();
        Path status = new Path(presetDir, "status");
        String state = fs.exists(status) ? HadoopFiles.readString(fs, status).trim() : "unknown";
        Path json = OutputLayout.evaluationJson(presetLayout(presetDir).evaluation());
        if (!fs.exists(json)) {
            return new Row(name, state.equals("ok") ? "no " + Evaluation.FILE : state, null, null, null, null, null,
                    null, null, null, null, null, null, null, null, null);
        }
        Evaluation e = Evaluation.read(fs, json);
        Evaluation.SampleSet raw = set(e, "raw");
        Evaluation.SampleSet tess = set(e, "tessellated");
        if (raw == null) {
            throw new IOException(json + " has no \"raw\" entry in \"sets\"");
        }
        Evaluation.Microstructure all = raw.microstructure() == null ? null : raw.microstructure().stream()
                .filter(m -> "generated".equals(m.source()) && "all".equals(m.windowClass()))
                .reduce((first, second) -> second).orElse(null);
        return new Row(name, state, kidRatio(raw), ratio(raw), num(raw.confidentShare()), kidRatio(tess), ratio(tess),
                tess == null ? null : num(tess.confidentShare()),
                all == null ? null : num(all.grainsPerImage()), all == null ? null : num(all.flatPixelShare()),
                all == null ? null : num(all.largestGrainShare()),
                raw.e11() == null ? null : num(raw.e11().w1Gpa()),
                raw.nearestTraining() == null ? null : num(raw.nearestTraining().shareBelowHeldOutP5()),
                e.judge() == null ? null : num(e.judge().accuracy()), agreement(raw), agreement(tess));
    }

    /** Where a preset's run put its outputs: sweep.sh sets only polyvae.output.dir, the folders in it are the defaults. */
    private static OutputLayout presetLayout(Path presetDir) {
        return new OutputLayout(PolyvaeConfig.load(List.of(), List.of("polyvae.output.dir=" + presetDir)));
    }

    private static Double ratio(Evaluation.SampleSet set) {
        return set == null || set.frechet() == null ? null : num(set.frechet().ratio());
    }

    private static Double kidRatio(Evaluation.SampleSet set) {
        return set == null || set.kid() == null ? null : num(set.kid().ratio());
    }

    /** Share of a conditional model's samples filed under their requested class; null for an unconditional one. */
    private static Double agreement(Evaluation.SampleSet set) {
        return set == null || set.conditioning() == null ? null : num(set.conditioning().agreement());
    }

    static List<Row> rank(List<Row> rows) {
        return rows.stream().sorted(Comparator
                .comparing((Row r) -> r.kidRatio() == null ? Double.POSITIVE_INFINITY : r.kidRatio())
                .thenComparing(r -> r.ratio() == null ? Double.POSITIVE_INFINITY : r.ratio())
                .thenComparing(r -> r.confident() == null ? 0 : -r.confident())
                .thenComparing(Row::preset)).toList();
    }

    static String markdown(List<Row> ranked) {
        StringBuilder b = new StringBuilder("| rank | preset | KID ratio | Fréchet ratio | confident "
                + "| KID ratio (tessellated post-step) | Fréchet ratio (tessellated post-step) "
                + "| confident (tessellated post-step) | grains/image | flat pixels | largest grain | E11 W1 (GPa) | memorised "
                + "| judge accuracy | requested class | requested class (tessellated post-step) |\n"
                + "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        int rank = 1;
        for (Row r : ranked) {
            if (r.ratio() == null) {
                b.append("| – | ").append(r.preset()).append(" | ").append(r.status()).append(" ||||||||||||||\n");
                continue;
            }
            b.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    rank++, r.preset(), f(r.kidRatio(), "%.1f"), f(r.ratio(), "%.2f"), f(r.confident(), "%.2f"),
                    f(r.tessellatedKidRatio(), "%.1f"), f(r.tessellatedRatio(), "%.2f"),
                    f(r.tessellatedConfident(), "%.2f"), f(r.grains(), "%.1f"), f(r.flat(), "%.3f"), f(r.largestGrain(), "%.3f"),
                    f(r.e11W1(), "%.2f"), f(r.memorised(), "%.2f"), f(r.judgeAccuracy(), "%.2f"),
                    f(r.requestedClass(), "%.2f"), f(r.tessellatedRequestedClass(), "%.2f")));
        }
        return b.toString();
    }

    static String csv(List<Row> ranked) throws IOException {
        StringBuilder b = new StringBuilder();
        try (CSVPrinter csv = new CSVPrinter(b, CSVFormat.DEFAULT.builder().setRecordSeparator('\n').build())) {
            csv.printRecord("rank", "preset", "status", "kid_ratio", "frechet_ratio", "confident_share",
                    "kid_ratio_tessellated", "frechet_ratio_tessellated",
                    "confident_share_tessellated", "grains_per_image", "flat_pixel_share", "largest_grain_share", "e11_w1_gpa",
                    "memorised_share", "judge_accuracy", "requested_class_agreement",
                    "requested_class_agreement_tessellated");
            int rank = 1;
            for (Row r : ranked) {
                // null, not "": an empty cell unquoted, also at the start of a line.
                List<String> cells = new ArrayList<>(Arrays.asList(r.ratio() == null ? null : String.valueOf(rank++),
                        r.preset(), r.status()));
                for (Double v : new Double[] {r.kidRatio(), r.ratio(), r.confident(), r.tessellatedKidRatio(),
                        r.tessellatedRatio(), r.tessellatedConfident(),
                        r.grains(), r.flat(), r.largestGrain(), r.e11W1(), r.memorised(), r.judgeAccuracy(), r.requestedClass(),
                        r.tessellatedRequestedClass()}) {
                    cells.add(v == null ? null : String.format(Locale.ROOT, "%.6g", v));
                }
                csv.printRecord(cells);
            }
        }
        return b.toString();
    }

    private static Evaluation.SampleSet set(Evaluation e, String name) {
        return e.sets() == null ? null : e.sets().stream().filter(s -> name.equals(s.set())).findFirst().orElse(null);
    }

    /** A figure, or null where it has no value (written as NaN). */
    private static Double num(Double v) {
        return v == null || !Double.isFinite(v) ? null : v;
    }

    private static String f(Double v, String format) {
        return v == null ? "–" : String.format(Locale.ROOT, format, v);
    }
}
