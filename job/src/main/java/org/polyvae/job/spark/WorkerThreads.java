package org.polyvae.job.spark;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.polyvae.model.NativeThreads;

/**
 * Fits every worker minibatch on the configured native thread count ({@link NativeThreads}): the executor
 * thread that first touched ND4J (deserialising the round's broadcast network) would otherwise run its
 * convolutions on ND4J 1.0.0-M2's 4 threads, beside the executor's other task threads.
 */
final class WorkerThreads implements TrainingHook {
    private static final long serialVersionUID = 1L;

    @Override
    public void preUpdate(MultiDataSet minibatch, Model model) {
        NativeThreads.useConfigured();
    }

    @Override
    public void postUpdate(MultiDataSet minibatch, Model model) {
    }

    @Override
    public void preUpdate(DataSet minibatch, Model model) {
        NativeThreads.useConfigured();
    }

    @Override
    public void postUpdate(DataSet minibatch, Model model) {
    }
}
