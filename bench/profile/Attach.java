/**
 * Loads async-profiler into a running JVM (what its asprof launcher does), so a profile starts after
 * the warm-up: {@code java bench/profile/Attach.java PID LIBRARY "start,event=cpu,interval=1ms"}.
 */
public class Attach {
    public static void main(String[] args) throws Exception {
        var vm = com.sun.tools.attach.VirtualMachine.attach(args[0]);
        try {
            vm.loadAgentPath(args[1], args[2]);
        } finally {
            vm.detach();
        }
    }
}
