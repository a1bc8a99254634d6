package org.polyvae.job.latent;

import java.io.Serializable;

/**
 * One dataset image as the encoder sees it: its labels, three measured image features (mean gray, grains per image and
 * their mean area in pixels, measured as on the reference figure), and the posterior
 * q(z|x) = N(mu, exp(logvar)). Serializable: executors return it through Spark.
 */
public record EncodedImage(int micrometres, double e11, double meanGray, int grains, double meanGrainArea, float[] mu,
                           float[] logvar)
        implements Serializable {
}
