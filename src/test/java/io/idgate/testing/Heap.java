package io.idgate.testing;

import java.lang.management.ManagementFactory;

/** The heap in use after collecting garbage: what a structure holds, as a difference of two readings. */
public final class Heap {

    private Heap() {}

    public static long used() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
