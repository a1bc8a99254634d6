package org.polyvae.job.evaluate;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.polyvae.data.WindowClass;
import org.polyvae.model.JudgeArchitecture;
import org.polyvae.model.VaeBatches;

/**
 * The trained judge as it travels to the executors: the network's bytes (cnn.zip), the window classes its
 * softmax head orders, and the training split's E11 mean and standard deviation that its regression head
 * predicts in units of.
 */
record Judge(byte[] cnnZip, int[] micrometres, double e11Mean, double e11Std) implements Serializable {
    Judge {
        micrometres = micrometres.clone();
    }

    @Override
    public int[] micrometres() {
        return micrometres.clone();
    }

    ComputationGraph restore() throws IOException {
        return ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(cnnZip), false);
    }

    int classes() {
        return micrometres.length;
    }

    /** Class index of a window size, or -1 when the judge does not know it. */
    int classIndex(int um) {
        return VaeBatches.classIndex(um, micrometres);
    }

    String classToken(int classIndex) {
        return WindowClass.ofMicrometres(micrometres[classIndex]).token();
    }

    /** The judge's view of a batch [n, 1, s, s]: class probabilities, E11 in GPa and penultimate features. */
    record Output(float[][] probabilities, double[] e11, float[][] features) {
    }

    Output apply(ComputationGraph net, INDArray images) {
        // The three outputs only: feedForward would detach every layer's activations off-heap, freed only by GC.
        INDArray[] out = net.output(List.of(JudgeArchitecture.CLASS, JudgeArchitecture.FEATURES, JudgeArchitecture.E11),
                false, new INDArray[] {images}, null);
        float[][] p = rows(out[0]);
        float[][] f = rows(out[1]);
        float[][] e = rows(out[2]);
        double[] e11 = Arrays.stream(e).mapToDouble(r -> e11Mean + e11Std * r[0]).toArray();
        return new Output(p, e11, f);
    }

    /** The rows of a [n, ...] array as float vectors. */
    static float[][] rows(INDArray a) {
        INDArray m = a.castTo(DataType.FLOAT).dup('c');
        int n = (int) m.size(0);
        int w = (int) (m.length() / n);
        float[] flat = m.data().asFloat();
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            out[i] = Arrays.copyOfRange(flat, i * w, (i + 1) * w);
        }
        return out;
    }
}
