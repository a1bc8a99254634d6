package org.polyvae.job.latent;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.polyvae.model.LatentPrior;

/**
 * Fits the learned prior ({@link LatentPrior}) to the codes the trained encoder gives the training images:
 * per window class for a conditional model, one Gaussian for an unconditional one.
 */
public final class AggregatePosterior {
    private AggregatePosterior() {
    }

    /** @param conditional one Gaussian per class when true, one for all images when false */
    public static LatentPrior fit(List<EncodedImage> codes, boolean conditional) {
        Map<Integer, LatentPrior.Codes> byClass = new TreeMap<>();
        for (EncodedImage e : codes) {
            int key = conditional ? e.micrometres() : LatentPrior.ALL_CLASSES;
            byClass.computeIfAbsent(key, LatentPrior.Codes::new).add(e.mu(), e.logvar(), e.e11());
        }
        return LatentPrior.fit(List.copyOf(byClass.values()));
    }
}
