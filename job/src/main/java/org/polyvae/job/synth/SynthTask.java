package org.polyvae.job.synth;

import java.io.Serializable;
import org.polyvae.data.WindowClass;

/**
 * One image to synthesise: its class, its number in the original naming scheme, and its own seed.
 * A plain class rather than a record because it is an RDD element and Spark's Kryo serializer cannot
 * set a record's final fields.
 */
public final class SynthTask implements Serializable {
    private static final long serialVersionUID = 1L;

    private WindowClass windowClass;
    private int index;
    private long seed;

    /** For Kryo. */
    @SuppressWarnings("unused")
    private SynthTask() {
    }

    public SynthTask(WindowClass windowClass, int index, long seed) {
        this.windowClass = windowClass;
        this.index = index;
        this.seed = seed;
    }

    public WindowClass windowClass() {
        return windowClass;
    }

    public int index() {
        return index;
    }

    public long seed() {
        return seed;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SynthTask t && t.windowClass == windowClass && t.index == index && t.seed == seed;
    }

    @Override
    public int hashCode() {
        return (windowClass.hashCode() * 31 + index) * 31 + Long.hashCode(seed);
    }

    @Override
    public String toString() {
        return windowClass.token() + " #" + index + " seed " + seed;
    }
}
