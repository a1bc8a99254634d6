package org.polyvae.job.explore;

import java.io.Serializable;

/**
 * One dataset image as the encoder sees it: its labels, two measured image features, and the posterior
 * q(z|x) = N(mu, exp(logvar)). Serializable: executors return it through Spark.
 */
public record EncodedImage(int micrometres, double e11, double meanGray, int grains, float[] mu, float[] logvar)
        implements Serializable {
}
