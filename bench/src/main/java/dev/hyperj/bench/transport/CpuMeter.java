package dev.hyperj.bench.transport;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time spent during one transfer, which unlike wall-clock MB/s does not grow when other
 * processes compete for the cores: this JVM's (all threads, JIT and GC included), its child
 * processes' (the Node peers), and per thread group of this JVM from /proc/self/task (10 ms
 * ticks): Netty event-loop groups by thread-name prefix {@code hyperj-p2p-<group>} (so the sending
 * and receiving hosts can be told apart), other threads (GC, JIT...) by name without trailing digits.
 */
final class CpuMeter {
    /** USER_HZ is 100 on every Linux we run on. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    record Sample(long jvmNanos, long childNanos, Map<String, Long> groupNanos) {
        Sample minus(Sample before) {
            Map<String, Long> groups = new HashMap<>(groupNanos);
            before.groupNanos.forEach((k, v) -> groups.merge(k, -v, Long::sum));
            return new Sample(jvmNanos - before.jvmNanos, childNanos - before.childNanos, groups);
        }

        long group(String name) {
            return groupNanos.getOrDefault(name, 0L);
        }
    }

    private CpuMeter() {}

    static Sample sample() {
        long children = ProcessHandle.current()
                .descendants()
                .mapToLong(
                        p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L))
                .sum();
        Map<String, Long> groups = new HashMap<>();
        // Linux: every native thread of this process, JIT and GC threads included (names cut at 15 chars).
        File[] tasks = new File("/proc/self/task").listFiles();
        for (File task : tasks == null ? new File[0] : tasks) {
            try {
                String name = Files.readString(task.toPath().resolve("comm")).strip();
                String stat = Files.readString(task.toPath().resolve("stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime
                groups.merge(
                        name.startsWith("hyperj-p2p-")
                                ? name.substring(0, name.lastIndexOf('-'))
                                : name.replaceAll("[0-9]+$", ""),
                        ticks * NANOS_PER_TICK,
                        Long::sum);
            } catch (IOException | RuntimeException e) {
                // the thread ended meanwhile
            }
        }
        return new Sample(OS.getProcessCpuTime(), children, groups);
    }
}
