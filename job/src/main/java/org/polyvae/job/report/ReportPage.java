package org.polyvae.job.report;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.polyvae.io.HadoopFiles;
import org.polyvae.config.PolyvaeConfig;

/**
 * The report page, {@value #FILE}: every {@link Section} present, in pipeline order, rendered in this one
 * place. A figure in the page's own folder is linked; one elsewhere (another stage's folder, possibly on
 * another file system) is inlined as PNG data, so the page never points outside its folder.
 */
public final class ReportPage {
    public static final String FILE = "index.html";
    static final String TITLE = "polyvae report";
    private static final String STYLE = "body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}"
            + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}"
            + "th{background:#eee}pre{background:#f6f6f6;padding:1em;overflow:auto;font-size:12px}"
            + "img{max-width:100%}.strong{background:#ffe9a8}";

    private ReportPage() {
    }

    /** Renders the report into {@code polyvae.explore.dir} from every section present. */
    public static void publish(Configuration hadoop, PolyvaeConfig config) throws IOException {
        publish(hadoop, config, new Path(config.explore().dir()));
    }

    /**
     * Renders the report into {@code reportDir}, which stands for polyvae.explore.dir (explore renders into
     * its temporary folder before swapping it in).
     */
    public static void publish(Configuration hadoop, PolyvaeConfig config, Path reportDir) throws IOException {
        // Pipeline order; explore's section lives in the report folder itself.
        write(hadoop, TITLE, reportDir, List.of(reportDir, new Path(config.evaluate().dir())));
    }

    /**
     * Writes {@value #FILE} into {@code pageDir} from the sections in {@code sectionDirs} (in that order;
     * a folder without a section is left out). Written beside and renamed over: a reader sees the old page
     * or the new one, never half of one.
     */
    public static void write(Configuration hadoop, String title, Path pageDir, List<Path> sectionDirs)
            throws IOException {
        FileSystem pageFs = pageDir.getFileSystem(hadoop);
        Path page = pageFs.makeQualified(pageDir);
        List<Section> sections = new ArrayList<>();
        List<FigureSource> sources = new ArrayList<>();
        for (Path dir : sectionDirs) {
            FileSystem fs = dir.getFileSystem(hadoop);
            Section s = Section.read(fs, dir);
            if (s != null) {
                sections.add(s);
                Path qualified = fs.makeQualified(dir);
                sources.add(qualified.equals(page) ? file -> file : file -> inline(fs, new Path(qualified, file)));
            }
        }
        HadoopFiles.writeStringAtomically(pageFs, new Path(page, FILE), render(title, sections, sources));
    }

    /** What a figure's img src is: its file name, or its bytes inlined. */
    @FunctionalInterface
    interface FigureSource {
        String src(String file) throws IOException;
    }

    private static String inline(FileSystem fs, Path png) throws IOException {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(HadoopFiles.readBytes(fs, png));
    }

    /** @param sources where each section's figures come from, one per section */
    static String render(String title, List<Section> sections, List<FigureSource> sources) throws IOException {
        StringBuilder b = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(Html.esc(title)).append("</title>\n<style>").append(STYLE).append("</style></head><body>\n")
                .append("<h1>").append(Html.esc(title)).append("</h1>\n");
        for (int i = 0; i < sections.size(); i++) {
            b.append("<h2>").append(Html.esc(sections.get(i).title())).append("</h2>\n");
            blocks(b, sections.get(i).body(), sources.get(i));
        }
        for (int i = 0; i < sections.size(); i++) {
            blocks(b, sections.get(i).appendix(), sources.get(i));
        }
        return b.append("</body></html>\n").toString();
    }

    private static void blocks(StringBuilder b, List<Block> blocks, FigureSource figures) throws IOException {
        for (Block block : blocks) {
            // Java 17: no pattern matching in switch yet.
            if (block instanceof Block.Heading h) {
                b.append("<h").append(h.level()).append('>').append(Html.esc(h.text())).append("</h").append(h.level())
                        .append(">\n");
            } else if (block instanceof Block.Paragraph p) {
                b.append("<p>");
                p.spans().forEach(s -> span(b, s));
                b.append("</p>\n");
            } else if (block instanceof Block.Figure f) {
                b.append("<img src=\"").append(Html.esc(figures.src(f.file()))).append("\" alt=\"")
                        .append(Html.esc(f.alt())).append('"');
                if (f.width() != null) {
                    b.append(" width=\"").append(f.width()).append('"');
                }
                b.append(">\n");
            } else if (block instanceof Block.Table t) {
                b.append("<table>");
                for (List<Block.Cell> row : t.rows()) {
                    b.append("<tr>");
                    row.forEach(c -> cell(b, c));
                    b.append("</tr>\n");
                }
                b.append("</table>\n");
            } else if (block instanceof Block.Items l) {
                b.append("<ul>\n");
                l.items().forEach(item -> b.append("<li>").append(Html.esc(item)).append("</li>\n"));
                b.append("</ul>\n");
            } else if (block instanceof Block.Preformatted p) {
                b.append("<pre>").append(Html.esc(p.text())).append("</pre>\n");
            }
        }
    }

    private static void span(StringBuilder b, Block.Span s) {
        switch (s.style()) {
            case TEXT -> b.append(Html.esc(s.text()));
            case CODE -> b.append("<code>").append(Html.esc(s.text())).append("</code>");
            case LINK -> b.append("<a href=\"").append(Html.esc(s.href())).append("\">").append(Html.esc(s.text()))
                    .append("</a>");
        }
    }

    private static void cell(StringBuilder b, Block.Cell c) {
        String tag = c.header() ? "th" : "td";
        b.append('<').append(tag).append(c.strong() ? " class=\"strong\">" : ">").append(Html.esc(c.text()))
                .append("</").append(tag).append('>');
    }
}
