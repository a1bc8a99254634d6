package org.polyvae.model;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Makes the calling thread's native ops (oneDNN's convolutions, libnd4j's OpenMP loops) run on the number of
 * threads ND4J was configured with ({@code OMP_NUM_THREADS}, else the cores), as every thread but one already
 * does.
 *
 * <p>ND4J 1.0.0-M2's {@code NativeOpsHolder} sets OpenMP's thread count from {@code OMP_NUM_THREADS} and then,
 * unconditionally, to 4. OpenMP keeps that count per thread, so only the thread that first touches ND4J is
 * affected: a driver's main thread, a benchmark's, or the executor task thread that first deserialises a
 * broadcast network. That thread then runs every convolution on 4 threads whatever the cores and the setting,
 * which oversubscribes a 2-core machine and makes a "1-thread" measurement use more than one core (README,
 * Training, "Fifth round"). Cheap enough to call at the start of every task: one native call when the
 * count is already right, two when it is not.
 */
public final class NativeThreads {
    private NativeThreads() {
    }

    /** The thread count ND4J read from {@code OMP_NUM_THREADS} (or the cores when it is unset). */
    public static int configured() {
        return Nd4j.getEnvironment().maxThreads();
    }

    /** The calling thread's OpenMP thread count, as oneDNN will use it. */
    public static int current() {
        return NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
    }

    /**
     * Sets the calling thread's OpenMP thread count to {@link #configured()} (initialising ND4J if nothing
     * has yet).
     */
    public static void useConfigured() {
        int threads = configured();
        NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
        if (ops.ompGetMaxThreads() != threads) {
            ops.setOmpNumThreads(threads);
        }
    }
}
