package org.polyvae.synth;

import org.polyvae.config.SynthSettings;

/**
 * Parameters of the grain-seed point process: a hard-core (random sequential adsorption) process of
 * fixed intensity, sampled over the window plus a margin so that Voronoi cells cut by the window edge
 * are the cells of an infinite film, not of a finite box.
 *
 * <p>Configured by {@code polyvae.synth.grain-density}, {@code polyvae.synth.hard-core} and
 * {@code polyvae.synth.margin-spacings} (see {@link #of}); the shipped values are fitted to the Figure 2
 * panels by {@code org.polyvae.synth.GeneratorCalibration} (test sources).
 *
 * @param density        grains per µm² of film. One value for every window class: grain size is a
 *                       property of the film, and the size effect (E11 spread shrinking with the window)
 *                       depends on it being constant.
 * @param hardCore       minimum seed distance as a fraction of the mean spacing {@code 1/sqrt(density)};
 *                       0 gives a uniform (binomial ≈ Poisson) process, larger values more regular grains.
 *                       Capped at {@link #MAX_HARD_CORE} because sequential adsorption jams near a disc
 *                       coverage of 0.547 (h = 0.83) and becomes slow well before that.
 * @param marginSpacings width of the seed margin around the window, in mean spacings. A window pixel is
 *                       wrong only if no seed lies within this distance, which for 4 spacings has
 *                       probability ~e^(-16π) even without the hard core.
 */
public record GrainProcess(double density, double hardCore, double marginSpacings) {

    public static final double MAX_HARD_CORE = 0.75;

    public GrainProcess {
        if (!(density > 0) || Double.isInfinite(density)) {
            throw new IllegalArgumentException("grain density must be a positive number of grains per µm², got " + density);
        }
        if (!(hardCore >= 0 && hardCore <= MAX_HARD_CORE)) {
            throw new IllegalArgumentException("hard-core fraction must be in [0, " + MAX_HARD_CORE + "], got " + hardCore);
        }
        if (!(marginSpacings >= 2 && marginSpacings <= 20)) {
            throw new IllegalArgumentException("margin must be 2..20 mean spacings (fewer leaves edge artefacts), got "
                    + marginSpacings);
        }
    }

    /** The process of the synth stage's settings. */
    public static GrainProcess of(SynthSettings settings) {
        return new GrainProcess(settings.grainDensity(), settings.hardCore(), settings.marginSpacings());
    }

    /** Mean distance between neighbouring seeds, µm. */
    public double meanSpacing() {
        return 1 / Math.sqrt(density);
    }

    /** Minimum distance between two seeds, µm. */
    public double hardCoreDistance() {
        return hardCore * meanSpacing();
    }

    /** Margin around the window over which seeds are placed, µm. */
    public double margin() {
        return marginSpacings * meanSpacing();
    }

    public GrainProcess withDensity(double d) {
        return new GrainProcess(d, hardCore, marginSpacings);
    }

    public GrainProcess withHardCore(double h) {
        return new GrainProcess(density, h, marginSpacings);
    }
}
