/**
 * Prometheus metrics of a subnet node (Micrometer): the p2p layers' counters and listeners bound
 * as meters (so that p2p stays free of Micrometer), the epoch clock, consensus outcomes, the API
 * and the JVM. Names follow Prometheus: {@code hyperj_} prefix, base units, {@code _total}.
 */
package dev.hyperj.subnet.metrics;
