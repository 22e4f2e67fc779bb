package io.idgate.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The memory bench waits for the JIT to be idle before it reads resident memory: how it reads {@code jcmd PID Compiler.queue}. */
class ReachMemoryBenchTest {

    @Test
    void anIdleCompilerIsIdle() {
        assertFalse(ReachMemoryBench.compiling("30033:\nCurrent compiles: \n\nC1 compile queue:\nEmpty\n\nC2 compile queue:\nEmpty\n\n"));
    }

    @Test
    void aCompileUnderWayOrQueuedIsNot() {
        assertTrue(ReachMemoryBench.compiling("30033:\nCurrent compiles: \nC2 CompilerThread0  4321       4       java.lang.String::hashCode (49 bytes)\n\n"
                + "C1 compile queue:\nEmpty\n\nC2 compile queue:\nEmpty\n\n"));
        assertTrue(ReachMemoryBench.compiling("30033:\nCurrent compiles: \n\nC1 compile queue:\nEmpty\n\nC2 compile queue:\n"
                + "  5000       4       java.util.HashMap::putVal (300 bytes)\n\n"));
    }
}
