package org.polyvae.job.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.polyvae.io.HadoopFiles;

/**
 * evaluation.json: every figure of the evaluate stage, machine-readable (null where a figure has no data,
 * e.g. a class no sample was assigned to). Distances of images are root-mean-square pixel differences with
 * gray in [0, 1]; E11 in GPa; the Fréchet distance is d, not d²; KID is the unbiased MMD². The headline is
 * the raw decoder output (set "raw"); a post-step (set "tessellated") is a row of its own. Written by stage evaluate, read by the
 * sweep ranking, both through {@link #write} and {@link #read}.
 */
public record Evaluation(String samples, Headline headline, Reference reference, JudgeQuality judge,
        List<SampleSet> sets) {
    public static final String FILE = "evaluation.json";

    private static final ObjectMapper JSON = OutputJson.MAPPER;

    public void write(FileSystem fs, Path file) throws IOException {
        HadoopFiles.writeBytes(fs, file, JSON.writeValueAsBytes(this));
    }

    /** @throws IOException naming the file when it cannot be read or is not an evaluation */
    public static Evaluation read(FileSystem fs, Path file) throws IOException {
        try (InputStream in = fs.open(file)) {
            return JSON.readValue(in, Evaluation.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException(file + " is not valid JSON of an evaluation: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * The raw samples (what the model itself draws) in a few figures: the ones the sweep ranks by and the log
     * line and report lead with.
     *
     * @param requestedClassAgreement null for an unconditional model's samples
     * @param realClassAgreement      the same for real images: the judge's accuracy on the real images it did
     *                                not train on, averaged over the requested classes (what the samples'
     *                                agreement is to be read against); null for an unconditional model's samples
     * @param classKidRatio           mean over the requested classes of each class's own KID ratio
     *                                ({@link Conditioning#kidPerClass}); null for an unconditional model's samples
     * @param perClass                by requested class for a conditional model, else by the judge's class
     * @param regionDecoding          how region decoding made the samples (polyvae.sample.regions, basin-merge,
     *                                min-region-pixels, absorb-thin-regions), in words; null for a model without it
     */
    public record Headline(String set, double kidRatio, double frechetRatio, Double requestedClassAgreement,
            Double realClassAgreement, Double classKidRatio, Map<String, ClassHeadline> perClass,
            String regionDecoding) {
    }

    /**
     * One class of the headline: the samples' flat-pixel share, grains per image and largest grain's share of
     * the image against the data's, and (conditional models) the share filed under the class beside the share
     * of the class's real images the judge files there, and the class's own KID ratio.
     */
    public record ClassHeadline(int images, double flatPixelShare, double dataFlatPixelShare, double grainsPerImage,
            double dataGrainsPerImage, Double requestedClassAgreement, Double realAgreement, Double kidRatio,
            double largestGrainShare, double dataLargestGrainShare, double thickGrainsPerImage,
            double dataThickGrainsPerImage) {
    }

    /**
     * The real images the feature distances are measured against.
     *
     * @param scheme          which images form the reference and which the real comparison set, in words
     * @param referenceImages images of the training split (the judge trained on them) forming the reference
     * @param realImages      held-out images available as the real comparison set (unseen by the judge, like
     *                        the samples); each set uses min(its samples, these) of each
     */
    public record Reference(String scheme, int referenceImages, int realImages, int kidSubsets, int kidSubsetSize) {
    }

    /**
     * How good the judge itself is, on the real images it never trained on: the held-out (validation) split and
     * the reference of the feature distances.
     */
    public record JudgeQuality(List<String> classes, long trainImages, int heldOutImages, int referenceImages, int epochs,
            boolean reused, double accuracy, long[][] confusion, double e11R2, double e11MaeGpa, double e11StdGpa) {

        /** The share of {@code windowClass}'s real images filed under it (NaN when there are none). */
        public double classAccuracy(String windowClass) {
            int c = classes.indexOf(windowClass);
            if (c < 0) {
                throw new IllegalArgumentException("no class " + windowClass + " among the judge's " + classes);
            }
            return diagonalShare(confusion, c);
        }

        /** Of the images of row {@code c} of a confusion matrix, the share filed under {@code c} (NaN for none). */
        public static double diagonalShare(long[][] confusion, int c) {
            long total = Arrays.stream(confusion[c]).sum();
            return total == 0 ? Double.NaN : (double) confusion[c][c] / total;
        }
    }

    /** One folder of generated images (the raw samples, or their tessellated versions) against the real ones. */
    public record SampleSet(String set, String folder, int images, Map<String, Double> classMix,
            Map<String, Double> realClassMix, double meanConfidence, double confidentShare, E11 e11, Frechet frechet,
            Kid kid, List<Microstructure> microstructure, Neighbours nearestTraining, Conditioning conditioning) {
    }

    /**
     * Samples of a class-conditional model (their class in the samples' manifest.csv): does the judge see
     * the class each was drawn for? Null for an unconditional model's samples.
     *
     * @param agreement         share of samples the judge files under their requested class
     * @param agreementPerClass the same per requested class
     * @param confusion         rows: requested class, columns: predicted class (counts), in the judge's order
     * @param microstructure    generated images grouped by requested class against the real images of that
     *                          class (source "requested"), as in {@link SampleSet#microstructure}
     * @param kidPerClass       KID of the samples requested for each class against the reference images of that
     *                          class, scaled by that class's held-out images against the same (classes with
     *                          fewer than 2 images on a side are left out)
     */
    public record Conditioning(double agreement, Map<String, Double> agreementPerClass, long[][] confusion,
            List<Microstructure> microstructure, Map<String, Kid> kidPerClass) {
    }

    /**
     * @param w1Gpa                Wasserstein-1 between the E11 predicted for the samples and the held-out
     *                             images' true E11
     * @param w1GpaPerClass        the same per class: samples by predicted class, real images by true class
     * @param judgeW1OnHeldOutGpa  the scale to read it against: W1 between the E11 the judge predicts for the
     *                             held-out images and their true E11
     * @param targetGpa            the E11 the samples were drawn toward (polyvae.sample.e11-target), or null
     * @param meanGpaPerRequestedClass the mean E11 the judge reads off the samples, per requested class (one
     *                             entry "all" for an unconditional model's)
     * @param realMeanGpaPerClass  the held-out images' mean true E11 per class, to read those against
     */
    public record E11(Double w1Gpa, Map<String, Double> w1GpaPerClass, double judgeW1OnHeldOutGpa, Double targetGpa,
            Map<String, Double> meanGpaPerRequestedClass, Map<String, Double> realMeanGpaPerClass) {
    }

    /**
     * @param generatedVsReal Fréchet distance of the samples' judge features to the reference's
     *                        ({@link Reference}: training-split images)
     * @param realVsReal      the same for as many held-out real images (disjoint from the reference, unseen
     *                        by the judge like the samples): what a generator of real images would score
     * @param ratio           generatedVsReal / realVsReal (1 = indistinguishable by this measure)
     */
    public record Frechet(double generatedVsReal, double realVsReal, double ratio, int generatedImages, int realImages,
            int referenceImages) {
    }

    /**
     * Kernel Inception Distance in the judge's features, of {@code generatedImages} samples and of as many
     * held-out real images to the same reference, over the same subsets of the reference.
     *
     * @param ratio generatedVsReal / max(|realVsReal|, its standard error): the unbiased real-vs-real
     *              estimate is near 0 and may be negative, so its size or noise is the scale
     */
    public record Kid(double generatedVsReal, double generatedStandardError, double realVsReal,
            double realStandardError, double ratio, int generatedImages, int realImages, int referenceImages,
            int subsets, int subsetSize) {
    }

    /**
     * One row per (source, class): generated images grouped by predicted class, real held-out images by true
     * class, and "all". For generated rows, grainAreaW1 and grayHistogramL1 compare with the real row of the
     * same class (L1 of the two normalised histograms, 0..2). {@code sameGrain} is the mean two-point
     * same-grain probability S2(r), r = 0, 1, ... pixels (GrainStatistics.sameGrainProbability), and
     * {@code sameGrainDistance} the root-mean-square difference to the real row's curve over r ≥ 1.
     * {@code largestGrainShare} is the mean over images of the largest grain's share of the image
     * (GrainStatistics.largestGrainShare), {@code largestGrainShareW1} the Wasserstein-1 distance between
     * those per-image shares and the real row's. {@code thickGrainsPerImage} counts only the grains with an
     * interior pixel (GrainStatistics.thickGrainCount): without the one- or two-pixel lines that the real
     * images' blended boundaries form and {@code grainsPerImage} counts as grains.
     */
    public record Microstructure(String source, String windowClass, int images, double grainsPerImage, double meanGrainArea,
            Double grainAreaW1, double flatPixelShare, double[] grayHistogram, Double grayHistogramL1,
            double[] sameGrain, Double sameGrainDistance, double largestGrainShare, Double largestGrainShareW1,
            double thickGrainsPerImage) {
    }

    /**
     * Nearest training image of each sample, and of each held-out real image (the scale): a generator that
     * memorises puts many samples closer than almost any real image is to its nearest training image.
     *
     * @param shareBelowHeldOutP5 share of samples closer than the 5th percentile of the held-out distances
     */
    public record Neighbours(double mean, double median, double min, double heldOutMean, double heldOutMedian,
            double heldOutP5, double shareBelowHeldOutP5) {
    }
}
