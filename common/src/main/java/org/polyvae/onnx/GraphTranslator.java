package org.polyvae.onnx;

import static org.polyvae.onnx.OnnxGraph.attribute;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationELU;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationSwish;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.polyvae.model.ClassCodeBlocksVertex;
import org.polyvae.model.DepthToSpaceVertex;
import org.polyvae.model.FastConvolution;
import org.polyvae.model.GrayLevelVertex;
import org.polyvae.model.TileToMapVertex;

/**
 * Translates the inference-time forward pass of a DL4J ComputationGraph into ONNX nodes, vertex by vertex,
 * with the trained parameters as initializers. It covers what polyvae's encoders and decoders are built
 * from: convolutions (DL4J's and {@link FastConvolution}, same padding), transposed convolutions, dense
 * layers, nearest upsampling, activation and loss layers (their activation), merge, element-wise, subset
 * and preprocessor vertices, and polyvae's {@link TileToMapVertex}, {@link DepthToSpaceVertex},
 * {@link ClassCodeBlocksVertex} and {@link GrayLevelVertex}. Anything else fails with an {@link UnsupportedExportException} naming the vertex.
 * <p>
 * Only what the requested vertices depend on is translated, so a decoder can be exported from a graph whose
 * other branches (an encoder, a discriminator) use vertices that have no translation.
 */
public final class GraphTranslator {
    private final ComputationGraph net;
    private final ComputationGraphConfiguration conf;
    private final OnnxGraph onnx;
    private final Map<String, String> tensors = new HashMap<>();

    public GraphTranslator(ComputationGraph net, OnnxGraph onnx) {
        this.net = net;
        this.conf = net.getConfiguration();
        this.onnx = onnx;
    }

    /** Feeds the network input {@code input} from the ONNX tensor {@code tensor}. */
    public void bind(String input, String tensor) {
        if (!conf.getNetworkInputs().contains(input)) {
            throw new IllegalArgumentException("the network has no input '" + input + "'; its inputs are "
                    + conf.getNetworkInputs());
        }
        tensors.put(input, tensor);
    }

    /** The ONNX tensor holding vertex {@code vertex}'s output, translating it and its ancestors first. */
    public String translate(String vertex) {
        String done = tensors.get(vertex);
        if (done != null) {
            return done;
        }
        if (conf.getNetworkInputs().contains(vertex)) {
            throw new IllegalStateException("network input '" + vertex + "' is needed but was not bound");
        }
        GraphVertex v = conf.getVertices().get(vertex);
        if (v == null) {
            throw new IllegalArgumentException("the network has no vertex '" + vertex + "'");
        }
        List<String> in = new ArrayList<>();
        for (String parent : conf.getVertexInputs().getOrDefault(vertex, List.of())) {
            in.add(translate(parent));
        }
        String out = vertex(vertex, v, in);
        tensors.put(vertex, out);
        return out;
    }

    private String vertex(String name, GraphVertex v, List<String> in) {
        if (v instanceof LayerVertex lv) {
            String x = in.get(0);
            if (lv.getPreProcessor() != null) {
                x = preprocessor(name, lv.getPreProcessor(), x);
            }
            return layer(name, lv.getLayerConf().getLayer(), x);
        }
        if (v instanceof PreprocessorVertex pv) {
            return preprocessor(name, pv.getPreProcessor(), in.get(0));
        }
        if (v instanceof MergeVertex m) {
            if (in.size() == 1) {
                return in.get(0);
            }
            return onnx.node("Concat", in, name, attribute("axis", (long) m.getMergeAxis()));
        }
        if (v instanceof ElementWiseVertex e && in.size() == 2) {
            String op = switch (e.getOp()) {
                case Add -> "Add";
                case Subtract -> "Sub";
                case Product -> "Mul";
                default -> throw unsupported(name, "an element-wise " + e.getOp() + " vertex");
            };
            return onnx.node(op, in, name);
        }
        if (v instanceof SubsetVertex s) {
            // DL4J's range is inclusive; Slice's end is not.
            return onnx.node("Slice", List.of(in.get(0), onnx.longs(name + "_start", s.getFrom()),
                    onnx.longs(name + "_end", s.getTo() + 1L), onnx.longs(name + "_axis", 1)), name);
        }
        if (v instanceof TileToMapVertex t) {
            String column = onnx.node("Unsqueeze", List.of(in.get(0), onnx.longs(name + "_axes", 2, 3)),
                    name + "_column");
            return onnx.node("Tile", List.of(column, onnx.longs(name + "_repeats", 1, 1, t.getSize(), t.getSize())),
                    name);
        }
        if (v instanceof DepthToSpaceVertex d) {
            // ND4J's depth_to_space on NCHW takes the channels as (row offset, column offset, channel): DCR.
            return onnx.node("DepthToSpace", in, name, attribute("blocksize", (long) d.getBlockSize()),
                    attribute("mode", "DCR"));
        }
        if (v instanceof GrayLevelVertex g) {
            return grayLevel(name, g, in.get(0));
        }
        if (v instanceof ClassCodeBlocksVertex b) {
            return classCodeBlocks(name, b, in.get(0), in.get(1));
        }
        throw unsupported(name, "a " + v.getClass().getSimpleName() + " with " + in.size() + " input(s)");
    }

