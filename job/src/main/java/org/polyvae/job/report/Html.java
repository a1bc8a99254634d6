package org.polyvae.job.report;

/** Escaping for the static HTML pages the stages write. */
public final class Html {
    private Html() {
    }

    public static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
