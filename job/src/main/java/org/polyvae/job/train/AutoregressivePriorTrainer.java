package org.polyvae.job.train;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.core.loader.MultiDataSetLoader;
import org.nd4j.common.loader.Source;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.polyvae.config.ModelSettings;
import org.polyvae.config.TrainSettings;
import org.polyvae.config.TrainSettings.PriorOrder;
import org.polyvae.data.Seeds;
import org.polyvae.io.AtomicOutput;
import org.polyvae.io.HadoopFiles;
import org.polyvae.job.latent.EncodedImage;
import org.polyvae.job.spark.ParameterAveraging;
import org.polyvae.model.AutoregressivePrior;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the autoregressive prior over the code ({@link AutoregressivePrior}) on the trained encoder's codes
 * of the training images: {@code draws} posterior draws per image, every code position a training row,
 * shuffled into minibatch files ({@code <output.dir>/prior-batches}) and fitted by {@link ParameterAveraging},
 * the loop that trains the VAE.
 */
final class AutoregressivePriorTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(AutoregressivePriorTrainer.class);

    private final ModelSettings model;
    private final TrainSettings train;
    private final TrainSettings.PriorTraining prior;

    AutoregressivePriorTrainer(ModelSettings model, TrainSettings train) {
        this.model = model;
        this.train = train;
        this.prior = train.prior();
    }

    /**
     * The classes (µm) of the prior's class input, in the VAE's order: those of polyvae.train.prior.classes the
     * training images have ([] = every class); none for an unconditional model.
     */
    static int[] classOrder(ModelSettings model, TrainSettings.PriorTraining prior, List<EncodedImage> codes) {
        if (!model.conditional()) {
            return new int[0];
        }
        return java.util.Arrays.stream(org.polyvae.model.VaeBatches.classOrder())
                .filter(um -> prior.classes().isEmpty() || prior.classes().contains(um))
                .filter(um -> codes.stream().anyMatch(e -> e.micrometres() == um)).toArray();
    }

    /**
     * Whether there is a prior to train: an unconditional model's when polyvae.train.prior.classes is [] (it has
     * no classes to pick from), a conditional model's when its training images have one of the listed classes.
     */
    static boolean anythingToTrain(ModelSettings model, TrainSettings.PriorTraining prior, List<EncodedImage> codes) {
        return model.conditional() ? classOrder(model, prior, codes).length > 0 : prior.classes().isEmpty();
    }

    /**
     * @param codes      the training images' posteriors
     * @param validation the held-out images' posteriors, scored after training (may be empty)
     */
    AutoregressivePrior train(JavaSparkContext sc, FileSystem fs, Path batchDir, List<EncodedImage> codes,
            List<EncodedImage> validation) throws IOException {
        // A dense code is a 1 × 1 map: its prior is then a class-conditional mixture over the whole code.
        boolean spatial = model.latent() == ModelSettings.Latent.SPATIAL;
        int channels = spatial ? model.latentChannels() : model.latentDim();
        int size = spatial ? model.bottleneckSize() : 1;
        if (!anythingToTrain(model, prior, codes)) {
            throw new IllegalArgumentException("no training images of polyvae.train.prior.classes = " + prior.classes()
                    + (model.conditional() ? "" : " (an unconditional model has no classes)"));
        }
        int[] order = classOrder(model, prior, codes);
        if (model.conditional()) {
            codes = ofClasses(codes, order);
            validation = ofClasses(validation, order);
        }
        Random random = new Random(Seeds.mix64(model.seed() ^ 0x505249L));
        Draws draws = draws(codes, prior.draws(), random);
        float[][] moments = AutoregressivePrior.channelMoments(draws.codes(), channels);
        MultiDataSet rows = AutoregressivePrior.rows(prior.order(), draws.codes(), draws.classes(), channels, size,
                order, moments[0], moments[1], random);
        List<String> files = writeBatches(fs, batchDir, rows);
        ComputationGraph net = AutoregressivePrior.network(prior.order(), channels, size, order.length, prior.hidden(),
                prior.components(), prior.learningRate(), model.seed());
        LOG.info("train: autoregressive prior, {} parameters, on {} code positions ({} training images × {} draws × "
                + "{} positions) in {} files of {} minibatches of {}; epochs 1..{}", net.numParams(),
                rows.getFeatures(0).size(0), codes.size(), prior.draws(), size * size, files.size(), prior.averagingFrequency(), prior.batchRows(),
                prior.epochs());
        // One file per worker and round, each of averaging-frequency minibatches, which DL4J's workers cut it into:
        // an averaging round per file, not per minibatch of a few rows (a Spark job and a broadcast each).
        ParameterAveraging averaging = new ParameterAveraging(sc, net, ParameterAveraging.Settings.of(sc, train,
                prior.averagingFrequency(), model.seed(), model.seed()).withRows(prior.batchRows(),
                prior.batchRows() * prior.averagingFrequency()));
        MultiDataSet held = heldOut(prior.order(), validation, random, channels, size, order, moments);
        // The network sees its neighbours' exact values and can learn to recognise a training image from them:
        // with keep-best-epoch, the epoch whose held-out likelihood is best is kept (with no held-out images, the
        // last).
        double[] best = {Double.POSITIVE_INFINITY};
        int[] bestEpoch = {prior.epochs()};
        INDArray[] bestParams = {null};
        net = averaging.fitEpochs(1, prior.epochs(), files, new RowsLoader(rows.getFeatures(0).size(1)),
                "the autoregressive prior's loss", epoch -> "lower polyvae.train.prior.learning-rate",
                (epoch, fitted) -> {
                    double nll = held == null ? Double.NaN : fitted.score(held, false);
                    if (prior.keepBestEpoch() && held != null && nll < best[0]) {
                        best[0] = nll;
                        bestEpoch[0] = epoch.number();
                        bestParams[0] = fitted.params().dup();
                    }
                    LOG.info(String.format(Locale.ROOT, "train: autoregressive prior epoch %d/%d  negative "
                            + "log-likelihood per code position %.3f (training), %.3f (held-out)  %.1f s",
                            epoch.number(), prior.epochs(), epoch.score(), nll, epoch.seconds()));
                });
        if (bestParams[0] != null) {
            net.setParams(bestParams[0]);
            LOG.info(String.format(Locale.ROOT, "train: autoregressive prior: kept epoch %d, held-out negative "
                    + "log-likelihood %.3f per code position (%d images)", bestEpoch[0], best[0], validation.size()));
        }
        return new AutoregressivePrior(prior.order(), channels, size, order, prior.components(), moments[0], moments[1],
                net);
    }

    /** The images of the given classes (µm). */
    private static List<EncodedImage> ofClasses(List<EncodedImage> images, int[] classes) {
        return images.stream().filter(e -> java.util.Arrays.stream(classes).anyMatch(um -> um == e.micrometres()))
                .toList();
    }

    /** The held-out images' rows (one posterior draw each), or null when there are none. */
    private static MultiDataSet heldOut(PriorOrder drawing, List<EncodedImage> validation, Random random,
            int channels, int size, int[] order, float[][] moments) {
        if (validation.isEmpty()) {
            return null;
        }
        Draws held = draws(validation, 1, random);
        return AutoregressivePrior.rows(drawing, held.codes(), held.classes(), channels, size, order, moments[0],
                moments[1], random);
    }

    /** Posterior draws of a set of images and the window size (µm) of each. */
    private record Draws(List<float[]> codes, int[] classes) {
    }

    /** {@code perImage} posterior draws z = mu + exp(logvar / 2)·ε of each image, image by image. */
    private static Draws draws(List<EncodedImage> images, int perImage, Random random) {
        List<float[]> codes = new ArrayList<>();
        int[] classes = new int[images.size() * perImage];
        for (EncodedImage e : images) {
            for (int k = 0; k < perImage; k++) {
                float[] z = new float[e.mu().length];
                for (int j = 0; j < z.length; j++) {
                    z[j] = (float) (e.mu()[j] + Math.exp(0.5 * e.logvar()[j]) * random.nextGaussian());
                }
                classes[codes.size()] = e.micrometres();
                codes.add(z);
            }
        }
        return new Draws(codes, classes);
    }

    /**
     * Writes the rows, shuffled, as files of batch-rows × averaging-frequency rows (what one worker fits between
     * two averagings); returns their paths.
     */
    private List<String> writeBatches(FileSystem fs, Path dir, MultiDataSet rows) throws IOException {
        INDArray x = rows.getFeatures(0);
        INDArray y = rows.getLabels(0);
        int n = (int) x.size(0);
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        Random random = new Random(train.splitSeed() * 31 + 17);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        List<String> files = new ArrayList<>();
        try (AtomicOutput out = AtomicOutput.begin(fs, dir, true, "(rewritten by every training run)")) {
            int perFile = prior.batchRows() * prior.averagingFrequency();
            for (int from = 0, b = 0; from < n; from += perFile, b++) {
                int to = Math.min(n, from + perFile);
                int[] picked = java.util.Arrays.copyOfRange(perm, from, to);
                MultiDataSet batch = new org.nd4j.linalg.dataset.MultiDataSet(Nd4j.pullRows(x, 1, picked),
                        Nd4j.pullRows(y, 1, picked));
                String name = String.format(Locale.ROOT, "rows-%05d.bin", b);
                HadoopFiles.write(fs, new Path(out.tmp(), name), batch::save);
                files.add(name);
            }
            out.commit();
        }
        List<String> paths = new ArrayList<>();
        for (String name : files) {
            paths.add(fs.makeQualified(new Path(dir, name)).toString());
        }
        return paths;
    }

    /** Loads a prior minibatch file, checking it holds rows of the width the network takes. */
    static final class RowsLoader implements MultiDataSetLoader {
        private static final long serialVersionUID = 1L;
        private final long features;

        RowsLoader(long features) {
            this.features = features;
        }

        @Override
        public MultiDataSet load(Source source) throws IOException {
            org.nd4j.linalg.dataset.MultiDataSet m = new org.nd4j.linalg.dataset.MultiDataSet();
            try (InputStream in = source.getInputStream()) {
                m.load(in);
            } catch (RuntimeException e) {
                throw new IOException("cannot read prior minibatch file " + source.getPath() + ": " + e.getMessage(), e);
            }
            if (m.getFeatures() == null || m.getFeatures().length != 1 || m.getFeatures(0).rank() != 2
                    || m.getFeatures(0).size(1) != features) {
                throw new IOException("prior minibatch file " + source.getPath() + " does not hold rows of " + features
                        + " context features");
            }
            return m;
        }
    }
}
