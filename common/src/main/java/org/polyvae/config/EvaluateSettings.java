package org.polyvae.config;

import com.typesafe.config.Config;
import java.io.Serializable;
import java.util.List;

/** {@code polyvae.evaluate.*}: the judge CNN and the scoring of generated images (see conf/application.conf). */
public record EvaluateSettings(
        String samples,
        String dir,
        String modelDir,
        boolean retrain,
        List<Integer> channels,
        int featureWidth,
        int epochs,
        int imageBudget,
        boolean augment,
        double learningRate,
        int averagingFrequency,
        long seed,
        double confidence,
        int grayBins,
        int referenceImages,
        int kidSubsets,
        int kidSubsetSize) implements Serializable {

    /**
     * The judge's passes over its {@code judgeImages} training images: {@link #epochs}, or fewer where that
     * many passes would show it more than {@link #imageBudget} images (at least one pass).
     */
    public int judgeEpochs(long judgeImages) {
        long images = Math.max(1, judgeImages);
        long passes = (imageBudget + images - 1) / images; // ≥ 1: the budget is at least one image
        return (int) Math.min(epochs, passes);
    }

    public static EvaluateSettings from(Config config) {
        Settings s = new Settings(config, "polyvae.evaluate");
        List<Integer> channels = s.intList("channels");
        if (channels.isEmpty() || channels.size() > 6 || channels.stream().anyMatch(c -> c < 1 || c > 1024)) {
            throw new ConfigError(s.key("channels") + " must list 1..6 channel counts in 1..1024, got " + channels);
        }
        return new EvaluateSettings(
                s.nonEmptyString("samples"),
                s.nonEmptyString("dir"),
                s.nonEmptyString("model-dir"),
                s.bool("retrain"),
                List.copyOf(channels),
                s.intIn("feature-width", 2, 4096),
                s.intIn("epochs", 1, 10_000),
                s.intIn("image-budget", 1, Integer.MAX_VALUE),
                s.bool("augment"),
                s.doubleAbove("learning-rate", 0.0, 1.0),
                s.intIn("averaging-frequency", 1, 100_000),
                s.longValue("seed"),
                s.doubleIn("confidence", 0.0, 1.0),
                s.intIn("gray-bins", 2, 256),
                s.intIn("reference-images", 1, 1_000_000),
                s.intIn("kid-subsets", 1, 10_000),
                s.intIn("kid-subset-size", 2, 100_000));
    }
}
