package org.polyvae.job.synth;

import java.io.Serializable;
import org.polyvae.data.WindowClass;

/**
 * One image to synthesise: its class, its number in the original naming scheme, and its own seed.
 * Serializable: it is an RDD element (Kryo hands records to Java serialization, see
 * {@code RecordsKryoRegistrator}).
 */
public record SynthTask(WindowClass windowClass, int number, long seed) implements Serializable {
    @Override
    public String toString() {
        return windowClass.token() + " #" + number + " seed " + seed;
    }
}
