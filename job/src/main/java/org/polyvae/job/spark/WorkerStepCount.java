package org.polyvae.job.spark;

import java.io.IOException;
import java.io.ObjectOutputStream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Gives each averaging round's worker network the driver's iteration and epoch count. DL4J 1.0.0-M2's
 * workers build their network from {@code ComputationGraphConfiguration.clone()}, which drops both, so
 * without this every round starts at iteration 0: Adam's bias correction restarts each round (with the
 * carried moments that scales every step by 0.17-0.32 at 5 minibatches per round), and whatever is seeded
 * by the step (the VAE's reparameterisation noise) repeats round after round. The driver's counts are
 * read when Spark serialises the round's task (DL4J's master adds the round's minibatches to its count
 * after each round) and put into the worker's network before its first minibatch. The workers of one round
 * keep the network's seed, so they draw the same noise for their different images: a seed per worker was
 * measured and drew worse samples (README, "Iteration count on the workers").
 */
final class WorkerStepCount implements TrainingHook {
    private static final long serialVersionUID = 1L;

    /** The driver's network; not shipped. */
    private final transient ComputationGraph driver;
    private int iteration;
    private int epoch;
    /** The worker network the counts were last put into (one per round). */
    private transient Model started;

    WorkerStepCount(ComputationGraph driver) {
        this.driver = driver;
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        if (driver != null) {
            iteration = driver.getConfiguration().getIterationCount();
            epoch = driver.getConfiguration().getEpochCount();
        }
        out.defaultWriteObject();
    }

    @Override
    public void preUpdate(MultiDataSet minibatch, Model model) {
        if (model != started && model instanceof ComputationGraph graph) {
            started = model;
            ComputationGraphConfiguration conf = graph.getConfiguration();
            conf.setIterationCount(iteration);
            conf.setEpochCount(epoch);
        }
    }

    @Override
    public void postUpdate(MultiDataSet minibatch, Model model) {
    }

    @Override
    public void preUpdate(DataSet minibatch, Model model) {
    }

    @Override
    public void postUpdate(DataSet minibatch, Model model) {
    }
}
