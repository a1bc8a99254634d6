package org.polyvae.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Runs an ONNX model in onnxruntime (test helper): named float inputs in, named float outputs out. */
public final class OnnxRuntime {
    private OnnxRuntime() {
    }

    /** The outputs of {@code model} on {@code inputs}, as ND4J arrays of the shapes onnxruntime gave. */
    public static Map<String, INDArray> run(byte[] model, Map<String, INDArray> inputs) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, OnnxTensor> feeds = new HashMap<>();
        try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions())) {
            for (Map.Entry<String, INDArray> e : inputs.entrySet()) {
                INDArray a = e.getValue().castTo(DataType.FLOAT).dup('c');
                feeds.put(e.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(a.data().asFloat()), a.shape()));
            }
            Map<String, INDArray> out = new LinkedHashMap<>();
            try (OrtSession.Result result = session.run(feeds)) {
                for (Map.Entry<String, ai.onnxruntime.OnnxValue> e : result) {
                    OnnxTensor t = (OnnxTensor) e.getValue();
                    FloatBuffer b = t.getFloatBuffer();
                    float[] data = new float[b.remaining()];
                    b.get(data);
                    out.put(e.getKey(), Nd4j.create(data, t.getInfo().getShape(), 'c'));
                }
            }
            return out;
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
    }
}
