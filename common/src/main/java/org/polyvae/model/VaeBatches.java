package org.polyvae.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.polyvae.data.WindowClass;

/** Minibatches in the shape the VAE graph trains on. */
public final class VaeBatches {
    private VaeBatches() {
    }

    /**
     * @param images [n, 1, res, res] pixels in [0, 1]
     * @return features [images]; labels [images (reconstruction target), zeros(n, 2·codeLength) (the KL
     *         output ignores its labels but DL4J needs an array of the output's shape)]
     */
    public static MultiDataSet of(INDArray images, int codeLength) {
        return of(images, null, codeLength);
    }

    /**
     * The same for the conditional VAE: features [images, classes] when {@code classes} (the
     * {@link #oneHot} of each image's window) is given.
     */
    public static MultiDataSet of(INDArray images, INDArray classes, int codeLength) {
        INDArray zeros = Nd4j.zeros(images.dataType(), images.size(0), 2L * codeLength);
        INDArray[] features = classes == null ? new INDArray[] {images} : new INDArray[] {images, classes};
        return new org.nd4j.linalg.dataset.MultiDataSet(features, new INDArray[] {images, zeros});
    }

    /** [n, {@link VaeArchitecture#CLASSES}]: row i is the one-hot of window size micrometres[i] (µm). */
    public static INDArray oneHot(int[] micrometres) {
        float[] v = new float[micrometres.length * VaeArchitecture.CLASSES];
        for (int i = 0; i < micrometres.length; i++) {
            v[i * VaeArchitecture.CLASSES + WindowClass.ofMicrometres(micrometres[i]).index()] = 1f;
        }
        return Nd4j.create(v, new long[] {micrometres.length, VaeArchitecture.CLASSES});
    }
}
