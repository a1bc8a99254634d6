package org.polyvae.job.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.polyvae.config.PolyvaeConfig;
import org.polyvae.job.LocalSpark;
import org.polyvae.job.synth.SynthStage;

/**
 * The evaluation can tell: on a small synthetic dataset (150 images per class at 32 px, 30 % held out, ~180 training images kept from the judge: half the
 * probe, half the reference) with
 * a briefly trained judge, blurred real images score at least 10× worse than real ones on KID, posterised
 * ones and Voronoi microstructures of the wrong grain density clearly worse (KID and pixel statistics), and
 * real images filed under the wrong class at least 10× worse on the KID within classes. Fails when the judge's
 * features are blind to blur or grain size, or the per-class KID to the class.
 */
class JudgeCalibrationTest {
    private static JavaSparkContext sc;
    @TempDir
    static java.nio.file.Path tmp;

    @BeforeAll
    static void start() {
        sc = LocalSpark.start("JudgeCalibrationTest");
    }

    @AfterAll
    static void stop() {
        if (sc != null) {
            sc.stop();
        }
    }

    @Test
    void blurPosterisationAndWrongGrainDensityScoreClearlyWorseThanRealImages() throws IOException {
        PolyvaeConfig c = PolyvaeConfig.load(List.of(), List.of("polyvae.data.dir=" + tmp.resolve("data").toUri(),
                "polyvae.output.dir=" + tmp.resolve("out").toUri(), "polyvae.synth.count-per-class=150",
                "polyvae.synth.image-size=32", "polyvae.synth.label-resolution=8", "polyvae.data.resolution=32",
                "polyvae.train.batch-size=16", "polyvae.train.validation-fraction=0.3",
                "polyvae.evaluate.channels=[8, 16, 32]", "polyvae.evaluate.feature-width=32",
                "polyvae.evaluate.epochs=20", "polyvae.evaluate.learning-rate=0.003",
                "polyvae.evaluate.kid-subset-size=100", "polyvae.evaluate.reference-images=180"));
        new SynthStage(c).run(sc);
        List<JudgeCalibration.Row> rows = JudgeCalibration.run(c, sc);
        System.out.println(JudgeCalibration.markdown(rows));
        assertEquals(8, rows.size(), "real, rotated labels, blurred, posterised, Voronoi ×1, ×½, ×2, sharp; no samples");
        JudgeCalibration.Row real = rows.get(0);
        JudgeCalibration.Row rotated = rows.get(1);
        JudgeCalibration.Row blurred = rows.get(2);
        JudgeCalibration.Row posterised = rows.get(3);
        JudgeCalibration.Row voronoi = rows.get(4);
        double scale = Math.max(1, Math.abs(real.kid().ratio()));
        assertTrue(scale < 5, "unseen real images score within the noise of real-vs-real: " + real);
        assertTrue(Math.abs(voronoi.kid().ratio()) < 5, "the generator at the data's density is the data: " + voronoi);
        assertTrue(blurred.kid().ratio() >= 10 * scale, "the judge sees blur: " + blurred + " vs " + real);
        // Posterisation merges grains of close grays: the judge and the pixel statistics both see it.
        assertTrue(posterised.kid().ratio() >= 3 * scale, "posterised: " + posterised);
        assertTrue(posterised.flatPixelShare() > 2 * real.flatPixelShare(), "posterised: " + posterised);
        assertTrue(posterised.sameGrainDistance() > 2 * real.sameGrainDistance(), "posterised: " + posterised);
        // Wrong classes, right mixture: blind over all classes, seen within them.
        assertEquals(real.kid().ratio(), rotated.kid().ratio(), 1e-12, "the same images: " + rotated);
        // A few dozen images per class: the real row's KID within classes is noisier than the pooled one.
        double classScale = Math.max(1, Math.abs(real.classKidRatio()));
        assertTrue(rotated.classKidRatio() >= 10 * classScale, "filed under the wrong class: " + rotated + " vs " + real);
        assertTrue(rotated.classAgreement() < 0.5, "filed under the wrong class: " + rotated);
        for (JudgeCalibration.Row wrong : List.of(rows.get(5), rows.get(6))) {
            assertTrue(wrong.kid().ratio() >= 3 * scale, "wrong grain density: " + wrong);
            assertTrue(wrong.sameGrainDistance() > 4 * voronoi.sameGrainDistance(), "wrong grain density: " + wrong);
        }
        assertTrue(rows.get(5).grainsPerImage() < 0.75 * real.grainsPerImage(), "half density, fewer grains");
        assertTrue(rows.get(6).grainsPerImage() > 1.4 * real.grainsPerImage(), "double density, more grains");
        // The grains with an interior: fewer at half the density, and where blur and posterisation run grains
        // together. Double the density's grains are ~3 px across at this test's 32 px, most without an interior
        // pixel, so that count only must not fall (at the model's 64 px the finest class's grains are ~7 px).
        assertTrue(rows.get(5).thickGrainsPerImage() < 0.75 * voronoi.thickGrainsPerImage(), "half density: " + rows.get(5));
        assertTrue(rows.get(6).thickGrainsPerImage() >= voronoi.thickGrainsPerImage(), "double density: " + rows.get(6));
        assertTrue(blurred.thickGrainsPerImage() < 0.5 * real.thickGrainsPerImage(), "blurred: " + blurred);
        assertTrue(posterised.thickGrainsPerImage() < 0.8 * real.thickGrainsPerImage(), "posterised: " + posterised);
        // The largest grain's share of the image: blur runs grains together through its ramps, posterisation merges
        // neighbours of close gray, a coarser density draws larger grains, a finer one smaller.
        assertTrue(blurred.largestGrainShare() > 2 * real.largestGrainShare(), "blurred: " + blurred);
        assertTrue(posterised.largestGrainShare() > 1.3 * real.largestGrainShare(), "posterised: " + posterised);
        assertTrue(rows.get(5).largestGrainShare() > 1.25 * voronoi.largestGrainShare(), "half density: " + rows.get(5));
        assertTrue(rows.get(6).largestGrainShare() < 0.8 * voronoi.largestGrainShare(), "double density: " + rows.get(6));
        // The same microstructures drawn with one-pixel steps: the flat share sees the missing blend along every
        // boundary, the grains are the same.
        JudgeCalibration.Row sharp = rows.get(7);
        assertTrue(sharp.flatPixelShare() > 1.5 * voronoi.flatPixelShare(), "sharp: " + sharp + " vs " + voronoi);
        assertEquals(voronoi.thickGrainsPerImage(), sharp.thickGrainsPerImage(), 0.15 * voronoi.thickGrainsPerImage(),
                "sharp, the same grains: " + sharp + " vs " + voronoi);
    }
}
