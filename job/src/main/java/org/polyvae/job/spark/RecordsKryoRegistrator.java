package org.polyvae.job.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import org.nd4j.kryo.Nd4jRegistrator;

/**
 * Spark's Kryo setup for polyvae: ND4J's registrations (INDArrays, minibatches, compactly) and Java
 * serialization for every record. Kryo 4's field serializer cannot build a record (it sets final fields
 * on an instance made without the canonical constructor), while Java serialization of a record goes
 * through that constructor; so records that cross Spark (RDD elements, task results, broadcasts) must be
 * {@link java.io.Serializable}.
 */
public class RecordsKryoRegistrator extends Nd4jRegistrator {
    @Override
    public void registerClasses(Kryo kryo) {
        super.registerClasses(kryo);
        // A default serializer for a superclass covers all its subclasses: every record, without a list to keep.
        kryo.addDefaultSerializer(Record.class, JavaSerializer.class);
    }
}
