package org.polyvae.fem;

import java.util.Random;
import org.polyvae.synth.VoronoiRaster;

/** Shared test images and reference formulas. */
final class FemTestSupport {
    private FemTestSupport() {
    }

    static double[] uniform(int n, double theta) {
        double[] a = new double[n * n];
        java.util.Arrays.fill(a, theta);
        return a;
    }

    static double[] randomPixels(int n, long seed) {
        Random rnd = new Random(seed);
        double[] a = new double[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = rnd.nextDouble() * 360 - 180;
        }
        return a;
    }

    /** Nearest-seed grains (non-periodic) from seeds uniform in the image, each with a random angle in [0, 90). */
    static double[] voronoi(int n, int grains, long seed) {
        Random rnd = new Random(seed);
        double[] sx = new double[grains];
        double[] sy = new double[grains];
        double[] angle = new double[grains];
        for (int g = 0; g < grains; g++) {
            sx[g] = rnd.nextDouble() * n;
            sy[g] = rnd.nextDouble() * n;
            angle[g] = rnd.nextDouble() * 90;
        }
        int[] grain = VoronoiRaster.label(sx, sy, n, 1, 0.5);
        double[] image = new double[n * n];
        for (int i = 0; i < image.length; i++) {
            image[i] = angle[grain[i]];
        }
        return image;
    }

    /** Isotropic plane-stress stiffness with Poisson ratio 0: diag(E, E, E/2). */
    static double[][] isotropicZeroPoisson(double e) {
        return new double[][] {{e, 0, 0}, {0, e, 0}, {0, 0, e / 2}};
    }

    /** Image rotated by 90 degrees counter-clockwise: new[n-1-c][r] = old[r][c]. */
    static double[] rotate90(double[] img, int n, double addAngle) {
        double[] out = new double[n * n];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                out[(n - 1 - c) * n + r] = img[r * n + c] + addAngle;
            }
        }
        return out;
    }

    /**
     * Exact effective stiffness of an infinite laminate of equal-thickness layers whose normal is y:
     * eps_xx, sigma_yy and sigma_xy are continuous across layers, eps_yy and gamma_xy jump.
     */
    static double[][] laminateNormalY(double[][]... layers) {
        int count = layers.length;
        double[][][] nnInv = new double[count][][];
        double[][] meanNnInv = new double[2][2];
        double[] meanNnInvQnt = new double[2];
        for (int i = 0; i < count; i++) {
            double[][] q = layers[i];
            double det = q[1][1] * q[2][2] - q[1][2] * q[2][1];
            nnInv[i] = new double[][] {{q[2][2] / det, -q[1][2] / det}, {-q[2][1] / det, q[1][1] / det}};
            for (int s = 0; s < 2; s++) {
                for (int t = 0; t < 2; t++) {
                    meanNnInv[s][t] += nnInv[i][s][t] / count;
                }
                meanNnInvQnt[s] += (nnInv[i][s][0] * q[1][0] + nnInv[i][s][1] * q[2][0]) / count;
            }
        }
        double det = meanNnInv[0][0] * meanNnInv[1][1] - meanNnInv[0][1] * meanNnInv[1][0];
        double[][] a = {{meanNnInv[1][1] / det, -meanNnInv[0][1] / det},
            {-meanNnInv[1][0] / det, meanNnInv[0][0] / det}};
        double[][] c = new double[3][3];
        for (int k = 0; k < 3; k++) {
            double et = k == 0 ? 1 : 0;
            double[] en = {k == 1 ? 1 : 0, k == 2 ? 1 : 0};
            double[] sn = new double[2];
            for (int s = 0; s < 2; s++) {
                sn[s] = a[s][0] * (en[0] + meanNnInvQnt[0] * et) + a[s][1] * (en[1] + meanNnInvQnt[1] * et);
            }
            double st = 0;
            for (int i = 0; i < count; i++) {
                double[][] q = layers[i];
                double r0 = sn[0] - q[1][0] * et;
                double r1 = sn[1] - q[2][0] * et;
                double eyy = nnInv[i][0][0] * r0 + nnInv[i][0][1] * r1;
                double gxy = nnInv[i][1][0] * r0 + nnInv[i][1][1] * r1;
                st += (q[0][0] * et + q[0][1] * eyy + q[0][2] * gxy) / count;
            }
            c[0][k] = st;
            c[1][k] = sn[0];
            c[2][k] = sn[1];
        }
        return c;
    }

    static double e11(double[][] c) {
        return 1.0 / Voigt3.inverse(c)[0][0];
    }
}
