package org.polyvae.job.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.core.loader.MultiDataSetLoader;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.Repartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.polyvae.job.LocalSpark;

/** The epoch loop on a small regression network, against plain sequential fitting. */
class ParameterAveragingTest {
    private static final int FILES = 12;
    private static final int PER_FILE = 8;
    private static JavaSparkContext sc;
    @TempDir
    static java.nio.file.Path tmp;
    private static List<String> files;

    /** Batch files as written here: one MultiDataSet each. */
    private static final MultiDataSetLoader LOADER = source -> {
        MultiDataSet m = new MultiDataSet();
        try (InputStream in = source.getInputStream()) {
            m.load(in);
        }
        return m;
    };

    @BeforeAll
    static void start() throws IOException {
        sc = LocalSpark.start("ParameterAveragingTest");
        files = write("data", 1f);
    }

    @AfterAll
    static void stop() {
        if (sc != null) {
            sc.stop();
        }
    }

    /** y = x · w + 0.5 on 4 inputs, w fixed; or NaN targets (a diverging run) when {@code scale} is NaN. */
    private static List<String> write(String name, float scale) throws IOException {
        java.nio.file.Path dir = Files.createDirectories(tmp.resolve(name));
        INDArray w = Nd4j.create(new float[] {0.5f, -1f, 2f, 0.25f}, new long[] {4, 1});
        Nd4j.getRandom().setSeed(7);
        List<String> out = new ArrayList<>();
        for (int k = 0; k < FILES; k++) {
            INDArray x = Nd4j.rand(DataType.FLOAT, PER_FILE, 4);
            INDArray y = Float.isNaN(scale) ? Nd4j.valueArrayOf(new long[] {PER_FILE, 1}, Float.NaN)
                    : x.mmul(w).addi(0.5f);
            java.nio.file.Path f = dir.resolve("batch-" + k + ".bin");
            try (OutputStream os = Files.newOutputStream(f)) {
                new MultiDataSet(x, y).save(os);
            }
            out.add(f.toUri().toString());
        }
        return out;
    }

    /** A regression MLP trained with plain SGD at rate 0.05 ({@code decay} = 1) or decaying per epoch. */
    private static ComputationGraph network(double decay) {
        return network(decay == 1 ? new Sgd(0.05) : new Sgd(new ExponentialSchedule(ScheduleType.EPOCH, 0.05, decay)));
    }

