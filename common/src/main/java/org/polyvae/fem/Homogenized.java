package org.polyvae.fem;

/**
 * Result of one homogenisation.
 *
 * @param apparentStiffness 3x3 apparent stiffness (GPa, Voigt: xx, yy, engineering xy) under affine
 *                          boundary displacements
 * @param e11               1 / S11 with S = inverse(apparentStiffness), in GPa
 * @param iterations        the largest PCG iteration count over the three load cases
 */
public record Homogenized(double[][] apparentStiffness, double e11, int iterations) {
}
