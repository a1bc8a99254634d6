package org.polyvae.job.synth;

import java.io.Serializable;
import org.polyvae.data.WindowClass;

/**
 * What an executor reports back for one written image: its E11 label and grain statistics. A plain class
 * (not a record) because it is an RDD element and Spark's Kryo serializer cannot build records.
 */
public final class SynthRecord implements Serializable {
    private static final long serialVersionUID = 1L;

    private WindowClass windowClass;
    private int index;
    private double e11;
    private int visibleGrains;
    private int femIterations;

    /** For Kryo. */
    @SuppressWarnings("unused")
    private SynthRecord() {
    }

    public SynthRecord(WindowClass windowClass, int index, double e11, int visibleGrains, int femIterations) {
        this.windowClass = windowClass;
        this.index = index;
        this.e11 = e11;
        this.visibleGrains = visibleGrains;
        this.femIterations = femIterations;
    }

    public WindowClass windowClass() {
        return windowClass;
    }

    public int index() {
        return index;
    }

    public double e11() {
        return e11;
    }

    public int visibleGrains() {
        return visibleGrains;
    }

    public int femIterations() {
        return femIterations;
    }

    @Override
    public String toString() {
        return windowClass.token() + " #" + index + " E11=" + e11 + " grains=" + visibleGrains;
    }
}