    /** The regression MLP trained with {@code updater}. */
    private static ComputationGraph network(IUpdater updater) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT)
                .updater(updater)
                .graphBuilder().addInputs("x")
                .addLayer("h", new DenseLayer.Builder().nIn(4).nOut(8).activation(Activation.TANH).build(), "x")
                .addLayer("y", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(8).nOut(1)
                        .activation(Activation.IDENTITY).build(), "h")
                .setOutputs("y").build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }

    private static ParameterAveraging.Settings oneWorkerEveryBatch() {
        return new ParameterAveraging.Settings(1, PER_FILE, 1, PER_FILE, 0, Repartition.Always, StorageLevel.MEMORY_ONLY(), 5,
                11);
    }

    private static org.nd4j.linalg.dataset.api.MultiDataSet load(String uri) throws IOException {
        return LOADER.load(new org.nd4j.common.loader.LocalFileSourceFactory().getSource(
                java.nio.file.Path.of(java.net.URI.create(uri)).toString()));
    }

    private static double meanScore(ComputationGraph net) throws IOException {
        double sum = 0;
        for (String f : files) {
            sum += net.score(load(f));
        }
        return sum / files.size();
    }

    /**
     * One worker averaging after every minibatch is plain sequential training; DL4J's split may hand the
     * batches out in another order, so the outcome is compared with plain fits in other orders. With Adam too,
     * whose step depends on the iteration count: a worker that restarted the count each round (as DL4J's own
     * workers do, {@link WorkerStepCount}) would take 0.32× Adam's steps here and land far from the plain fits.
     */
    @Test
    void oneWorkerAveragingEveryBatchMatchesPlainFit() throws IOException {
        oneWorkerAveragingEveryBatchMatchesPlainFit(new Sgd(0.05));
        oneWorkerAveragingEveryBatchMatchesPlainFit(new Adam(0.01));
    }

    private void oneWorkerAveragingEveryBatchMatchesPlainFit(IUpdater updater) throws IOException {
        ComputationGraph start = network(updater);
        double initial = meanScore(start);
        List<ParameterAveraging.Epoch> seen = new ArrayList<>();
        ComputationGraph spark = new ParameterAveraging(sc, start.clone(), oneWorkerEveryBatch()).fitEpochs(1, 6,
                files, LOADER, "the loss", epoch -> "advice", (e, net) -> seen.add(e));

        // Plain fits over three epoch orders give the spread the order alone causes.
        double low = Double.POSITIVE_INFINITY;
        double high = 0;
        for (long seed : new long[] {11, 12, 13}) {
            ComputationGraph plain = start.clone();
            for (int epoch = 1; epoch <= 6; epoch++) {
                for (String f : ParameterAveraging.epochOrder(files, seed, epoch)) {
                    plain.fit(load(f));
                }
            }
            low = Math.min(low, meanScore(plain));
            high = Math.max(high, meanScore(plain));
        }
        double sparkLoss = meanScore(spark);
        assertTrue(high < 0.2 * initial, updater + ": " + initial + " -> " + high);
        // An epoch more or less moves the loss by about a third.
        assertTrue(sparkLoss > 0.95 * low && sparkLoss < 1.05 * high,
                updater + ": Spark " + sparkLoss + ", plain fits " + low + ".." + high);

        assertEquals(List.of(1, 2, 3, 4, 5, 6), seen.stream().map(ParameterAveraging.Epoch::number).toList());
        for (ParameterAveraging.Epoch e : seen) {
            assertEquals(ParameterAveraging.epochOrder(files, 11, e.number()), e.order());
            assertTrue(Double.isFinite(e.score()) && e.seconds() > 0);
        }
    }

    /**
     * The workers train at the schedule's rate of each epoch: Spark training with a decaying rate is plain
     * fitting with that rate per epoch (one worker averaging after every batch), and differs from a constant
     * rate; the driver's network keeps its schedule.
     */
    @Test
    void theWorkersTrainAtTheScheduledRateOfEachEpoch() throws IOException {
        int epochs = 4;
        ComputationGraph decaying = new ParameterAveraging(sc, network(0.5), oneWorkerEveryBatch()).fitEpochs(1,
                epochs, files, LOADER, "the loss", epoch -> "advice", (e, net) -> {
                });
        ComputationGraph constant = new ParameterAveraging(sc, network(1), oneWorkerEveryBatch()).fitEpochs(1,
                epochs, files, LOADER, "the loss", epoch -> "advice", (e, net) -> {
                });
        assertTrue(decaying.params().distance2(constant.params()) > 1e-3, "decay 0.5 trained like decay 1");

        // The same epochs fitted in the driver, each at its scheduled rate as a fixed rate.
        double low = Double.POSITIVE_INFINITY;
        double high = 0;
        for (long seed : new long[] {11, 12, 13}) {
            ComputationGraph plain = network(1);
            for (int epoch = 1; epoch <= epochs; epoch++) {
                plain.setLearningRate(0.05 * Math.pow(0.5, epoch - 1));
                for (String f : ParameterAveraging.epochOrder(files, seed, epoch)) {
                    plain.fit(load(f));
                }
            }
            low = Math.min(low, meanScore(plain));
            high = Math.max(high, meanScore(plain));
        }
        double sparkLoss = meanScore(decaying);
        assertTrue(sparkLoss > 0.95 * low && sparkLoss < 1.05 * high,
                "Spark with decay 0.5 " + sparkLoss + ", plain fits at the scheduled rates " + low + ".." + high
                        + ", Spark at a constant rate " + meanScore(constant));
        assertEquals(0.05 * 0.125, ParameterAveraging.learningRate(decaying, 4), 1e-12);
        assertEquals(0.05 * 0.0625, ParameterAveraging.learningRate(decaying, 5), 1e-12);
    }

    /** A resumed run starts at its epoch, and each epoch reports the rate of the network's own schedule. */
    @Test
    void aResumedRunStartsAtItsEpochWithTheScheduledRate() throws IOException {
        List<Integer> epochs = new ArrayList<>();
        new ParameterAveraging(sc, network(0.8), oneWorkerEveryBatch()).fitEpochs(3, 4, files, LOADER, "the loss",
                epoch -> "advice", (e, net) -> {
                    epochs.add(e.number());
                    assertEquals(0.05 * Math.pow(0.8, e.number() - 1), e.learningRate(), 1e-12, "epoch " + e.number());
                });
        assertEquals(List.of(3, 4), epochs);
        assertEquals(0.05, ParameterAveraging.learningRate(network(1), 7), 1e-12);
    }

    @Test
    void aNonFiniteScoreStopsWithTheEpochAndTheAdvice() throws IOException {
        List<String> broken = write("nan", Float.NaN);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> new ParameterAveraging(sc, network(1), oneWorkerEveryBatch()).fitEpochs(1, 3, broken, LOADER,
                        "the test loss", epoch -> "lower the rate of epoch " + epoch, (ep, net) -> {
                        }));
        assertEquals("the test loss is NaN in epoch 1; lower the rate of epoch 1", e.getMessage());
    }

    /** With a loader per epoch, each epoch's minibatches come from its own loader (here: epoch 2's are broken). */
    @Test
    void eachEpochFitsTheMinibatchesOfItsOwnLoader() {
        MultiDataSetLoader broken = source -> {
            org.nd4j.linalg.dataset.api.MultiDataSet m = LOADER.load(source);
            m.getFeatures(0).assign(Float.NaN);
            return m;
        };
        List<Integer> asked = new ArrayList<>();
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> new ParameterAveraging(sc, network(1), oneWorkerEveryBatch()).fitEpochsWithLoaders(1, 3, files,
                        epoch -> {
                            asked.add(epoch);
                            return epoch == 2 ? broken : LOADER;
                        }, "the test loss", epoch -> "epoch " + epoch + "'s loader", (ep, net) -> {
                        }));
        assertEquals("the test loss is NaN in epoch 2; epoch 2's loader", e.getMessage());
        assertEquals(List.of(1, 2), asked);
    }

    /** The batch files the workers loaded (local mode: one JVM). */
    private static final java.util.Queue<String> LOADED = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private static final MultiDataSetLoader RECORDING = source -> {
        LOADED.add(source.getPath());
        return LOADER.load(source);
    };

    /**
     * Every batch file of an epoch is fitted, once, whatever the count of files and rounds. DL4J's master rounds
     * the number of averaging rounds down and each of its workers fits at most averaging-frequency files of a
     * round: handed the whole epoch, 2 workers averaging every 5 files fitted 10 of 12 files, and every 2 files
     * 4 of 7. Each worker loads only the files it fits (DL4J cuts its share to that before loading).
     */
    @Test
    void everyFileOfAnEpochIsFittedOnceWhateverTheCount() throws IOException {
        for (int[] filesAndFrequency : new int[][] {{12, 5}, {7, 2}, {12, 6}, {3, 5}}) {
            for (Repartition repartition : new Repartition[] {Repartition.Never, Repartition.Always}) {
                List<String> some = files.subList(0, filesAndFrequency[0]);
                ParameterAveraging.Settings twoWorkers = new ParameterAveraging.Settings(2, PER_FILE,
                        filesAndFrequency[1], PER_FILE, 0, repartition, StorageLevel.MEMORY_ONLY(), 5, 11);
                LOADED.clear();
                new ParameterAveraging(sc, network(1), twoWorkers).fitEpochs(1, 2, some, RECORDING, "the loss",
                        e -> "", (e, net) -> {
                        });
                List<String> expected = new ArrayList<>();
                for (String f : some) {
                    expected.add(f);
                    expected.add(f);
                }
                List<String> loaded = new ArrayList<>(LOADED);
                java.util.Collections.sort(expected);
                java.util.Collections.sort(loaded);
                assertEquals(expected, loaded, some.size() + " files, averaging every " + filesAndFrequency[1]
                        + ", " + repartition + ": each file once per epoch, two epochs");
            }
        }
    }

    /**
     * Files of several minibatches (the autoregressive prior's): a worker fits every minibatch of its files,
     * one file per worker and round, as plain fitting does minibatch by minibatch.
     */
    @Test
    void aFileOfSeveralMinibatchesIsFittedWhole() throws IOException {
        ParameterAveraging.Settings halves = new ParameterAveraging.Settings(1, PER_FILE / 2, 2, PER_FILE, 0,
                Repartition.Never, StorageLevel.MEMORY_ONLY(), 5, 11);
        List<String> one = files.subList(0, 1);
        ComputationGraph start = network(1);
        ComputationGraph spark = new ParameterAveraging(sc, start.clone(), halves).fitEpochs(1, 3, one, LOADER,
                "the loss", e -> "", (e, net) -> {
                });
        // The file's two halves, cut as DL4J's workers cut a file into minibatches.
        List<org.nd4j.linalg.dataset.api.MultiDataSet> halvesOfTheFile = new ArrayList<>();
        new org.deeplearning4j.datasets.iterator.IteratorMultiDataSetIterator(List.of(load(one.get(0))).iterator(),
                PER_FILE / 2).forEachRemaining(halvesOfTheFile::add);
        assertEquals(2, halvesOfTheFile.size());
        ComputationGraph plain = start.clone();
        ComputationGraph firstHalves = start.clone();
        for (int epoch = 1; epoch <= 3; epoch++) {
            halvesOfTheFile.forEach(plain::fit);
            firstHalves.fit(halvesOfTheFile.get(0));
        }
        assertTrue(spark.params().equalsWithEps(plain.params(), 1e-5), "Spark " + spark.params() + ", plain "
                + plain.params());
        assertTrue(!spark.params().equalsWithEps(firstHalves.params(), 1e-5), "the check tells");

        LOADED.clear();
        List<String> three = files.subList(0, 3);
        new ParameterAveraging(sc, start.clone(), halves).fitEpochs(1, 1, three, RECORDING, "the loss", ep -> "",
                (ep, net) -> {
                });
        assertEquals(three, new ArrayList<>(LOADED).stream().sorted().toList(), "each file once, one per round");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ParameterAveraging.Settings(1, PER_FILE / 2, 1, PER_FILE, 0, Repartition.Never,
                        StorageLevel.MEMORY_ONLY(), 5, 11));
        assertEquals("a batch file of 8 rows holds more than a worker fits between two averagings (averaging "
                + "frequency 1 × batch size 4): DL4J's workers would fit the first 4 rows of it and skip the rest",
                e.getMessage());
    }

    @Test
    void anEpochIsHandedOverAsItsWholeRoundsThenTheRest() {
        List<String> twelve = java.util.stream.IntStream.range(0, 12).mapToObj(i -> "f" + i).toList();
        ParameterAveraging.Settings s = new ParameterAveraging.Settings(2, 32, 5, 32, 0, Repartition.Never,
                StorageLevel.MEMORY_ONLY(), 5, 11);
        assertEquals(List.of(twelve.subList(0, 10), twelve.subList(10, 12)), ParameterAveraging.wholeRounds(twelve, s));
        assertEquals(List.of(twelve.subList(0, 10)), ParameterAveraging.wholeRounds(twelve.subList(0, 10), s));
        assertEquals(List.of(twelve.subList(0, 3)), ParameterAveraging.wholeRounds(twelve.subList(0, 3), s));
        // Files of 5 minibatches: one file per worker and round.
        assertEquals(List.of(twelve.subList(0, 12)), ParameterAveraging.wholeRounds(twelve, s.withRows(32, 160)));
        assertEquals(List.of(twelve.subList(0, 10), twelve.subList(10, 11)),
                ParameterAveraging.wholeRounds(twelve.subList(0, 11), s.withRows(32, 160)));
    }

    /** The native thread counts the task threads loaded each minibatch file at (local mode: one JVM). */
    private static final java.util.Queue<Integer> LOADED_AT = new java.util.concurrent.ConcurrentLinkedQueue<>();

    /**
     * A worker whose task thread was left on another native thread count (as ND4J 1.0.0-M2 leaves the
     * thread that initialised it) fits its minibatches on the configured one: every executor thread is set
     * to a wrong count first; Spark reuses its idle task threads, so the round's task starts on one of them
     * (its first file is loaded before its first minibatch is fitted), and every later file is loaded after
     * a minibatch was.
     */
    @Test
    void theWorkersFitOnTheConfiguredNativeThreadCount() throws IOException {
        int configured = org.polyvae.model.NativeThreads.configured();
        int wrong = configured + 6;
        sc.parallelize(java.util.stream.IntStream.range(0, 16).boxed().toList(), 16).foreach(
                k -> org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(wrong));
        LOADED_AT.clear();
        MultiDataSetLoader recording = source -> {
            LOADED_AT.add(org.polyvae.model.NativeThreads.current());
            return LOADER.load(source);
        };
        ParameterAveraging.Settings oneRound = new ParameterAveraging.Settings(1, PER_FILE, FILES, PER_FILE, 0, Repartition.Never,
                StorageLevel.MEMORY_ONLY(), 5, 11);
        new ParameterAveraging(sc, network(1), oneRound).fitEpochs(1, 1, files, recording, "the loss", e -> "",
                (e, net) -> {
                });
        List<Integer> seen = new ArrayList<>(LOADED_AT);
        assertEquals(FILES, seen.size());
        assertEquals(wrong, seen.get(0), "the task thread's count before its first minibatch");
        assertEquals(java.util.Collections.nCopies(FILES - 1, configured), seen.subList(1, FILES));
    }

    @Test
    void theEpochOrderIsAReproduciblePermutationThatChangesEachEpoch() {
        List<String> order1 = ParameterAveraging.epochOrder(files, 11, 1);
        assertEquals(order1, ParameterAveraging.epochOrder(files, 11, 1));
        assertEquals(new HashSet<>(files), new HashSet<>(order1));
        assertEquals(files.size(), order1.size());
        assertNotEquals(order1, ParameterAveraging.epochOrder(files, 11, 2));
        assertNotEquals(order1, ParameterAveraging.epochOrder(files, 12, 1));
    }

    @Test
    void repartitionValuesMapToDl4jsSetting() {
        var always = org.polyvae.config.TrainSettings.Repartitioning.ALWAYS;
        var never = org.polyvae.config.TrainSettings.Repartitioning.NEVER;
        var differs = org.polyvae.config.TrainSettings.Repartitioning.NUM_PARTITIONS_WORKERS_DIFFERS;
        assertEquals(Repartition.Always, ParameterAveraging.repartitionOf(always));
        assertEquals(Repartition.Never, ParameterAveraging.repartitionOf(never));
        assertEquals(Repartition.NumPartitionsWorkersDiffers, ParameterAveraging.repartitionOf(differs));
    }
}
