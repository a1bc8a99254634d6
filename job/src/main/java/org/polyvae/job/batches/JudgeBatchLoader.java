package org.polyvae.job.batches;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.deeplearning4j.core.loader.MultiDataSetLoader;
import org.nd4j.common.loader.Source;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Loads an exported batch file (the VAE's, see {@code BatchExport}) as a judge minibatch: the images, and
 * as the two targets the window class one-hot (in the judge's class order) and the standardised E11.
 */
public final class JudgeBatchLoader implements MultiDataSetLoader {
    private static final long serialVersionUID = 1L;

    private final int[] micrometres;
    private final double e11Mean;
    private final double e11Std;

    public JudgeBatchLoader(int[] micrometres, double e11Mean, double e11Std) {
        this.micrometres = micrometres.clone();
        this.e11Mean = e11Mean;
        this.e11Std = e11Std;
    }

    @Override
    public MultiDataSet load(Source source) throws IOException {
        try (InputStream in = source.getInputStream()) {
            return toJudge(VaeBatchLoader.read(in, source.getPath()), source.getPath());
        }
    }

    MultiDataSet toJudge(MultiDataSet file, String path) throws IOException {
        INDArray meta = file.getLabels(0);
        int n = (int) meta.size(0);
        float[] oneHot = new float[n * micrometres.length];
        float[] e11 = new float[n];
        for (int i = 0; i < n; i++) {
            int um = meta.getInt(i, 0);
            int c = indexOf(um);
            if (c < 0) {
                throw new IOException("batch file " + path + " holds a " + um + " µm image; the judge is trained on "
                        + Arrays.toString(micrometres) + " µm (polyvae.data.classes)");
            }
            oneHot[i * micrometres.length + c] = 1;
            e11[i] = (float) ((meta.getDouble(i, 1) - e11Mean) / e11Std);
        }
        return new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {file.getFeatures(0)},
                new INDArray[] {Nd4j.create(oneHot, new long[] {n, micrometres.length}), Nd4j.create(e11, new long[] {n, 1})});
    }

    private int indexOf(int um) {
        for (int i = 0; i < micrometres.length; i++) {
            if (micrometres[i] == um) {
                return i;
            }
        }
        return -1;
    }
}
