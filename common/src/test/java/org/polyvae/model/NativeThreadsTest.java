package org.polyvae.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.nd4j.nativeblas.NativeOpsHolder;

class NativeThreadsTest {
    /** Runs {@code body} on a new thread and waits for it (rethrowing what it threw). */
    private static void onNewThread(Runnable body) throws Throwable {
        Throwable[] thrown = new Throwable[1];
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                thrown[0] = e;
            }
        });
        t.start();
        t.join();
        if (thrown[0] != null) {
            throw thrown[0];
        }
    }

    @Test
    void theCallingThreadGetsTheConfiguredCountBackAndNoOtherThreadIsTouched() throws Throwable {
        int configured = NativeThreads.configured();
        int wrong = configured + 3; // as ND4J 1.0.0-M2 leaves the thread that initialised it: 4
        AtomicIntegerArray seen = new AtomicIntegerArray(3);
        onNewThread(() -> {
            NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(wrong);
            seen.set(0, NativeThreads.current());
            try {
                // OpenMP keeps the count per thread: a thread started now has the process's default.
                onNewThread(() -> seen.set(1, NativeThreads.current()));
            } catch (Throwable e) {
                throw new AssertionError(e);
            }
            NativeThreads.useConfigured();
            seen.set(2, NativeThreads.current());
        });
        assertEquals(wrong, seen.get(0), "the count set on the thread");
        assertEquals(configured, seen.get(1), "another thread's count");
        assertEquals(configured, seen.get(2), "the count after useConfigured");
    }
}
