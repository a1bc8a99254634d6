package org.polyvae.config;

import java.util.Locale;

/**
 * An enum whose constants are the values of a string-valued config key. Users write the value in lower
 * case with '-' for '_' ({@code PIXEL_SHUFFLE} is {@code pixel-shuffle}), unless the enum says otherwise.
 */
public interface OptionValue {
    String name();

    /** What a user writes in a config file for this constant. */
    default String configValue() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
