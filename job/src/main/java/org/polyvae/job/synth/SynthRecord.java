package org.polyvae.job.synth;

import java.io.Serializable;
import org.polyvae.data.WindowClass;

/**
 * What an executor reports back for one written image: its E11 label and grain statistics. Serializable:
 * it is an RDD element (Kryo hands records to Java serialization, see {@code RecordsKryoRegistrator}).
 */
public record SynthRecord(WindowClass windowClass, int number, double e11, int visibleGrains, int femIterations)
        implements Serializable {
    @Override
    public String toString() {
        return windowClass.token() + " #" + number + " E11=" + e11 + " grains=" + visibleGrains;
    }
}
