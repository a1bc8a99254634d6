package org.polyvae.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.polyvae.data.WindowClass;

class VaeBatchesTest {
    @Test
    void theVaeOneHotFollowsTheWindowClassIndex() {
        float[][] rows = VaeBatches.oneHot(new int[] {10, 2, 5}).toFloatMatrix();
        assertArrayEquals(new float[] {0, 0, 0, 1}, rows[0]);
        assertArrayEquals(new float[] {1, 0, 0, 0}, rows[1]);
        assertArrayEquals(new float[] {0, 0, 1, 0}, rows[2]);
        for (WindowClass c : WindowClass.values()) {
            assertTrue(VaeBatches.oneHot(new int[] {c.micrometres()}).getFloat(0, c.index()) == 1f, c.token());
        }
    }

    @Test
    void anotherClassOrderGivesItsOwnColumns() {
        int[] judge = {5, 2};
        float[][] rows = VaeBatches.oneHot(new int[] {2, 5, 2}, judge).toFloatMatrix();
        assertArrayEquals(new float[][] {{0, 1}, {1, 0}, {0, 1}}, rows);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VaeBatches.oneHot(new int[] {3}, judge));
        assertTrue(e.getMessage().contains("3 µm") && e.getMessage().contains("[5, 2]"), e.getMessage());
    }
}
