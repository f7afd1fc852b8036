package dev.hyperj.bench.noise;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The benchmark thread's CPU time over each measurement iteration ({@code cpuMicros}) and the
 * operations it completed ({@code ops}). Their ratio is the CPU cost of one operation, which, unlike
 * the wall-clock score, does not grow when other processes compete for the machine's cores. JMH sums
 * both counters over the iterations, so divide the sums.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class CpuCounters {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private long startNanos;
    private long count;
    public double cpuMicros;
    public long ops;

    @Setup(Level.Iteration)
    public void start() {
        count = 0;
        cpuMicros = 0;
        ops = 0;
        startNanos = THREADS.getCurrentThreadCpuTime();
    }

    @TearDown(Level.Iteration)
    public void stop() {
        cpuMicros = (THREADS.getCurrentThreadCpuTime() - startNanos) / 1000.0;
        ops = count;
    }

    void done() {
        count++;
    }
}
