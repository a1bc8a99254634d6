package org.polyvae.model;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A spatial code whose resolution follows the window class ({@code polyvae.model.class-code-blocks}): for a
 * class with block side f, its code map is one value per f × f block of positions. Inputs: a flattened map
 * [n, channels·size·size] (channel-major, as {@code CnnToFeedForwardPreProcessor} flattens) and the class
 * one-hot [n, classes]. Two modes, each a fixed linear map per class, mixed by the one-hot:
 * <ul>
 *   <li>pool (the encoder's side, on [mu | logvar]): each block's mean is written to the block's first
 *   (top-left) position and every other position of the block becomes 0, i.e. mu = 0 and logvar = 0, the
 *   prior N(0, 1) itself, whose KL is 0: the KL term then counts each block variable once;</li>
 *   <li>spread (the decoder's side, on z): every position of a block takes the block's first position's
 *   value, so the decoder sees a code map of the class's resolution and the other positions' values are
 *   ignored.</li>
 * </ul>
 * A block side of 1 is the identity. No parameters; JSON-serialisable by class name (keep the no-argument
 * constructor and the getters/setters).
 */
public class ClassCodeBlocksVertex extends ParameterFreeVertex {
    private static final long serialVersionUID = 1L;

    private boolean spread;
    private int channels = 1;
    private int size = 1;
    private int[] blocks = {1};

    public ClassCodeBlocksVertex() {
    }

    /**
     * @param spread   spread each block's first position over the block (else pool the block into it)
     * @param channels channels of the flattened map
     * @param size     side of the map
     * @param blocks   block side per class, in the one-hot's order; each divides {@code size}
     */
    public ClassCodeBlocksVertex(boolean spread, int channels, int size, int[] blocks) {
        if (channels < 1 || size < 1 || blocks.length == 0) {
            throw new IllegalArgumentException("class code blocks need channels, size and classes ≥ 1, got "
                    + channels + ", " + size + ", " + blocks.length);
        }
        for (int f : blocks) {
            if (f < 1 || size % f != 0) {
                throw new IllegalArgumentException("a code block side must be ≥ 1 and divide the map side " + size
                        + ", got " + Arrays.toString(blocks));
            }
        }
        this.spread = spread;
        this.channels = channels;
        this.size = size;
        this.blocks = blocks.clone();
    }

    public boolean isSpread() {
        return spread;
    }

    public void setSpread(boolean spread) {
        this.spread = spread;
    }

    public int getChannels() {
        return channels;
    }

    public void setChannels(int channels) {
        this.channels = channels;
    }

    public int getSize() {
        return size;
    }

    public void setSize(int size) {
        this.size = size;
    }

    public int[] getBlocks() {
        return blocks.clone();
    }

    public void setBlocks(int[] blocks) {
        this.blocks = blocks.clone();
    }

    /**
     * The map of one channel for block side {@code f}, [size², size²]: a row of positions times it is the
     * pooled (or spread) row.
     */
    public INDArray positionMap(int f, DataType type) {
        int n = size * size;
        INDArray m = Nd4j.zeros(type, n, n);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int p = y * size + x;
                int first = (y - y % f) * size + (x - x % f);
                if (spread) {
                    m.putScalar(first, p, 1.0);
                } else {
                    m.putScalar(p, first, 1.0 / (f * f));
                }
            }
        }
        return m;
    }

    @Override
    protected int inputCount() {
        return 2;
    }

    @Override
    public ClassCodeBlocksVertex clone() {
        return new ClassCodeBlocksVertex(spread, channels, size, blocks);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassCodeBlocksVertex v && v.spread == spread && v.channels == channels && v.size == size
                && Arrays.equals(v.blocks, blocks);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new int[] {spread ? 1 : 0, channels, size, Arrays.hashCode(blocks)});
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
            INDArray paramsView, boolean initializeParams, DataType networkDatatype) {
        return new ClassCodeBlocksVertexImpl(graph, name, idx, this, networkDatatype);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... inputs) throws InvalidInputTypeException {
        long width = (long) channels * size * size;
        if (inputs.length != 2 || !(inputs[0] instanceof InputType.InputTypeFeedForward code)
                || code.getSize() != width || !(inputs[1] instanceof InputType.InputTypeFeedForward cls)
                || cls.getSize() != blocks.length) {
            throw new InvalidInputTypeException("ClassCodeBlocksVertex expects a feed-forward code of " + width
                    + " (" + channels + " channels × " + size + "²) and a one-hot of " + blocks.length
                    + " classes, got " + Arrays.toString(inputs));
        }
        return InputType.feedForward(width);
    }

    @Override
    public String toString() {
        return "ClassCodeBlocksVertex(" + (spread ? "spread" : "pool") + ", channels=" + channels + ", size=" + size
                + ", blocks=" + Arrays.toString(blocks) + ")";
    }
}
