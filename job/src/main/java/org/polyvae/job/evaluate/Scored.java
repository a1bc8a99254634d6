package org.polyvae.job.evaluate;

import java.io.Serializable;
import org.polyvae.image.GrayImages;

/**
 * One image as the judge sees it. Real images carry their class index (in the judge's order) and E11;
 * generated ones have {@code trueClass = -1} and {@code trueE11 = NaN}. {@code gray} holds the 8-bit
 * pixels (row-major, size²) for the microstructure statistics. Serializable: executors return it through
 * Spark.
 */
record Scored(String name, int trueClass, double trueE11, float[] probabilities, double e11, float[] features,
        byte[] gray, int size) implements Serializable {
    int predictedClass() {
        int best = 0;
        for (int i = 1; i < probabilities.length; i++) {
            if (probabilities[i] > probabilities[best]) {
                best = i;
            }
        }
        return best;
    }

    /** The same image filed under another class (the judge's verdict unchanged). */
    Scored withTrueClass(int c) {
        return new Scored(name, c, trueE11, probabilities, e11, features, gray, size);
    }

    double confidence() {
        return probabilities[predictedClass()];
    }

    /** Pixels in [0, 1], as the models see them. */
    float[] pixels() {
        return GrayImages.fromBytes(gray);
    }
}
