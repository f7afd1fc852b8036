package dev.hyperj.p2p.mux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Paranoid leak detection for a test class, with reported leaks collected instead of only logged. */
final class LeakWatch {
    static final List<String> LEAKS = new CopyOnWriteArrayList<>();
    private static ResourceLeakDetector.Level previous;

    static void start() {
        previous = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        ByteBufUtil.setLeakListener((resourceType, records) -> LEAKS.add(resourceType + ": " + records));
    }

    /** Collects garbage and allocates, which makes the detector report leaked buffers it tracked. */
    static List<String> collectLeaks() throws InterruptedException {
        UnpooledByteBufAllocator probe = new UnpooledByteBufAllocator(false, false);
        for (int round = 0; round < 5; round++) {
            System.gc();
            Thread.sleep(50); // lets the reference handler enqueue collected buffers; not synchronisation
            for (int i = 0; i < 100; i++) {
                ByteBuf b = probe.buffer(16);
                b.release();
            }
        }
        return List.copyOf(LEAKS);
    }

    static void stop() {
        ByteBufUtil.setLeakListener(null);
        if (previous != null) ResourceLeakDetector.setLevel(previous);
    }
}
