package org.polyvae.job.report;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * One piece of a report {@link Section}: what it says, not how it looks ({@link ReportPage} decides that).
 * Text is plain; the page escapes it.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({@JsonSubTypes.Type(value = Block.Heading.class, name = "heading"),
        @JsonSubTypes.Type(value = Block.Paragraph.class, name = "paragraph"),
        @JsonSubTypes.Type(value = Block.Figure.class, name = "figure"),
        @JsonSubTypes.Type(value = Block.Table.class, name = "table"),
        @JsonSubTypes.Type(value = Block.Items.class, name = "items"),
        @JsonSubTypes.Type(value = Block.Preformatted.class, name = "preformatted")})
public sealed interface Block {

    /** @param level 2..6 (the page's title is level 1) */
    record Heading(int level, String text) implements Block {
        public Heading {
            if (level < 2 || level > 6) {
                throw new IllegalArgumentException("heading level " + level + " for \"" + text + "\": expected 2..6");
            }
        }
    }

    record Paragraph(List<Span> spans) implements Block {
        public static Paragraph of(Span... spans) {
            return new Paragraph(List.of(spans));
        }

        public static Paragraph text(String text) {
            return of(Span.text(text));
        }
    }

    /**
     * A PNG image.
     *
     * @param file  path relative to the folder of the section that names it
     * @param width display width in px, or null for the image's own
     */
    record Figure(String file, String alt, Integer width) implements Block {
        public Figure {
            if (file.startsWith("/") || file.contains("..") || file.contains(":")) {
                throw new IllegalArgumentException("figure " + file + ": expected a path inside the section's folder");
            }
        }
    }

    /** Rows of cells; a header row is a row of header cells. */
    record Table(List<List<Cell>> rows) implements Block {
    }

    /** A bulleted list. */
    record Items(List<String> items) implements Block {
    }

    /** Text shown as is (monospaced, line breaks kept): a model summary, a configuration. */
    record Preformatted(String text) implements Block {
    }

    /** A run of text in a paragraph: plain, code, or a link to a file beside the page. */
    record Span(Style style, String text, String href) {
        public enum Style { TEXT, CODE, LINK }

        public static Span text(String text) {
            return new Span(Style.TEXT, text, null);
        }

        public static Span code(String text) {
            return new Span(Style.CODE, text, null);
        }

        public static Span link(String text, String href) {
            return new Span(Style.LINK, text, href);
        }
    }

    /** @param strong highlighted (a value worth the reader's attention) */
    record Cell(String text, boolean header, boolean strong) {
        public static Cell th(Object text) {
            return new Cell(String.valueOf(text), true, false);
        }

        public static Cell td(Object text) {
            return new Cell(String.valueOf(text), false, false);
        }

        public static Cell td(String text, boolean strong) {
            return new Cell(text, false, strong);
        }
    }
}
