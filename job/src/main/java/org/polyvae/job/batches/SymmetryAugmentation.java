package org.polyvae.job.batches;

import java.io.Serializable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.polyvae.data.Seeds;

/**
 * The symmetries of a grain-aggregate image that keep both its window class and its E11, drawn per image and
 * epoch for the judge's training: the eight symmetries of the square, with the grays inverted under the four
 * mirrors.
 * <ul>
 *   <li>Quarter and half turns keep every gray: a cubic crystal turned by 90° about the film normal is the same
 *   crystal. They keep E11 because a film of cubic [001] grains has C11 = C22 and C16 = −C26 exactly (an
 *   equibiaxial strain is carried affinely), so its E11 and E22 are equal.</li>
 *   <li>A mirror turns a grain's lattice angle θ into −θ, which over one period of the angle is gray 1 − g
 *   (gray linear in θ over the period, as in the stand-in); mirroring the film and its crystals keeps E11. A
 *   mirror that kept the grays would be another film, with an E11 close to but not the same.</li>
 * </ul>
 * Which transform an image gets is a hash of the seed, the epoch, the batch file's name and the image's row:
 * the same in every run and on every executor, different from epoch to epoch.
 */
public final class SymmetryAugmentation implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The four turns (0°, 90°, 180°, 270°), then the four mirrors with inverted grays. */
    static final int TRANSFORMS = 8;

    private final long seed;

    public SymmetryAugmentation(long seed) {
        this.seed = seed;
    }

    /**
     * @param images [n, 1, h, w], grays in [0, 1]
     * @param epoch the epoch being fitted (1-based)
     * @param fileName the batch file's name (not its folder, so the draws do not depend on where it lives)
     * @return a new array: image i under {@link #transform}{@code (epoch, fileName, i)}
     */
    public INDArray apply(INDArray images, int epoch, String fileName) {
        if (images.rank() != 4 || images.size(1) != 1) {
            throw new IllegalArgumentException("expected images [n, 1, h, w], got " + images.shapeInfoToString());
        }
        int n = (int) images.size(0);
        int h = (int) images.size(2);
        int w = (int) images.size(3);
        if (h != w) {
            throw new IllegalArgumentException("the symmetries of the square need square images, got " + h + " × " + w);
        }
        float[] src = images.castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[] dst = new float[src.length];
        for (int i = 0; i < n; i++) {
            transformImage(src, dst, i * h * w, h, transform(epoch, fileName, i));
        }
        return Nd4j.create(dst, new long[] {n, 1, h, w}, 'c').castTo(images.dataType());
    }

    /** Which of the {@link #TRANSFORMS} image {@code row} of {@code fileName} gets in {@code epoch}. */
    int transform(int epoch, String fileName, int row) {
        long h = Seeds.mix64(Seeds.mix64(seed ^ Seeds.mix64(epoch)) ^ fileName.hashCode());
        return (int) Long.remainderUnsigned(Seeds.mix64(h ^ row), TRANSFORMS);
    }

    /** Writes transform {@code t} of the n × n image at {@code offset} of {@code src} to the same place in {@code dst}. */
    static void transformImage(float[] src, float[] dst, int offset, int n, int t) {
        int last = n - 1;
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                float g = src[offset + y * n + x];
                switch (t) {
                    case 0 -> dst[offset + y * n + x] = g;
                    case 1 -> dst[offset + x * n + (last - y)] = g;
                    case 2 -> dst[offset + (last - y) * n + (last - x)] = g;
                    case 3 -> dst[offset + (last - x) * n + y] = g;
                    case 4 -> dst[offset + y * n + (last - x)] = 1f - g;
                    case 5 -> dst[offset + (last - y) * n + x] = 1f - g;
                    case 6 -> dst[offset + x * n + y] = 1f - g;
                    case 7 -> dst[offset + (last - x) * n + (last - y)] = 1f - g;
                    default -> throw new IllegalArgumentException("transform " + t + " of " + TRANSFORMS);
                }
            }
        }
    }
}
