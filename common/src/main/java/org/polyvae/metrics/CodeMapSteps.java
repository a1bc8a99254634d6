package org.polyvae.metrics;

import java.util.List;
import java.util.function.DoubleConsumer;
import org.apache.commons.math3.special.Erf;
import org.apache.commons.math3.stat.descriptive.moment.Kurtosis;
import org.apache.commons.math3.stat.descriptive.moment.StandardDeviation;

/**
 * How piecewise-constant a set of spatial codes is, from the steps between horizontally and vertically
 * adjacent positions of the same channel of each code map (a code of length channels·side·side, laid out
 * channel by channel, row by row, as the decoder reshapes it).
 *
 * <p>Why: where a window holds a few large grains, the encoder gives each grain one value over the several
 * code positions it covers, so most steps are near 0 and a few are jumps, wherever the grains lie. A
 * Gaussian prior cannot draw such maps: every step of a Gaussian is Gaussian, and where the grains may lie
 * anywhere its covariance is nearly the same at every position, so its steps pooled over positions are
 * Gaussian too. Where the data's steps are sparse and the prior's are not, the decoder is asked for a
 * boundary at nearly every position. Two scale-free measures, per channel and averaged over the channels:
 * <ul>
 *   <li>the share of small steps, |Δ| ≤ σ/4 (σ the channel's step standard deviation over the set; a constant channel's steps are all
 *       small): for
 *       Gaussian steps 2Φ(1/4) − 1 = {@link #GAUSSIAN_SMALL_STEP_SHARE};</li>
 *   <li>the steps' excess kurtosis: 0 for Gaussian steps, large for many near-zero steps and a few jumps.</li>
 * </ul>
 */
public record CodeMapSteps(int codes, double smallStepShare, double excessKurtosis) {
    /**
     * The map of one value per {@code block} × {@code block} block of positions of a code whose resolution follows
     * its class ({@code polyvae.model.class-code-blocks}): each block's first (top-left) position, the value the
     * decoder spreads over the block; a code of channels · (side / block)² numbers, laid out like the input.
     */
    public static double[] blockGrid(double[] code, int channels, int side, int block) {
        if (block < 1 || side % block != 0 || code.length != channels * side * side) {
            throw new IllegalArgumentException("blocks of " + block + " positions do not tile a code of " + code.length
                    + " numbers as " + channels + " channels of " + side + "×" + side);
        }
        int coarse = side / block;
        double[] grid = new double[channels * coarse * coarse];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < coarse; y++) {
                for (int x = 0; x < coarse; x++) {
                    grid[(c * coarse + y) * coarse + x] = code[(c * side + y * block) * side + x * block];
                }
            }
        }
        return grid;
    }

    /** The small-step share of Gaussian steps: P(|Δ| ≤ σ/4) = erf(1/(4√2)). */
    public static final double GAUSSIAN_SMALL_STEP_SHARE = Erf.erf(0.25 / Math.sqrt(2));

    /**
     * @param codes    each a code of {@code channels · side · side} numbers
     * @throws IllegalArgumentException when there are no codes, a code has another length, or the map has no
     *                                  adjacent positions (side 1)
     */
    public static CodeMapSteps of(List<double[]> codes, int channels, int side) {
        if (codes.isEmpty()) {
            throw new IllegalArgumentException("no codes to measure the steps of");
        }
        if (channels < 1 || side < 2) {
            throw new IllegalArgumentException("a code map of " + channels + " channels of " + side + "×" + side
                    + " positions has no adjacent positions");
        }
        int length = channels * side * side;
        for (double[] z : codes) {
            if (z.length != length) {
                throw new IllegalArgumentException("a code of " + z.length + " numbers is not a map of " + channels
                        + " channels of " + side + "×" + side);
            }
        }
        // Per channel, so that channels of different spread do not make a mixture of scales out of Gaussian steps.
        double share = 0;
        double excess = 0;
        for (int c = 0; c < channels; c++) {
            int channel = c;
            StandardDeviation sd = new StandardDeviation();
            Kurtosis kurtosis = new Kurtosis();
            for (double[] z : codes) {
                forEachStep(z, channel, side, step -> {
                    sd.increment(step);
                    kurtosis.increment(step);
                });
            }
            double limit = sd.getResult() / 4;
            long[] small = new long[1];
            for (double[] z : codes) {
                forEachStep(z, channel, side, step -> {
                    if (Math.abs(step) <= limit) {
                        small[0]++;
                    }
                });
            }
            share += (double) small[0] / sd.getN() / channels;
            double k = kurtosis.getResult();
            excess += (Double.isNaN(k) ? 0 : k) / channels;
        }
        return new CodeMapSteps(codes.size(), share, excess);
    }

    private static void forEachStep(double[] z, int channel, int side, DoubleConsumer step) {
        int base = channel * side * side;
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                int at = base + y * side + x;
                if (x + 1 < side) {
                    step.accept(z[at + 1] - z[at]);
                }
                if (y + 1 < side) {
                    step.accept(z[at + side] - z[at]);
                }
            }
        }
    }
}
