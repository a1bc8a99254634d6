package org.polyvae.job;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs "label: done/total unit (rate/s, ETA)" from the driver at a fixed interval while a Spark action
 * runs. Executors count finished items in a {@link LongAccumulator}; Spark merges accumulator updates
 * when a task finishes, so the count moves in task-sized steps.
 */
public final class ProgressReporter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProgressReporter.class);

    private final String label;
    private final long total;
    private final String unit;
    private final LongAccumulator done;
    private final long startNanos = System.nanoTime();
    private final ScheduledExecutorService timer;

    private ProgressReporter(String label, long total, String unit, LongAccumulator done, Duration every) {
        this.label = label;
        this.total = total;
        this.unit = unit;
        this.done = done;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "polyvae-progress");
            t.setDaemon(true);
            return t;
        });
        long ms = every.toMillis();
        timer.scheduleAtFixedRate(this::report, ms, ms, TimeUnit.MILLISECONDS);
    }

    public static ProgressReporter start(String label, long total, String unit, LongAccumulator done, Duration every) {
        return new ProgressReporter(label, total, unit, done, every);
    }

    public double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** The progress line for the current count; public so stages can print the final one. */
    public String line() {
        long n = done.value();
        double seconds = elapsedSeconds();
        double rate = seconds > 0 ? n / seconds : 0;
        String eta = rate > 0 && n < total ? ", ETA " + formatSeconds((total - n) / rate) : "";
        return String.format("%s: %d/%d %s (%.1f %s/s, %s elapsed%s)", label, n, total, unit, rate, unit,
                formatSeconds(seconds), eta);
    }

    private void report() {
        LOG.info(line());
    }

    static String formatSeconds(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60)
                : String.format("%d:%02d", s / 60, s % 60);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        LOG.info(line());
    }
}
