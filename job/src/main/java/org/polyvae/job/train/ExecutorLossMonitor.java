package org.polyvae.job.train;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the Spark context for lost executors and failed tasks during training, so that the training log
 * says when Spark recovered from a fault (re-ran the lost tasks elsewhere, brought a replacement executor)
 * and parameter averaging carried on, instead of the fault passing unnoticed or looking like a hang.
 * Events arrive on Spark's listener bus thread; the counters are read on the driver's training thread.
 */
final class ExecutorLossMonitor extends SparkListener {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorLossMonitor.class);

    /** Ids of every executor seen removed: Spark may post the removal of one executor more than once. */
    private final Set<String> removed = ConcurrentHashMap.newKeySet();
    private final AtomicInteger executorsLost = new AtomicInteger();
    private final AtomicInteger executorsAdded = new AtomicInteger();
    private final AtomicInteger tasksFailed = new AtomicInteger();

    /** Faults seen since the previous {@link #drain()}. */
    record Faults(int executorsLost, int executorsAdded, int tasksFailed) {
        boolean any() {
            return executorsLost > 0 || tasksFailed > 0;
        }
    }

    @Override
    public void onExecutorRemoved(SparkListenerExecutorRemoved event) {
        if (!removed.add(event.executorId())) {
            return;
        }
        executorsLost.incrementAndGet();
        LOG.warn("train: executor {} lost ({}); Spark re-runs its tasks on the other executors", event.executorId(),
                event.reason());
    }

    @Override
    public void onExecutorAdded(SparkListenerExecutorAdded added) {
        executorsAdded.incrementAndGet();
        LOG.info("train: executor {} joined on {}", added.executorId(), added.executorInfo().executorHost());
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        if (end.taskInfo().failed() || end.taskInfo().killed()) {
            tasksFailed.incrementAndGet();
        }
    }

    /** The counts since the last call, which are reset. */
    Faults drain() {
        return new Faults(executorsLost.getAndSet(0), executorsAdded.getAndSet(0), tasksFailed.getAndSet(0));
    }
}
