package org.polyvae.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import onnx.Onnx.AttributeProto;
import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.OperatorSetIdProto;
import onnx.Onnx.StringStringEntryProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.TensorShapeProto;
import onnx.Onnx.TypeProto;
import onnx.Onnx.ValueInfoProto;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.protobuf.ByteString;

/**
 * An ONNX model under construction: inputs, outputs, weights (initializers) and nodes, written with the ONNX
 * protobuf schema as compiled by protobuf-java in ND4J ({@code onnx.Onnx} in nd4j-api). That schema is ONNX's
 * onnx.proto of IR version 3; every field used here has kept its number and meaning since, so the model
 * declares {@link #IR_VERSION} 7 with the standard operator set {@link #OPSET} (Softmax and ArgMax over one
 * axis, Unsqueeze and Slice with tensor inputs, DepthToSpace with a mode).
 * <p>
 * Tensor names are made unique here; every method that adds a node returns the name of its output.
 */
public final class OnnxGraph {
    public static final int IR_VERSION = 7;
    public static final int OPSET = 13;
    /** The symbolic name of the minibatch dimension of every input and output. */
    public static final String BATCH = "batch";

    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final Set<String> names = new HashSet<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private int nodes;

    public OnnxGraph(String name, String docString) {
        graph.setName(name).setDocString(docString);
    }

    /** A float input of shape [batch, dims…]. */
    public String input(String name, long... dims) {
        graph.addInput(valueInfo(claim(name), dims));
        return name;
    }

    /** Declares {@code tensor} as a float output named {@code name} of shape [batch, dims…]. */
    public void output(String name, String tensor, long... dims) {
        if (!tensor.equals(name)) {
            if (names.contains(name)) {
                throw new IllegalArgumentException("the ONNX graph already has a tensor named '" + name + "'");
            }
            node("Identity", List.of(tensor), name); // a free hint is taken as the name itself
        }
        graph.addOutput(valueInfo(name, dims));
    }

    /** A float weight of the array's shape (copied, C order). */
    public String weight(String hint, INDArray array) {
        INDArray values = array.castTo(DataType.FLOAT).dup('c');
        float[] data = values.data().asFloat();
        return floats(hint, data, values.shape());
    }

    /** A float constant of the given shape. */
    public String floats(String hint, float[] data, long... shape) {
        ByteBuffer bytes = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : data) {
            bytes.putFloat(v);
        }
        return initializer(hint, TensorProto.DataType.FLOAT, bytes, shape);
    }

    /** A one-dimensional int64 constant (shapes, axes, repeats). */
    public String longs(String hint, long... values) {
        ByteBuffer bytes = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            bytes.putLong(v);
        }
        return initializer(hint, TensorProto.DataType.INT64, bytes, values.length);
    }

    private String initializer(String hint, TensorProto.DataType type, ByteBuffer littleEndian, long... shape) {
        String name = unique(hint);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type)
                .setRawData(ByteString.copyFrom(littleEndian.array()));
        for (long d : shape) {
            t.addDims(d);
        }
        graph.addInitializer(t);
        return name;
    }

    /** A node with one output, named after {@code hint}; returns the output's name. */
    public String node(String opType, List<String> inputs, String hint, AttributeProto... attributes) {
        return node(opType, inputs, new String[] {hint}, attributes)[0];
    }

    /** A node with several outputs, named after {@code hints}; returns their names. */
    public String[] node(String opType, List<String> inputs, String[] hints, AttributeProto... attributes) {
        String[] outputs = new String[hints.length];
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(opType).setName(opType + "_" + nodes++)
                .addAllInput(inputs);
        for (int i = 0; i < hints.length; i++) {
            outputs[i] = unique(hints[i]);
            n.addOutput(outputs[i]);
        }
        for (AttributeProto a : attributes) {
            n.addAttribute(a);
        }
        graph.addNode(n);
        return outputs;
    }

    /** A key/value pair in the model's metadata_props (what onnxruntime's model metadata shows). */
    public void metadata(String key, String value) {
        metadata.put(key, value);
    }

    /** The serialised ModelProto. */
    public byte[] toBytes() {
        ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName("polyvae")
                .setGraph(graph).addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET));
        metadata.forEach((k, v) -> m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return m.build().toByteArray();
    }

    public static AttributeProto attribute(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    public static AttributeProto attribute(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value)
                .build();
    }

    public static AttributeProto attribute(String name, String value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(value)).build();
    }

    public static AttributeProto attribute(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    private static ValueInfoProto valueInfo(String name, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH));
        for (long d : dims) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT).setShape(shape))).build();
    }

    private String claim(String name) {
        if (!names.add(name)) {
            throw new IllegalArgumentException("the ONNX graph already has a tensor named '" + name + "'");
        }
        return name;
    }

    private String unique(String hint) {
        String name = hint;
        for (int i = 1; names.contains(name); i++) {
            name = hint + "_" + i;
        }
        names.add(name);
        return name;
    }
}
