package org.polyvae.data;

import java.util.Comparator;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.Path;

/**
 * The on-disk layout of the original polysilicon dataset, which polyvae reads unchanged and which the
 * synth stage reproduces:
 *
 * <pre>
 * &lt;root&gt;/Generated_Images_{L}x{L}/&lt;chunk&gt;/Labels-displacement-{L}x{L}.csv
 * &lt;root&gt;/Generated_Images_{L}x{L}/&lt;chunk&gt;/Dataset Original {L}x{L}/rve-{L}x{L}-reg2-{i}-1.jpg
 * </pre>
 *
 * The labels CSV holds one E11 value (GPa) per line, no header, one row per <em>present</em> image of
 * the chunk in ascending i. Chunk folders are named "1k", "2k", ...; polyvae's synth stage puts image
 * numbers (k-1)*1000+1 .. k*1000 in chunk "{k}k", but the reader never relies on that.
 */
public final class DatasetLayout {
    /** Images per chunk folder written by the synth stage. */
    public static final int CHUNK_SIZE = 1000;
    /**
     * The synth stage's provenance file at the dataset root (its settings and per-class figures); readers of
     * the original layout ignore it, and a real dataset has none.
     */
    public static final String SYNTH_PROVENANCE = "polyvae-synth.conf";

    private static final Pattern IMAGE_NAME = Pattern.compile("rve-(\\d+)x(\\d+)-reg2-(\\d+)-1\\.jpg");
    private static final Pattern LEADING_NUMBER = Pattern.compile("^(\\d+)");

    private DatasetLayout() {
    }

    public static String classFolderName(WindowClass c) {
        return "Generated_Images_" + c.token();
    }

    public static String imageFolderName(WindowClass c) {
        return "Dataset Original " + c.token();
    }

    public static String labelsFileName(WindowClass c) {
        return "Labels-displacement-" + c.token() + ".csv";
    }

    public static String imageFileName(WindowClass c, int number) {
        return "rve-" + c.token() + "-reg2-" + number + "-1.jpg";
    }

    /** The chunk folder the synth stage writes image number {@code number} (1-based) into. */
    public static String chunkName(int number) {
        if (number < 1) {
            throw new IllegalArgumentException("image numbers start at 1, got " + number);
        }
        return ((number - 1) / CHUNK_SIZE + 1) + "k";
    }

    public static Path classDir(Path root, WindowClass c) {
        return new Path(root, classFolderName(c));
    }

    public static Path chunkDir(Path root, WindowClass c, String chunk) {
        return new Path(classDir(root, c), chunk);
    }

    public static Path imageDir(Path root, WindowClass c, String chunk) {
        return new Path(chunkDir(root, c, chunk), imageFolderName(c));
    }

    public static Path labelsFile(Path root, WindowClass c, String chunk) {
        return new Path(chunkDir(root, c, chunk), labelsFileName(c));
    }

    public static Path imageFile(Path root, WindowClass c, String chunk, int number) {
        return new Path(imageDir(root, c, chunk), imageFileName(c, number));
    }

    /**
     * The image number i of a file named {@code rve-{L}x{L}-reg2-{i}-1.jpg} for class {@code c}, or empty
     * when the name does not follow that pattern (or names another class).
     */
    public static OptionalInt parseImageNumber(WindowClass c, String fileName) {
        Matcher m = IMAGE_NAME.matcher(fileName);
        if (!m.matches()) {
            return OptionalInt.empty();
        }
        int l1 = Integer.parseInt(m.group(1));
        int l2 = Integer.parseInt(m.group(2));
        if (l1 != c.micrometres() || l2 != c.micrometres()) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(Integer.parseInt(m.group(3)));
    }

    /** Orders chunk folder names naturally ("2k" before "10k"), falling back to plain string order. */
    public static final Comparator<String> CHUNK_ORDER = Comparator
            .comparingLong(DatasetLayout::leadingNumber)
            .thenComparing(Comparator.naturalOrder());

    private static long leadingNumber(String name) {
        Matcher m = LEADING_NUMBER.matcher(name);
        return m.find() ? Long.parseLong(m.group(1)) : Long.MAX_VALUE;
    }
}
