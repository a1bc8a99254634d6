package org.polyvae.fem;

/**
 * Result of one homogenisation.
 *
 * @param apparentStiffness 3×3 Voigt stiffness (xx, yy, xy; engineering shear), GPa: column j is the
 *                          volume-averaged stress of load case j (unit ε11, unit ε22, unit γ12)
 * @param e11               1/S11 of its inverse, GPa
 * @param iterations        the most PCG iterations any of the three load cases needed
 */
public record Homogenized(double[][] apparentStiffness, double e11, int iterations) {
}
