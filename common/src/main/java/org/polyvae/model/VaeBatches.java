package org.polyvae.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

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
        INDArray zeros = Nd4j.zeros(images.dataType(), images.size(0), 2L * codeLength);
        return new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {images}, new INDArray[] {images, zeros});
    }
}
