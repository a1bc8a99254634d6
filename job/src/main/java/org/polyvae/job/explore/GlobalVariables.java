package org.polyvae.job.explore;

import java.util.List;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.polyvae.job.latent.EncodedImage;
import org.polyvae.model.LatentPrior;

/**
 * Variables that act on the whole image: the principal axes of the learned prior over the code. The prior
 * (all its classes pooled, weighted by their image counts) is N(m, Σ) with Σ = Σ_k λ_k e_k e_kᵀ, so
 * z = m + Σ_k g_k·√λ_k·e_k with independent standard-normal g_k. Each g_k moves every position of the code
 * map at once, along the direction the training images vary most after the ones before it; g_1 is the
 * most informative. A real image's g is read off its posterior mean: g_k = e_kᵀ(mu − m)/√λ_k.
 */
final class GlobalVariables {
    /** Attributes each variable is correlated with, over the encoded dataset. */
    static final String[] ATTRIBUTES = {"window size (µm)", "E11 (GPa)", "grains per image", "mean grain area (px)",
            "mean gray"};

    final double[] mean;
    /** Principal axes, most variance first: axes[k] is e_k. */
    final double[][] axes;
    /** λ_k, descending. */
    final double[] variance;
    /** [variable][attribute]: Pearson r of g_k with the attribute over the encoded images. */
    final double[][] correlation;

    GlobalVariables(LatentPrior prior, List<EncodedImage> encoded) {
        int d = prior.codeLength();
        double total = prior.components().stream().mapToInt(LatentPrior.Component::images).sum();
        mean = new double[d];
        for (LatentPrior.Component c : prior.components()) {
            for (int j = 0; j < d; j++) {
                mean[j] += c.images() / total * c.mean()[j];
            }
        }
        // The pooled mixture's covariance: within-class covariances plus the spread of the class means.
        double[][] cov = new double[d][d];
        for (LatentPrior.Component c : prior.components()) {
            double w = c.images() / total;
            for (int a = 0; a < d; a++) {
                double da = c.mean()[a] - mean[a];
                for (int b = 0; b < d; b++) {
                    cov[a][b] += w * (c.covariance()[a][b] + da * (c.mean()[b] - mean[b]));
                }
            }
        }
        EigenDecomposition eig = new EigenDecomposition(new Array2DRowRealMatrix(cov, false));
        double[] values = eig.getRealEigenvalues();
        Integer[] order = new Integer[d];
        for (int k = 0; k < d; k++) {
            order[k] = k;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(values[y], values[x]));
        RealMatrix v = eig.getV();
        axes = new double[d][];
        variance = new double[d];
        for (int k = 0; k < d; k++) {
            axes[k] = v.getColumn(order[k]);
            variance[k] = Math.max(values[order[k]], 0);
        }
        correlation = correlations(encoded);
    }

    int count() {
        return variance.length;
    }

    /** Share of the prior's total variance along e_k. */
    double explained(int k) {
        double sum = 0;
        for (double l : variance) {
            sum += l;
        }
        return sum > 0 ? variance[k] / sum : 0;
    }

    /** g_k of a posterior mean. */
    double score(float[] mu, int k) {
        double s = 0;
        for (int j = 0; j < mu.length; j++) {
            s += axes[k][j] * (mu[j] - mean[j]);
        }
        return variance[k] > 0 ? s / Math.sqrt(variance[k]) : 0;
    }

    /** The code base + g·√λ_k·e_k. */
    float[] move(float[] base, int k, double g) {
        float[] z = base.clone();
        double step = g * Math.sqrt(variance[k]);
        for (int j = 0; j < z.length; j++) {
            z[j] += (float) (step * axes[k][j]);
        }
        return z;
    }

    /** The prior's mean m as a code. */
    float[] centre() {
        float[] z = new float[mean.length];
        for (int j = 0; j < z.length; j++) {
            z[j] = (float) mean[j];
        }
        return z;
    }

    /** The attributes of an image, in {@link #ATTRIBUTES} order. */
    static double[] attributes(EncodedImage e) {
        return new double[] {e.micrometres(), e.e11(), e.grains(), e.meanGrainArea(), e.meanGray()};
    }

    private double[][] correlations(List<EncodedImage> encoded) {
        int n = encoded.size();
        double[][] attr = new double[ATTRIBUTES.length][n];
        for (int i = 0; i < n; i++) {
            double[] a = attributes(encoded.get(i));
            for (int t = 0; t < a.length; t++) {
                attr[t][i] = a[t];
            }
        }
        double[][] r = new double[count()][ATTRIBUTES.length];
        double[] g = new double[n];
        for (int k = 0; k < count(); k++) {
            for (int i = 0; i < n; i++) {
                g[i] = score(encoded.get(i).mu(), k);
            }
            for (int t = 0; t < ATTRIBUTES.length; t++) {
                r[k][t] = LatentAnalysis.pearson(g, attr[t]);
            }
        }
        return r;
    }
}
