package org.polyvae.job.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** A round's worker network starts at the driver's iteration and epoch count, read when the task is serialised. */
class WorkerStepCountTest {
    private static ComputationGraph network(ComputationGraphConfiguration conf) {
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    private static WorkerStepCount shipped(WorkerStepCount hook) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(hook);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (WorkerStepCount) in.readObject();
        }
    }

    @Test
    void theWorkerContinuesTheDriversCountInsteadOfStartingAtZero() throws Exception {
        ComputationGraph driver = network(new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT)
                .updater(new Adam(0.01)).graphBuilder().addInputs("x")
                .addLayer("y", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(3).nOut(1)
                        .activation(Activation.IDENTITY).build(), "x")
                .setOutputs("y").build());
        WorkerStepCount hook = new WorkerStepCount(driver);
        driver.getConfiguration().setIterationCount(17);
        driver.getConfiguration().setEpochCount(3);
        WorkerStepCount round = shipped(hook);

        // What DL4J 1.0.0-M2's worker builds its network from: the counts are gone.
        ComputationGraph worker = network(driver.getConfiguration().clone());
        assertEquals(0, worker.getConfiguration().getIterationCount());
        MultiDataSet minibatch = new MultiDataSet(Nd4j.rand(DataType.FLOAT, 4, 3), Nd4j.rand(DataType.FLOAT, 4, 1));
        round.preUpdate(minibatch, worker);
        assertEquals(17, worker.getConfiguration().getIterationCount());
        assertEquals(3, worker.getConfiguration().getEpochCount());
        worker.fit(minibatch);
        round.preUpdate(minibatch, worker);
        assertEquals(18, worker.getConfiguration().getIterationCount(), "within a round the worker counts on");

        // The next round ships the driver's count after DL4J's master added the round's minibatches.
        driver.getConfiguration().setIterationCount(22);
        ComputationGraph next = network(driver.getConfiguration().clone());
        shipped(hook).preUpdate(minibatch, next);
        assertEquals(22, next.getConfiguration().getIterationCount());
    }
}
