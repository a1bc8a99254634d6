package org.polyvae.model;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * A learned prior over the code: one Gaussian per window class, moment-matched to the aggregate posterior of
 * that class's training images, q_c(z) = mean over images i of class c of N(mu_i, diag(σ_i²)). Its mean is
 * the mean of the mu_i, its covariance the covariance of the mu_i plus the mean posterior variance.
 *
 * <p>Why: the VAE's decoder is trained on codes drawn from the posteriors, and those do not fill N(0, I)
 * (the KL term only pulls them toward it). Decoding N(0, I) draws asks the decoder for codes it rarely saw,
 * and it answers with blur; and where the decoder leans on the code more than on its class input, a draw
 * from N(0, I) carries no class at all. Drawing from the class's own aggregate posterior lands where the
 * decoder was trained, for the class asked for (ex-post density estimation, Ghosh et al. 2020).
 *
 * <p>With a few hundred images per class and hundreds of code dimensions, the sample covariance of the mu_i
 * is singular; it is shrunk toward a multiple of the identity by the oracle approximating shrinkage
 * (Chen, Wiesel, Eldar and Hero 2010), which needs only the sample covariance and the count.
 * An unconditional model has one component, for {@link #ALL_CLASSES}.
 *
 * <p>Each class's Gaussian is also joint with the images' E11: the fit keeps E11's mean and variance and its
 * covariance with the code, so a code can be drawn given a requested E11 ({@link #sampleGivenE11}), from
 * the Gaussian conditional z | E11 = e.
 */
public final class LatentPrior implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The component key of an unconditional model's single Gaussian. */
    public static final int ALL_CLASSES = 0;
    private static final long MAGIC = 0x5056505249303253L; // "PVPRI02S"

    /**
     * One class's Gaussian: N(mean, covariance), sampled through the lower Cholesky factor; with the mean
     * and variance of its images' E11 (GPa) and the covariance of E11 with each code dimension.
     */
    public record Component(int micrometres, int images, double shrinkage, double[] mean, double[][] covariance,
                            double[][] cholesky, double e11Mean, double e11Variance, double[] e11Covariance)
            implements Serializable {
    }

    private final List<Component> components;
    /** The E11-conditional Gaussians, per class, made when first asked for (not serialised). */
    private transient java.util.Map<Integer, Component> conditionals;

    private LatentPrior(List<Component> components) {
        if (components.isEmpty()) {
            throw new IllegalArgumentException("a latent prior needs at least one class");
        }
        int d = components.get(0).mean().length;
        for (Component c : components) {
            if (c.mean().length != d) {
                throw new IllegalArgumentException("every class's code must have " + d + " dimensions, class "
                        + c.micrometres() + " µm has " + c.mean().length);
            }
        }
        this.components = List.copyOf(components);
    }

    /** Accumulates one class's codes (posterior means and variances) for {@link #fit}. */
    public static final class Codes {
        private final int micrometres;
        private final List<double[]> mu = new ArrayList<>();
        private final List<Double> e11 = new ArrayList<>();
        private double[] varianceSum;

        public Codes(int micrometres) {
            this.micrometres = micrometres;
        }

        /** Adds one image's posterior N(mu, exp(logvar)) (E11 unknown: taken as 0). */
        public Codes add(float[] mu, float[] logvar) {
            return add(mu, logvar, 0);
        }

        /** Adds one image's posterior N(mu, exp(logvar)) and its E11 (GPa). */
        public Codes add(float[] mu, float[] logvar, double e11) {
            if (mu.length != logvar.length) {
                throw new IllegalArgumentException("mu has " + mu.length + " dimensions, logvar " + logvar.length);
            }
            if (varianceSum == null) {
                varianceSum = new double[mu.length];
            } else if (varianceSum.length != mu.length) {
                throw new IllegalArgumentException("codes of class " + micrometres + " µm have " + varianceSum.length
                        + " dimensions, this one " + mu.length);
            }
            double[] m = new double[mu.length];
            for (int j = 0; j < mu.length; j++) {
                m[j] = mu[j];
                varianceSum[j] += Math.exp(logvar[j]);
            }
            this.mu.add(m);
            this.e11.add(e11);
            return this;
        }

        public int micrometres() {
            return micrometres;
        }

        public int count() {
            return mu.size();
        }
    }

    /** Fits one Gaussian per class (a class of one image gets that image's posterior). */
    public static LatentPrior fit(List<Codes> classes) {
        List<Component> out = new ArrayList<>();
        for (Codes c : classes) {
            out.add(component(c));
        }
        out.sort((a, b) -> Integer.compare(a.micrometres(), b.micrometres()));
        return new LatentPrior(out);
    }

    private static Component component(Codes c) {
        int n = c.count();
        // A class of one image has no spread of means: the shrinkage is then total, toward a zero target, and
        // its Gaussian is that image's posterior N(mu, diag σ²), the aggregate posterior of one.
        int d = c.varianceSum.length;
        double[] mean = new double[d];
        for (double[] m : c.mu) {
            for (int j = 0; j < d; j++) {
                mean[j] += m[j] / n;
            }
        }
        double[][] s = new double[d][d];
        for (double[] m : c.mu) {
            for (int a = 0; a < d; a++) {
                double da = m[a] - mean[a];
                for (int b = 0; b <= a; b++) {
                    s[a][b] += da * (m[b] - mean[b]);
                }
            }
        }
        double trace = 0;
        double traceOfSquare = 0;
        for (int a = 0; a < d; a++) {
            for (int b = 0; b <= a; b++) {
                s[a][b] /= n;
                s[b][a] = s[a][b];
                traceOfSquare += (a == b ? 1 : 2) * s[a][b] * s[a][b];
            }
            trace += s[a][a];
        }
        double e11Mean = c.e11.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double e11Variance = 0;
        double[] e11Covariance = new double[d];
        for (int i = 0; i < n; i++) {
            double de = c.e11.get(i) - e11Mean;
            e11Variance += de * de / n;
            double[] m = c.mu.get(i);
            for (int j = 0; j < d; j++) {
                e11Covariance[j] += de * (m[j] - mean[j]) / n;
            }
        }
        double rho = oracleShrinkage(n, d, trace, traceOfSquare);
        double target = trace / d;
        double[][] cov = new double[d][d];
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                cov[a][b] = (1 - rho) * s[a][b];
            }
            cov[a][a] += rho * target + c.varianceSum[a] / n;
        }
        // The code's covariance with E11 is shrunk like the code's own, so that conditioning stays consistent.
        for (int j = 0; j < d; j++) {
            e11Covariance[j] *= 1 - rho;
        }
        return new Component(c.micrometres(), n, rho, mean, cov, cholesky(cov, c.micrometres()), e11Mean, e11Variance,
                e11Covariance);
    }

    /** The OAS shrinkage intensity toward (tr S / d)·I, in [0, 1]. */
    static double oracleShrinkage(int n, int d, double trace, double traceOfSquare) {
        double num = (1 - 2.0 / d) * traceOfSquare + trace * trace;
        double den = (n + 1 - 2.0 / d) * (traceOfSquare - trace * trace / d);
        if (den <= 0) {
            return 1;
        }
        return Math.max(0, Math.min(1, num / den));
    }

    private static double[][] cholesky(double[][] cov, int micrometres) {
        try {
            RealMatrix l = new CholeskyDecomposition(new Array2DRowRealMatrix(cov, false), 1e-12, 1e-14).getL();
            return l.getData();
        } catch (NonPositiveDefiniteMatrixException e) {
            throw new IllegalArgumentException("the code covariance of class " + micrometres
                    + " µm is not positive definite (" + e.getMessage() + ")", e);
        }
    }

    public List<Component> components() {
        return components;
    }

    public int codeLength() {
        return components.get(0).mean().length;
    }

    /** Whether this prior has one Gaussian for all images (an unconditional model's). */
    public boolean unconditional() {
        return components.size() == 1 && components.get(0).micrometres() == ALL_CLASSES;
    }

    /** Whether the prior can draw window size {@code micrometres} (µm): an unconditional one draws any. */
    public boolean covers(int micrometres) {
        return unconditional() || components.stream().anyMatch(c -> c.micrometres() == micrometres);
    }

    /**
     * The Gaussian of window size {@code micrometres} (µm), or the single one of an unconditional prior.
     *
     * @throws IllegalArgumentException naming the classes it has when it has none for that size
     */
    public Component component(int micrometres) {
        if (unconditional()) {
            return components.get(0);
        }
        for (Component c : components) {
            if (c.micrometres() == micrometres) {
                return c;
            }
        }
        throw new IllegalArgumentException("the latent prior has no Gaussian for " + micrometres + " µm windows; it "
                + "was fitted on " + components.stream().map(c -> c.micrometres() + " µm").toList());
    }

    /** z = mean + temperature · L·u with u ~ N(0, I) from {@code random}. */
    public double[] sample(int micrometres, Random random, double temperature) {
        Component c = component(micrometres);
        int d = c.mean().length;
        double[] u = new double[d];
        for (int j = 0; j < d; j++) {
            u[j] = random.nextGaussian();
        }
        return map(c, u, temperature);
    }

    /**
     * z given E11 = {@code e11} (GPa) under class {@code micrometres}'s joint Gaussian: mean
     * m + c·(e − μ)/σ², covariance Σ − c·cᵀ/σ² (c the code's covariance with E11), its spread scaled by the
     * temperature.
     *
     * @throws IllegalArgumentException when the class's images all had the same E11 (nothing to condition on)
     */
    public double[] sampleGivenE11(int micrometres, double e11, Random random, double temperature) {
        Component c = component(micrometres);
        if (!(c.e11Variance() > 0)) {
            throw new IllegalArgumentException("the latent prior of " + (c.micrometres() == ALL_CLASSES ? "all images"
                    : c.micrometres() + " µm windows") + " has no spread in E11 to condition on (fitted without E11)");
        }
        Component given;
        synchronized (this) {
            if (conditionals == null) {
                conditionals = new java.util.HashMap<>();
            }
            given = conditionals.computeIfAbsent(c.micrometres(), k -> conditional(c));
        }
        int d = c.mean().length;
        double[] u = new double[d];
        for (int j = 0; j < d; j++) {
            u[j] = random.nextGaussian();
        }
        double shift = (e11 - c.e11Mean()) / c.e11Variance();
        double[] z = map(given, u, temperature);
        for (int j = 0; j < d; j++) {
            z[j] += shift * c.e11Covariance()[j];
        }
        return z;
    }

    /** The predicted E11 of a code under its class's joint Gaussian: μ + cᵀ Σ⁻¹ (z − m). */
    public double predictE11(int micrometres, double[] z) {
        Component c = component(micrometres);
        // Σ⁻¹ (z − m) by two triangular solves with the Cholesky factor.
        int d = z.length;
        double[][] l = c.cholesky();
        double[] y = new double[d];
        for (int a = 0; a < d; a++) {
            double v = z[a] - c.mean()[a];
            for (int b = 0; b < a; b++) {
                v -= l[a][b] * y[b];
            }
            y[a] = v / l[a][a];
        }
        double[] x = new double[d];
        for (int a = d - 1; a >= 0; a--) {
            double v = y[a];
            for (int b = a + 1; b < d; b++) {
                v -= l[b][a] * x[b];
            }
            x[a] = v / l[a][a];
        }
        double e = c.e11Mean();
        for (int j = 0; j < d; j++) {
            e += c.e11Covariance()[j] * x[j];
        }
        return e;
    }

    /** R² of the linear prediction of E11 from the code within class {@code micrometres}: cᵀ Σ⁻¹ c / σ². */
    public double e11R2(int micrometres) {
        Component c = component(micrometres);
        if (!(c.e11Variance() > 0)) {
            return 0;
        }
        double[] shifted = c.mean().clone();
        for (int j = 0; j < shifted.length; j++) {
            shifted[j] += c.e11Covariance()[j];
        }
        // cᵀ Σ⁻¹ c = predictE11(m + c) − μ.
        return (predictE11(micrometres, shifted) - c.e11Mean()) / c.e11Variance();
    }

    /** The Gaussian of z given E11 (its mean left at the class's: the shift depends on the requested E11). */
    private static Component conditional(Component c) {
        int d = c.mean().length;
        double[][] cov = new double[d][d];
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                cov[a][b] = c.covariance()[a][b] - c.e11Covariance()[a] * c.e11Covariance()[b] / c.e11Variance();
            }
            // The conditional covariance is positive definite in exact arithmetic; keep it so numerically.
            cov[a][a] += 1e-9 * c.covariance()[a][a];
        }
        return new Component(c.micrometres(), c.images(), c.shrinkage(), c.mean(), cov,
                cholesky(cov, c.micrometres()), c.e11Mean(), 0, new double[d]);
    }

    /** mean + temperature · L·u: the code a standard-normal vector u stands for under class c's Gaussian. */
    public static double[] map(Component c, double[] u, double temperature) {
        int d = c.mean().length;
        double[] z = c.mean().clone();
        double[][] l = c.cholesky();
        for (int a = 0; a < d; a++) {
            double v = 0;
            for (int b = 0; b <= a; b++) {
                v += l[a][b] * u[b];
            }
            z[a] += temperature * v;
        }
        return z;
    }

    /** Writes the prior (binary, big-endian doubles; read back by {@link #read}). */
    public void write(OutputStream stream) throws IOException {
        DataOutputStream out = new DataOutputStream(stream);
        out.writeLong(MAGIC);
        out.writeInt(components.size());
        out.writeInt(codeLength());
        for (Component c : components) {
            out.writeInt(c.micrometres());
            out.writeInt(c.images());
            out.writeDouble(c.shrinkage());
            out.writeDouble(c.e11Mean());
            out.writeDouble(c.e11Variance());
            for (double v : c.e11Covariance()) {
                out.writeDouble(v);
            }
            for (double v : c.mean()) {
                out.writeDouble(v);
            }
            for (double[] row : c.covariance()) {
                for (double v : row) {
                    out.writeDouble(v);
                }
            }
        }
        out.flush();
    }

    /**
     * Reads a prior {@link #write} wrote.
     *
     * @param source named in the error when the bytes are not a latent prior
     */
    public static LatentPrior read(InputStream stream, String source) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        if (in.readLong() != MAGIC) {
            throw new IOException(source + " is not a latent prior written by this version of polyvae: train again");
        }
        int count = in.readInt();
        int d = in.readInt();
        if (count < 1 || count > 64 || d < 1 || d > 1 << 16) {
            throw new IOException(source + " is damaged: " + count + " classes of " + d + " dimensions");
        }
        List<Component> components = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            int um = in.readInt();
            int images = in.readInt();
            double rho = in.readDouble();
            double e11Mean = in.readDouble();
            double e11Variance = in.readDouble();
            double[] e11Covariance = new double[d];
            for (int j = 0; j < d; j++) {
                e11Covariance[j] = in.readDouble();
            }
            double[] mean = new double[d];
            for (int j = 0; j < d; j++) {
                mean[j] = in.readDouble();
            }
            double[][] cov = new double[d][d];
            for (double[] row : cov) {
                for (int j = 0; j < d; j++) {
                    row[j] = in.readDouble();
                }
            }
            components.add(new Component(um, images, rho, mean, cov, cholesky(cov, um), e11Mean, e11Variance,
                    e11Covariance));
        }
        return new LatentPrior(Collections.unmodifiableList(components));
    }
}