    private String layer(String name, Layer layer, String x) {
        if (layer instanceof FastConvolution f) {
            INDArray w = param(name, "W").permute(3, 2, 0, 1); // [k, k, in, out] → [out, in, k, k]
            String z = onnx.node("Conv", List.of(x, onnx.weight(name + "_W", w), onnx.weight(name + "_b",
                    param(name, "b").reshape(-1))), name + "_conv",
                    attribute("kernel_shape", f.getKernel(), f.getKernel()),
                    attribute("strides", f.getStride(), f.getStride()), attribute("auto_pad", "SAME_UPPER"));
            return activation(name, f.getActivation().getActivationFunction(), z);
        }
        if (layer instanceof Deconvolution2D d) {
            requireSame(name, d.getConvolutionMode(), d.getDilation());
            String z = onnx.node("ConvTranspose", weightAndBias(name, x, d.hasBias()), name + "_deconv",
                    attribute("kernel_shape", toLongs(d.getKernelSize())), attribute("strides", toLongs(d.getStride())),
                    attribute("auto_pad", "SAME_UPPER"));
            return activation(name, d.getActivationFn(), z);
        }
        if (layer instanceof ConvolutionLayer c && c.getClass() == ConvolutionLayer.class) {
            requireSame(name, c.getConvolutionMode(), c.getDilation());
            String z = onnx.node("Conv", weightAndBias(name, x, c.hasBias()), name + "_conv",
                    attribute("kernel_shape", toLongs(c.getKernelSize())), attribute("strides", toLongs(c.getStride())),
                    attribute("auto_pad", "SAME_UPPER"));
            return activation(name, c.getActivationFn(), z);
        }
        if (layer instanceof DenseLayer d) {
            String z = onnx.node(d.hasBias() ? "Gemm" : "MatMul", weightAndBias(name, x, d.hasBias()),
                    name + "_dense");
            return activation(name, d.getActivationFn(), z);
        }
        if (layer instanceof ActivationLayer a) {
            return activation(name, a.getActivationFn(), x);
        }
        if (layer instanceof CnnLossLayer l) {
            return activation(name, l.getActivationFn(), x);
        }
        if (layer instanceof LossLayer l) {
            return activation(name, l.getActivationFn(), x);
        }
        if (layer instanceof Upsampling2D u && u.getFormat() == CNN2DFormat.NCHW) {
            int[] s = u.getSize();
            return onnx.node("Resize", List.of(x, "", onnx.floats(name + "_scales", new float[] {1, 1, s[0], s[1]}, 4)),
                    name, attribute("mode", "nearest"), attribute("coordinate_transformation_mode", "asymmetric"),
                    attribute("nearest_mode", "floor"));
        }
        if (layer instanceof BaseOutputLayer) {
            throw unsupported(name, "an output layer with weights (" + layer.getClass().getSimpleName() + ")");
        }
        throw unsupported(name, "a " + layer.getClass().getSimpleName() + " layer");
    }

    private List<String> weightAndBias(String name, String x, boolean bias) {
        List<String> in = new ArrayList<>(List.of(x, onnx.weight(name + "_W", param(name, "W"))));
        if (bias) {
            in.add(onnx.weight(name + "_b", param(name, "b").reshape(-1)));
        }
        return in;
    }

    private String preprocessor(String name, InputPreProcessor p, String x) {
        if (p instanceof FeedForwardToCnnPreProcessor f) {
            return onnx.node("Reshape", List.of(x, onnx.longs(name + "_map_shape", -1, f.getNumChannels(),
                    f.getInputHeight(), f.getInputWidth())), name + "_map");
        }
        if (p instanceof CnnToFeedForwardPreProcessor c && c.getFormat() == CNN2DFormat.NCHW) {
            // DL4J flattens NCHW maps channel-major, as ONNX's row-major Reshape does.
            return onnx.node("Reshape", List.of(x, onnx.longs(name + "_flat_shape", -1,
                    c.getNumChannels() * c.getInputHeight() * c.getInputWidth())), name + "_flat");
        }
        throw unsupported(name, "a " + p.getClass().getSimpleName() + " preprocessor");
    }

