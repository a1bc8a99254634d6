package org.polyvae.model;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.bytedeco.javacpp.DoublePointer;
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
 * were a tenth of a training step; each input row here is one sequential read and one stride-b write.
 * Float and double arrays; other types go to ND4J's ops.
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
        boolean direct = isPlain(dst) && src.dataType() == dst.dataType()
                && (dst.dataType() == DataType.FLOAT || dst.dataType() == DataType.DOUBLE);
        if (!direct) {
            Nd4j.exec(toWide ? new DepthToSpace(src, dst, b, DataFormat.NCHW)
                    : new SpaceToDepth(src, dst, b, DataFormat.NCHW));
            return;
        }
        Element copy;
        if (dst.dataType() == DataType.FLOAT) {
            FloatBuffer s = floats(src);
            FloatBuffer d = floats(dst);
            copy = (from, to) -> d.put(to, s.get(from));
        } else {
            DoubleBuffer s = doubles(src);
            DoubleBuffer d = doubles(dst);
            copy = (from, to) -> d.put(to, s.get(from));
        }
        new Indexing(deep.shape(), b).forEachRow((deepRow, wideRow, w) -> {
            for (int x = 0; x < w; x++) {
                if (toWide) {
                    copy.copy(deepRow + x, wideRow + b * x);
                } else {
                    copy.copy(wideRow + b * x, deepRow + x);
                }
            }
        });
    }

    /** Copies one element of the source buffer to the destination buffer, by their indices. */
    private interface Element {
        void copy(int from, int to);
    }

    /** Where each row of the deep array's w pixels starts, and where its pixels go in the wide array. */
    private record Indexing(long[] deepShape, int b) {
        interface Row {
            void copy(int deepRow, int wideRow, int w);
        }

        void forEachRow(Row row) {
            int n = (int) deepShape[0];
            int cb = (int) deepShape[1];
            int h = (int) deepShape[2];
            int w = (int) deepShape[3];
            int c = cb / (b * b);
            int wideWidth = w * b;
            for (int i = 0; i < n; i++) {
                for (int ch = 0; ch < cb; ch++) {
                    int by = ch / c / b;
                    int bx = ch / c % b;
                    int oc = ch % c;
                    int deepBase = (i * cb + ch) * h * w;
                    int wideBase = ((i * c + oc) * h * b + by) * wideWidth + bx;
                    for (int y = 0; y < h; y++) {
                        row.copy(deepBase + y * w, wideBase + y * b * wideWidth, w);
                    }
                }
            }
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

    private static DoubleBuffer doubles(INDArray a) {
        return new DoublePointer(a.data().addressPointer()).capacity(a.length()).limit(a.length()).asBuffer();
    }
}
