package org.polyvae.job.batches;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.deeplearning4j.core.loader.MultiDataSetLoader;
import org.nd4j.common.loader.Source;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
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

    /**
     * A batch file as written: features [images], labels [[class µm, E11]]. The file is read whole and its
     * arrays parsed from memory: ND4J's {@code MultiDataSet.load} reads every float a byte at a time through a
     * synchronized {@code BufferedInputStream}, which took twice as long as this. A file with mask arrays (which
     * polyvae does not write) goes through ND4J's loader as it is.
     */
    public static MultiDataSet read(InputStream in, String path) throws IOException {
        org.nd4j.linalg.dataset.MultiDataSet mds;
        try {
            mds = parse(in.readAllBytes());
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

    /** A file of {@code MultiDataSet.save}: the counts of features, labels and their masks, then the arrays. */
    private static org.nd4j.linalg.dataset.MultiDataSet parse(byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new UnsynchronizedBytes(bytes));
        int features = in.readInt();
        int labels = in.readInt();
        int featureMasks = in.readInt();
        int labelMasks = in.readInt();
        if (featureMasks != 0 || labelMasks != 0 || features < 0 || labels < 0) {
            org.nd4j.linalg.dataset.MultiDataSet mds = new org.nd4j.linalg.dataset.MultiDataSet();
            mds.load(new ByteArrayInputStream(bytes));
            return mds;
        }
        return new org.nd4j.linalg.dataset.MultiDataSet(arrays(in, features), arrays(in, labels));
    }

    /** {@code count} arrays, or null for none (as ND4J's loader leaves them). */
    private static INDArray[] arrays(DataInputStream in, int count) throws IOException {
        if (count == 0) {
            return null;
        }
        INDArray[] a = new INDArray[count];
        for (int i = 0; i < count; i++) {
            a[i] = Nd4j.read(in);
        }
        return a;
    }

    /** A byte array as a stream whose single-byte read takes no lock (ByteArrayInputStream's does). */
    private static final class UnsynchronizedBytes extends InputStream {
        private final byte[] bytes;
        private int position;

        UnsynchronizedBytes(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read() {
            return position < bytes.length ? bytes[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] into, int offset, int length) {
            if (length == 0) {
                return 0;
            }
            if (position >= bytes.length) {
                return -1;
            }
            int n = Math.min(length, bytes.length - position);
            System.arraycopy(bytes, position, into, offset, n);
            position += n;
            return n;
        }
    }
}
