package org.polyvae.job.sweep;

import org.polyvae.job.evaluate.EvaluateStage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Ranks the runs of a sweep (submit/sweep.sh): every {@code <sweep>/<preset>/evaluation/evaluation.json},
 * best first by the raw samples' Fréchet ratio, then by their confident share. Writes {@code ranking.csv}
 * and {@code ranking.md} to the sweep folder and prints the Markdown table. A preset without an evaluation
 * is listed last with the reason from its {@code status} file.
 */
@Command(name = "sweep-ranking", mixinStandardHelpOptions = true,
        description = "Rank the presets of a polyvae sweep by the evaluate stage's figures.")
public final class SweepRanking implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SWEEP_DIR", description = "The sweep folder (local path or Hadoop URI).")
    String sweepDir;

    /** One preset's figures (null when it has no evaluation). */
    record Row(String preset, String status, Double ratio, Double confident, Double tessellatedRatio,
            Double tessellatedConfident, Double grains, Double flat, Double e11W1, Double memorised, Double judgeAccuracy,
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
            if (st.isDirectory() && !st.getPath().getName().equals("evaluator")) {
                rows.add(read(fs, st.getPath()));
            }
        }
        if (rows.isEmpty()) {
            System.err.println("sweep-ranking: no preset folders in " + dir);
            return 2;
        }
        List<Row> ranked = rank(rows);
        write(fs, new Path(dir, "ranking.csv"), csv(ranked));
        String md = markdown(ranked);
        write(fs, new Path(dir, "ranking.md"), md);
        System.out.print(md);
        return 0;
    }

    static Row read(FileSystem fs, Path presetDir) throws IOException {
        String name = presetDir.getName();
        Path status = new Path(presetDir, "status");
        String state = fs.exists(status) ? text(fs, status).trim() : "unknown";
        Path json = new Path(presetDir, "evaluation/" + EvaluateStage.JSON);
        if (!fs.exists(json)) {
            return new Row(name, state.equals("ok") ? "no evaluation.json" : state, null, null, null, null, null, null,
                    null, null, null, null, null);
        }
        JsonNode e;
        try (InputStream in = fs.open(json)) {
            e = new ObjectMapper().readTree(in);
        } catch (IOException ex) {
            throw new IOException(json + " is not valid JSON: " + ex.getMessage(), ex);
        }
        JsonNode raw = set(e, "raw");
        JsonNode tess = set(e, "tessellated");
        if (raw == null) {
            throw new IOException(json + " has no \"raw\" entry in \"sets\"");
        }
        JsonNode all = null;
        for (JsonNode m : raw.path("microstructure")) {
            if (m.path("source").asText().equals("generated") && m.path("windowClass").asText().equals("all")) {
                all = m;
            }
        }
        return new Row(name, state, num(raw.at("/frechet/ratio")), num(raw.path("confidentShare")),
                tess == null ? null : num(tess.at("/frechet/ratio")), tess == null ? null : num(tess.path("confidentShare")),
                all == null ? null : num(all.path("grainsPerImage")), all == null ? null : num(all.path("flatPixelShare")),
                num(raw.at("/e11/w1Gpa")), num(raw.at("/nearestTraining/shareBelowHeldOutP5")),
                num(e.at("/judge/accuracy")), num(raw.at("/conditioning/agreement")),
                tess == null ? null : num(tess.at("/conditioning/agreement")));
    }

    static List<Row> rank(List<Row> rows) {
        return rows.stream().sorted(Comparator
                .comparing((Row r) -> r.ratio() == null ? Double.POSITIVE_INFINITY : r.ratio())
                .thenComparing(r -> r.confident() == null ? 0 : -r.confident())
                .thenComparing(Row::preset)).toList();
    }

    static String markdown(List<Row> ranked) {
        StringBuilder b = new StringBuilder("| rank | preset | Fréchet ratio | confident | Fréchet ratio (tessellated) "
                + "| confident (tessellated) | grains/image | flat pixels | E11 W1 (GPa) | memorised | judge accuracy "
                + "| requested class | requested class (tessellated) |\n"
                + "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        int rank = 1;
        for (Row r : ranked) {
            if (r.ratio() == null) {
                b.append("| – | ").append(r.preset()).append(" | ").append(r.status()).append(" |||||||||||\n");
                continue;
            }
            b.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", rank++,
                    r.preset(), f(r.ratio(), "%.2f"), f(r.confident(), "%.2f"), f(r.tessellatedRatio(), "%.2f"),
                    f(r.tessellatedConfident(), "%.2f"), f(r.grains(), "%.1f"), f(r.flat(), "%.3f"),
                    f(r.e11W1(), "%.2f"), f(r.memorised(), "%.2f"), f(r.judgeAccuracy(), "%.2f"),
                    f(r.requestedClass(), "%.2f"), f(r.tessellatedRequestedClass(), "%.2f")));
        }
        return b.toString();
    }

    static String csv(List<Row> ranked) {
        StringBuilder b = new StringBuilder("rank,preset,status,frechet_ratio,confident_share,frechet_ratio_tessellated,"
                + "confident_share_tessellated,grains_per_image,flat_pixel_share,e11_w1_gpa,memorised_share,"
                + "judge_accuracy,requested_class_agreement,requested_class_agreement_tessellated\n");
        int rank = 1;
        for (Row r : ranked) {
            b.append(r.ratio() == null ? "" : String.valueOf(rank++)).append(',').append(r.preset()).append(',')
                    .append(r.status().replace(',', ';'));
            for (Double v : new Double[] {r.ratio(), r.confident(), r.tessellatedRatio(), r.tessellatedConfident(),
                    r.grains(), r.flat(), r.e11W1(), r.memorised(), r.judgeAccuracy(), r.requestedClass(),
                    r.tessellatedRequestedClass()}) {
                b.append(',').append(v == null ? "" : String.format(Locale.ROOT, "%.6g", v));
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static JsonNode set(JsonNode e, String name) {
        for (JsonNode s : e.path("sets")) {
            if (s.path("set").asText().equals(name)) {
                return s;
            }
        }
        return null;
    }

    private static Double num(JsonNode n) {
        return n == null || !n.isNumber() ? null : n.asDouble();
    }

    private static String f(Double v, String format) {
        return v == null ? "–" : String.format(Locale.ROOT, format, v);
    }

    private static String text(FileSystem fs, Path p) throws IOException {
        try (InputStream in = fs.open(p)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Written beside, then renamed over: the old table stays whole until the new one is. */
    private static void write(FileSystem fs, Path p, String s) throws IOException {
        Path tmp = new Path(p.getParent(), "." + p.getName() + ".tmp");
        try (OutputStream os = fs.create(tmp, true)) {
            os.write(s.getBytes(StandardCharsets.UTF_8));
        }
        fs.delete(p, false);
        if (!fs.rename(tmp, p)) {
            throw new IOException("could not rename " + tmp + " to " + p);
        }
    }
}
