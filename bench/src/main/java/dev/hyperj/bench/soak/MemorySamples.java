package dev.hyperj.bench.soak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * This JVM's heap after a full GC and its resident memory, sampled over a soak, and summed up at the
 * end as the first quarter's average against the last quarter's: a leak shows as a last quarter
 * above the first. Linux only (RSS from /proc/self/status).
 */
final class MemorySamples {
    record Sample(long heapMiB, long rssMiB) {}

    private final List<Sample> samples = new ArrayList<>();

    /** Collects garbage, then records heap in use and RSS. */
    Sample take() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        Sample s = new Sample((rt.totalMemory() - rt.freeMemory()) >> 20, rssMiB());
        samples.add(s);
        return s;
    }

    /** "heap after GC a -> b MiB, RSS c -> d MiB (first vs last quarter of n samples; max ...)". */
    String summary() {
        if (samples.isEmpty()) return "no memory samples";
        int q = Math.max(1, samples.size() / 4);
        List<Sample> first = samples.subList(0, q), last = samples.subList(samples.size() - q, samples.size());
        return String.format(
                "heap after GC %d -> %d MiB, RSS %d -> %d MiB (first vs last quarter of %d samples; max %d and %d MiB)",
                avg(first, Sample::heapMiB),
                avg(last, Sample::heapMiB),
                avg(first, Sample::rssMiB),
                avg(last, Sample::rssMiB),
                samples.size(),
                samples.stream().mapToLong(Sample::heapMiB).max().orElse(0),
                samples.stream().mapToLong(Sample::rssMiB).max().orElse(0));
    }

    private static long avg(List<Sample> s, ToLongFunction<Sample> f) {
        return Math.round(s.stream().mapToLong(f).average().orElse(0));
    }

    static long rssMiB() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status")))
                if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("\\D", "")) >> 10;
            return -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
