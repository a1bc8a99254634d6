package org.polyvae.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class SeedsTest {

    /** Every synthetic dataset, split and sample depends on these values: they must never change. */
    @Test
    void derivationsArePinned() {
        assertEquals(5501102465222588343L, Seeds.image(42, WindowClass.W2, 1));
        assertEquals(-5451056972460827668L, Seeds.image(42, WindowClass.W10, 3817));
        assertEquals(-5772492934396337550L, Seeds.sample(7, 0));
        assertEquals(6094186714584702676L, Seeds.sample(7, 123));
    }

    @Test
    void classAndNumberBothSeparateStreams() {
        assertNotEquals(Seeds.image(1, WindowClass.W2, 5), Seeds.image(1, WindowClass.W3, 5));
        assertNotEquals(Seeds.image(1, WindowClass.W2, 5), Seeds.image(1, WindowClass.W2, 6));
        assertNotEquals(Seeds.image(1, WindowClass.W2, 5), Seeds.image(2, WindowClass.W2, 5));
    }

    @Test
    void uniformSpansTheUnitInterval() {
        assertEquals(0.0, Seeds.uniform(0L));
        assertEquals(1.0 - 0x1.0p-53, Seeds.uniform(-1L));
        assertEquals(0.5, Seeds.uniform(Long.MIN_VALUE));
    }
}
