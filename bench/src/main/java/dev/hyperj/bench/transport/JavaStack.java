package dev.hyperj.bench.transport;

import java.util.List;

/** The HyperJ side of the benchmark (filled in once the Host lands). */
final class JavaStack {
    private JavaStack() {
    }

    static void addRows(List<TransportBench.Row> rows, long bytes, int runs, int handshakes) {
    }

    static void printHandshakes() {
    }
}
