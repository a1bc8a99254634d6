package org.polyvae.fem;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Banded Cholesky factors of homogeneous-medium stiffness matrices, cached by (m, Q) because building one
 * costs O(m^4) while solving with it costs O(m^3). The cache is small (factors of large grids are large),
 * synchronised, and hands out immutable factors, so it is safe to share between threads.
 */
final class ReferenceMedium {
    private static final int CAPACITY = 4;
    private static final Map<String, BandCholesky> CACHE = new LinkedHashMap<>(8, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, BandCholesky> eldest) {
            return size() > CAPACITY;
        }
    };

    private ReferenceMedium() {
    }

    static BandCholesky factor(int m, double[][] q) {
        String key = m + ":" + Arrays.deepToString(q);
        synchronized (CACHE) {
            BandCholesky f = CACHE.get(key);
            if (f != null) {
                return f;
            }
        }
        // Built outside the lock: two threads may race to build the same factor; both results are equal.
        double[][] elementK = new double[m * m][];
        Arrays.fill(elementK, Q4Element.stiffness(q));
        GridOperator op = new GridOperator(m);
        op.assemble(elementK);
        BandCholesky f = new BandCholesky(op);
        synchronized (CACHE) {
            CACHE.put(key, f);
        }
        return f;
    }
}
