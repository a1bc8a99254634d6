package org.polyvae.job.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.junit.jupiter.api.Test;

class ExecutorLossMonitorTest {

    @Test
    void countsLostExecutorsUntilDrained() {
        ExecutorLossMonitor monitor = new ExecutorLossMonitor();
        assertFalse(monitor.drain().any());
        monitor.onExecutorRemoved(new SparkListenerExecutorRemoved(1L, "1", "Container killed"));
        monitor.onExecutorRemoved(new SparkListenerExecutorRemoved(2L, "2", "Container killed"));
        monitor.onExecutorRemoved(new SparkListenerExecutorRemoved(3L, "2", "posted again by another component"));
        ExecutorLossMonitor.Faults faults = monitor.drain();
        assertTrue(faults.any());
        assertEquals(2, faults.executorsLost());
        assertFalse(monitor.drain().any(), "drain resets the counts: the next epoch starts clean");
    }
}
