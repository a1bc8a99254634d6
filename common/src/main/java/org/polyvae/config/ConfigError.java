package org.polyvae.config;

/**
 * A configuration problem the user must fix: an unknown key, a value of the wrong type or out of range,
 * a missing or unreadable file. The message always names the key (or file) and what was expected.
 */
public class ConfigError extends IllegalArgumentException implements UserError {
    private static final long serialVersionUID = 1L;

    public ConfigError(String message) {
        super(message);
    }

    public ConfigError(String message, Throwable cause) {
        super(message, cause);
    }
}