    /**
     * {@link ClassCodeBlocksVertex}: every class's map applied at once, x · [M_0 | … | M_(K−1)] ([n, K·L], M_c
     * the class's map over the whole flattened code), then the one-hot picks (mixes) the class's result.
     */
    private String classCodeBlocks(String name, ClassCodeBlocksVertex b, String code, String onehot) {
        int[] blocks = b.getBlocks();
        int k = blocks.length;
        int positions = b.getSize() * b.getSize();
        int width = b.getChannels() * positions;
        float[] maps = new float[width * k * width]; // [width, k·width], row-major
        for (int c = 0; c < k; c++) {
            INDArray m = b.positionMap(blocks[c], DataType.FLOAT);
            for (int ch = 0; ch < b.getChannels(); ch++) {
                for (int p = 0; p < positions; p++) {
                    for (int q = 0; q < positions; q++) {
                        maps[(ch * positions + p) * k * width + c * width + ch * positions + q] = m.getFloat(p, q);
                    }
                }
            }
        }
        String all = onnx.node("MatMul", List.of(code, onnx.floats(name + "_maps", maps, width, (long) k * width)),
                name + "_all");
        String perClass = onnx.node("Reshape", List.of(all, onnx.longs(name + "_shape", -1, k, width)),
                name + "_per_class");
        String mask = onnx.node("Unsqueeze", List.of(onehot, onnx.longs(name + "_mask_axes", 2)), name + "_mask");
        return onnx.node("ReduceSum", List.of(onnx.node("Mul", List.of(perClass, mask), name + "_masked"),
                onnx.longs(name + "_axes", 1)), name, attribute("keepdims", 0L));
    }

    private String grayLevel(String name, GrayLevelVertex g, String probabilities) {
        String level;
        if (g.isMean()) {
            float[] levels = new float[g.getLevels()];
            for (int k = 0; k < levels.length; k++) {
                levels[k] = k;
            }
            String weighted = onnx.node("Mul", List.of(probabilities,
                    onnx.floats(name + "_levels", levels, 1, levels.length, 1, 1)), name + "_weighted");
            level = onnx.node("ReduceSum", List.of(weighted, onnx.longs(name + "_axes", 1)), name + "_level",
                    attribute("keepdims", 1L));
        } else {
            String index = onnx.node("ArgMax", List.of(probabilities), name + "_index", attribute("axis", 1L),
                    attribute("keepdims", 1L));
            level = onnx.node("Cast", List.of(index), name + "_level", attribute("to", 1L)); // 1 = FLOAT
        }
        // The gray at the level's centre: (level + 0.5) / K.
        String shifted = onnx.node("Add", List.of(level, onnx.floats(name + "_half", new float[] {0.5f})),
                name + "_centre");
        return onnx.node("Div", List.of(shifted, onnx.floats(name + "_count", new float[] {g.getLevels()})), name);
    }

    private String activation(String name, IActivation fn, String x) {
        if (fn instanceof ActivationIdentity) {
            return x;
        }
        if (fn instanceof ActivationReLU r && r.getMax() == null && r.getThreshold() == null
                && r.getNegativeSlope() == null) {
            return onnx.node("Relu", List.of(x), name);
        }
        if (fn instanceof ActivationLReLU l) {
            return onnx.node("LeakyRelu", List.of(x), name, attribute("alpha", (float) l.getAlpha()));
        }
        if (fn instanceof ActivationELU e) {
            return onnx.node("Elu", List.of(x), name, attribute("alpha", (float) e.getAlpha()));
        }
        if (fn instanceof ActivationTanH) {
            return onnx.node("Tanh", List.of(x), name);
        }
        if (fn instanceof ActivationSigmoid) {
            return onnx.node("Sigmoid", List.of(x), name);
        }
        if (fn instanceof ActivationSwish) {
            String gate = onnx.node("Sigmoid", List.of(x), name + "_gate");
            return onnx.node("Mul", List.of(x, gate), name);
        }
        if (fn instanceof ActivationSoftmax) {
            // Over the channels: the classes of a dense output, the levels of each pixel of a map.
            return onnx.node("Softmax", List.of(x), name, attribute("axis", 1L));
        }
        throw unsupported(name, "activation " + fn);
    }

    private INDArray param(String layer, String key) {
        INDArray p = net.getLayer(layer).paramTable().get(key);
        if (p == null) {
            throw new IllegalStateException("layer '" + layer + "' has no parameter '" + key + "'");
        }
        return p;
    }

    private static void requireSame(String name, ConvolutionMode mode, int[] dilation) {
        if (mode != ConvolutionMode.Same || dilation[0] != 1 || dilation[1] != 1) {
            throw unsupported(name, "a convolution in mode " + mode + " with dilation " + dilation[0] + "×"
                    + dilation[1] + " (only same padding without dilation is translated)");
        }
    }

    private static long[] toLongs(int[] values) {
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    private static UnsupportedExportException unsupported(String vertex, String what) {
        return new UnsupportedExportException("vertex '" + vertex + "' is " + what + ", which polyvae's ONNX export "
                + "has no translation for; nothing was written");
    }
}
