package org.polyvae.model;

import java.nio.FloatBuffer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.enums.DataFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.DepthToSpace;
import org.nd4j.linalg.api.ops.impl.layers.convolution.SpaceToDepth;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Depth to space and back (NCHW, block b, ND4J's channel order: channel (by·b + bx)·C + c of the input
 * becomes pixel (y·b + by, x·b + bx) of output channel c) as a plain loop over the arrays' memory.
 * libnd4j's depth_to_space / space_to_depth ops run single-threaded at a fraction of memory speed and
 * were a tenth of a training step. Here each row of the wide array is assembled in (or taken apart from) a
 * Java array: one bulk transfer per row of either array, the stride-b interleaving in a plain array loop,
 * where element-by-element buffer access costs a bounds check and a native address per element.
 * Float arrays, what training runs on; other types (the gradient checks' doubles) go to ND4J's ops.
 */
final class PixelShuffle {
    private PixelShuffle() {
    }

    /** out [n, c, h·b, w·b] ← in [n, c·b², h, w]. */
    static void depthToSpace(INDArray in, INDArray out, int b) {
        shuffle(in, out, b, true);
    }

    /** in [n, c·b², h, w] ← out [n, c, h·b, w·b]: the inverse, which is also depth to space's gradient. */
    static void spaceToDepth(INDArray out, INDArray in, int b) {
        shuffle(in, out, b, false);
    }

    private static void shuffle(INDArray deep, INDArray wide, int b, boolean toWide) {
        INDArray src = contiguous(toWide ? deep : wide);
        INDArray dst = toWide ? wide : deep;
        boolean direct = isPlain(dst) && src.dataType() == DataType.FLOAT && dst.dataType() == DataType.FLOAT;
        if (!direct) {
            Nd4j.exec(toWide ? new DepthToSpace(src, dst, b, DataFormat.NCHW)
                    : new SpaceToDepth(src, dst, b, DataFormat.NCHW));
            return;
        }
        INDArray deepArray = toWide ? src : dst;
        INDArray wideArray = toWide ? dst : src;
        int n = (int) deep.size(0);
        int cb = (int) deep.size(1);
        int h = (int) deep.size(2);
        int w = (int) deep.size(3);
        int c = cb / (b * b);
        int wideWidth = w * b;
        Rows rows = new Rows(deepArray, wideArray, wideWidth);
        for (int i = 0; i < n; i++) {
            for (int oc = 0; oc < c; oc++) {
                for (int y = 0; y < h; y++) {
                    for (int by = 0; by < b; by++) {
                        int wideRow = (((i * c + oc) * h + y) * b + by) * wideWidth;
                        if (!toWide) {
                            rows.readWide(wideRow);
                        }
                        for (int bx = 0; bx < b; bx++) {
                            int deepRow = ((i * cb + (by * b + bx) * c + oc) * h + y) * w;
                            if (toWide) {
                                rows.deepIntoWide(deepRow, w, bx, b);
                            } else {
                                rows.wideIntoDeep(deepRow, w, bx, b);
                            }
                        }
                        if (toWide) {
                            rows.writeWide(wideRow);
                        }
                    }
                }
            }
        }
    }

    /** One row of the wide array staged in a Java array, filled from and emptied into the deep array's rows. */
    private static final class Rows {
        private final FloatBuffer deep;
        private final FloatBuffer wide;
        private final float[] row;
        private final float[] part;

        Rows(INDArray deep, INDArray wide, int wideWidth) {
            this.deep = floats(deep);
            this.wide = floats(wide);
            this.row = new float[wideWidth];
            this.part = new float[wideWidth];
        }

        /** Stages the wide array's row that starts at this index. */
        void readWide(int index) {
            wide.get(index, row, 0, row.length);
        }

        /** Writes the staged row into the wide array at this index. */
        void writeWide(int index) {
            wide.put(index, row, 0, row.length);
        }

        /** Staged row[offset + stride·x] ← deep[index + x], x &lt; w. */
        void deepIntoWide(int index, int w, int offset, int stride) {
            deep.get(index, part, 0, w);
            for (int x = 0; x < w; x++) {
                row[offset + stride * x] = part[x];
            }
        }

        /** deep[index + x] ← staged row[offset + stride·x], x &lt; w. */
        void wideIntoDeep(int index, int w, int offset, int stride) {
            for (int x = 0; x < w; x++) {
                part[x] = row[offset + stride * x];
            }
            deep.put(index, part, 0, w);
        }
    }

    private static boolean isPlain(INDArray a) {
        return !a.isView() && a.ordering() == 'c' && a.offset() == 0 && a.length() < Integer.MAX_VALUE;
    }

    private static INDArray contiguous(INDArray a) {
        return isPlain(a) ? a : a.dup('c');
    }

    /** The array's elements in place (the buffer's address includes its offset inside a workspace). */
    private static FloatBuffer floats(INDArray a) {
        return new FloatPointer(a.data().addressPointer()).capacity(a.length()).limit(a.length()).asBuffer();
    }
}
