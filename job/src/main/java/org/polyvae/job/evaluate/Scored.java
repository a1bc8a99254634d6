package org.polyvae.job.evaluate;

import java.io.Serializable;

/**
 * One image as the judge sees it. Real images carry their class index (in the judge's order) and E11;
 * generated ones have {@code trueClass = -1} and {@code trueE11 = NaN}. {@code gray} holds the 8-bit
 * pixels (row-major, size²) for the microstructure statistics. A plain class, not a record: Spark's Kryo
 * cannot serialise records.
 */
final class Scored implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final int trueClass;
    private final double trueE11;
    private final float[] probabilities;
    private final double e11;
    private final float[] features;
    private final byte[] gray;
    private final int size;

    Scored(String name, int trueClass, double trueE11, float[] probabilities, double e11, float[] features, byte[] gray,
            int size) {
        this.name = name;
        this.trueClass = trueClass;
        this.trueE11 = trueE11;
        this.probabilities = probabilities;
        this.e11 = e11;
        this.features = features;
        this.gray = gray;
        this.size = size;
    }

    String name() {
        return name;
    }

    int trueClass() {
        return trueClass;
    }

    double trueE11() {
        return trueE11;
    }

    float[] probabilities() {
        return probabilities;
    }

    double e11() {
        return e11;
    }

    float[] features() {
        return features;
    }

    byte[] gray() {
        return gray;
    }

    int size() {
        return size;
    }

    int predictedClass() {
        int best = 0;
        for (int i = 1; i < probabilities.length; i++) {
            if (probabilities[i] > probabilities[best]) {
                best = i;
            }
        }
        return best;
    }

    double confidence() {
        return probabilities[predictedClass()];
    }

    /** Pixels in [0, 1], as the models see them. */
    float[] pixels() {
        float[] p = new float[gray.length];
        for (int i = 0; i < gray.length; i++) {
            p[i] = (gray[i] & 0xFF) / 255f;
        }
        return p;
    }
}
