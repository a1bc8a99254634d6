package org.polyvae.job.batches;

import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.core.loader.MultiDataSetLoader;
import org.nd4j.common.loader.Source;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.polyvae.model.VaeBatches;

/**
 * Loads an exported batch file (the VAE's, see {@code BatchExport}) as a judge minibatch: the images, and
 * as the two targets the window class one-hot (in the judge's class order) and the standardised E11; with a
 * {@link SymmetryAugmentation}, each image under that epoch's draw of the symmetries that keep both targets.
 */
public final class JudgeBatchLoader implements MultiDataSetLoader {
    private static final long serialVersionUID = 1L;

    private final int[] micrometres;
    private final double e11Mean;
    private final double e11Std;
    private final SymmetryAugmentation augmentation;
    private final int epoch;

    public JudgeBatchLoader(int[] micrometres, double e11Mean, double e11Std) {
        this(micrometres, e11Mean, e11Std, null, 0);
    }

    private JudgeBatchLoader(int[] micrometres, double e11Mean, double e11Std, SymmetryAugmentation augmentation,
            int epoch) {
        this.micrometres = micrometres.clone();
        this.e11Mean = e11Mean;
        this.e11Std = e11Std;
        this.augmentation = augmentation;
        this.epoch = epoch;
    }

    /** This loader with every image transformed by {@code augmentation}'s draw for {@code epoch}. */
    public JudgeBatchLoader augmented(SymmetryAugmentation augmentation, int epoch) {
        return new JudgeBatchLoader(micrometres, e11Mean, e11Std, augmentation, epoch);
    }

    @Override
    public MultiDataSet load(Source source) throws IOException {
        try (InputStream in = source.getInputStream()) {
            return toJudge(VaeBatchLoader.read(in, source.getPath()), source.getPath());
        }
    }

    MultiDataSet toJudge(MultiDataSet file, String path) throws IOException {
        INDArray meta = file.getLabels(0);
        INDArray classes;
        try {
            classes = VaeBatches.oneHot(meta.getColumn(0).toIntVector(), micrometres);
        } catch (IllegalArgumentException e) {
            throw new IOException("batch file " + path + " holds " + e.getMessage()
                    + " (the judge's, polyvae.data.classes)", e);
        }
        INDArray e11 = meta.getColumn(1).castTo(DataType.DOUBLE).sub(e11Mean).divi(e11Std).castTo(DataType.FLOAT)
                .reshape(meta.size(0), 1);
        INDArray images = file.getFeatures(0);
        if (augmentation != null) {
            images = augmentation.apply(images, epoch, new Path(path).getName());
        }
        return new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {images}, new INDArray[] {classes, e11});
    }
}
