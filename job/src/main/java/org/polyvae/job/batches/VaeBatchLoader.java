package org.polyvae.job.batches;

import java.io.IOException;
import java.io.InputStream;
import org.deeplearning4j.core.loader.MultiDataSetLoader;
import org.nd4j.common.loader.Source;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.polyvae.config.ModelSettings;
import org.polyvae.model.VaeBatches;

/**
 * Loads one exported batch file (see {@link BatchExport}) as a VAE minibatch: the file's features are the
 * images, its labels the per-image [class µm, E11] that later stages use; the VAE's own targets (the
 * images or their one-hot gray levels, and zeros for the KL output) are built here, so the files do not
 * depend on the model. A
 * conditional VAE's second input, the class one-hot, comes from the labels' first column.
 */
public final class VaeBatchLoader implements MultiDataSetLoader {
    private static final long serialVersionUID = 1L;

    private final ModelSettings model;

    private VaeBatchLoader(ModelSettings model) {
        this.model = model;
    }

    /** The loader of a model's settings (code length, conditional, likelihood, adversarial term, boundary head). */
    public static VaeBatchLoader of(ModelSettings model) {
        return new VaeBatchLoader(model);
    }

    @Override
    public MultiDataSet load(Source source) throws IOException {
        try (InputStream in = source.getInputStream()) {
            return toVae(read(in, source.getPath()));
        }
    }

    public MultiDataSet toVae(MultiDataSet file) {
        return VaeBatches.of(file.getFeatures(0), model.conditional() ? classes(file) : null, model);
    }

    /** The one-hot window class of every image of a batch file (its labels' first column, in µm). */
    public static INDArray classes(MultiDataSet file) {
        return VaeBatches.oneHot(file.getLabels(0).getColumn(0).toIntVector());
    }

    /** A batch file as written: features [images], labels [[class µm, E11]]. */
    public static MultiDataSet read(InputStream in, String path) throws IOException {
        org.nd4j.linalg.dataset.MultiDataSet mds = new org.nd4j.linalg.dataset.MultiDataSet();
        try {
            mds.load(in);
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot read batch file " + path + ": " + e.getMessage(), e);
        }
        INDArray[] f = mds.getFeatures();
        if (f == null || f.length != 1 || f[0].rank() != 4) {
            throw new IOException("batch file " + path + " is not a polyvae image batch (expected one [n,1,h,w] "
                    + "feature array)");
        }
        return mds;
    }
}
