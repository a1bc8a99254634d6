package org.polyvae.job.explore;

import java.io.Serializable;

/**
 * One dataset image as the encoder sees it: its labels, two measured image features, and the posterior
 * q(z|x) = N(mu, exp(logvar)). A plain class, not a record: it crosses Spark's Kryo serializer.
 */
public final class EncodedImage implements Serializable {
    private static final long serialVersionUID = 1L;

    private int micrometres;
    private double e11;
    private double meanGray;
    private int grains;
    private float[] mu;
    private float[] logvar;

    @SuppressWarnings("unused")
    private EncodedImage() {
    }

    EncodedImage(int micrometres, double e11, double meanGray, int grains, float[] mu, float[] logvar) {
        this.micrometres = micrometres;
        this.e11 = e11;
        this.meanGray = meanGray;
        this.grains = grains;
        this.mu = mu;
        this.logvar = logvar;
    }

    public int micrometres() {
        return micrometres;
    }

    public double e11() {
        return e11;
    }

    public double meanGray() {
        return meanGray;
    }

    public int grains() {
        return grains;
    }

    public float[] mu() {
        return mu;
    }

    public float[] logvar() {
        return logvar;
    }
}
