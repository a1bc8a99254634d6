package org.polyvae.config;

import com.typesafe.config.Config;
import java.io.Serializable;
import java.util.List;

/**
 * {@code polyvae.sample.*}: new microstructures from the trained decoder (see conf/application.conf).
 *
 * @param e11Target E11 (GPa) to draw the codes toward (the learned prior's Gaussian conditional); null = off
 * @param classes   window sizes (µm) to draw in turn from a conditional model; empty = the model's own classes
 */
public record SampleSettings(
        int count,
        Prior prior,
        double temperature,
        Regions regions,
        double basinMerge,
        int minRegionPixels,
        boolean absorbThinRegions,
        Double e11Target,
        long seed,
        String dir,
        boolean overwrite,
        int viewScale,
        boolean tessellate,
        int tessellateBands,
        int tessellateMinArea,
        TessellateMethod tessellateMethod,
        double tessellateMinGrainUm2,
        boolean tessellateEqualize,
        int driverMax,
        int imagesPerTask,
        List<Integer> classes) implements Serializable {

    /** polyvae.sample.prior: where the latent codes of new samples are drawn from. */
    public enum Prior implements OptionValue {
        /** The code map drawn position by position by the autoregressive prior (model/code-prior.bin). */
        AUTOREGRESSIVE,
        /** The Gaussian per class fitted to the training images' codes (model/prior.bin). */
        LEARNED,
        /** N(0, I), the prior the VAE's KL term assumes. */
        STANDARD
    }

    /** polyvae.sample.regions: where region decoding finds the grains of a decoded image. */
    public enum Regions implements OptionValue {
        /**
         * The watershed basins of the boundary probabilities, neighbouring basins merged while the mean
         * probability along their border is under polyvae.sample.basin-merge.
         */
        BASINS,
        /**
         * The pixels the boundary head leaves unmarked (probability under 0.5), joined where their most likely
         * grays step by at most one level.
         */
        MARKS
    }

    /** polyvae.sample.tessellate-method: how the gray regions of a decoded sample become grains. */
    public enum TessellateMethod implements OptionValue {
        /** Each region filled with its mean gray. */
        BANDS,
        /** Each region's centroid the seed of a Voronoi grain with its gray. */
        VORONOI
    }

    public static SampleSettings from(Config config) {
        Settings s = new Settings(config, "polyvae.sample");
        SampleSettings out = new SampleSettings(
                s.intIn("count", 1, 100_000_000),
                s.option("prior", Prior.class),
                s.doubleAbove("temperature", 0.0, 10.0),
                s.option("regions", Regions.class),
                s.doubleAbove("basin-merge", 0.0, 1.0),
                s.intIn("min-region-pixels", 0, 4096),
                s.bool("absorb-thin-regions"),
                s.optionalDoubleIn("e11-target", 50.0, 300.0),
                s.longValue("seed"),
                s.nonEmptyString("dir"),
                s.bool("overwrite"),
                s.intIn("view-scale", 1, 16),
                s.bool("tessellate"),
                s.intIn("tessellate-bands", 2, 256),
                s.intIn("tessellate-min-area", 1, 100_000),
                s.option("tessellate-method", TessellateMethod.class),
                s.doubleIn("tessellate-min-grain-um2", 0.0, 100.0),
                s.bool("tessellate-equalize"),
                s.intIn("driver-max", 0, 100_000_000),
                s.intIn("images-per-task", 1, 10_000_000),
                s.windowSizes("classes"));
        if (out.e11Target() != null && out.prior() == Prior.STANDARD) {
            throw new ConfigError("polyvae.sample.e11-target = " + out.e11Target() + " draws from the learned prior's "
                    + "Gaussian given E11, but polyvae.sample.prior = " + out.prior().configValue()
                    + ": set prior = learned (or autoregressive), or e11-target = null");
        }
        return out;
    }
}
