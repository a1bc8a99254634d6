package org.polyvae.job.evaluate;

/**
 * Places the evaluation fragment (section.html) in the report page, whichever of explore and evaluate ran
 * last: explore embeds an existing fragment when it writes the page; evaluate splices its new fragment into
 * an existing page.
 */
public final class EvaluationSection {
    /** Name of the fragment in polyvae.evaluate.dir. */
    public static final String FILE = "section.html";

    private EvaluationSection() {
    }

    /** The page with its evaluation section replaced by (or, without one, the fragment inserted before Architecture). */
    public static String splice(String page, String fragment) {
        int begin = page.indexOf(EvaluationReport.BEGIN);
        int end = page.indexOf(EvaluationReport.END);
        if (begin >= 0 && end > begin) {
            int after = end + EvaluationReport.END.length();
            if (after < page.length() && page.charAt(after) == '\n') {
                after++;
            }
            return page.substring(0, begin) + fragment + page.substring(after);
        }
        int at = page.indexOf("<h2>Architecture</h2>");
        if (at < 0) {
            at = page.lastIndexOf("</body>");
        }
        if (at < 0) {
            throw new IllegalArgumentException("not a polyvae report page: no evaluation markers, Architecture heading "
                    + "or </body>");
        }
        return page.substring(0, at) + fragment + page.substring(at);
    }
}
