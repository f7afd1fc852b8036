/**
 * Signed telemetry: a node signs each event ({@link dev.hyperj.subnet.telemetry.TelemetryEvent})
 * with its libp2p key and pushes it to an optional collector ({@link
 * dev.hyperj.subnet.telemetry.TelemetryReporter}); the collector ({@link
 * dev.hyperj.subnet.telemetry.TelemetryCollector}) verifies each against the node's on-chain peer
 * id and refuses forged, foreign, replayed, stale and oversized events ({@link
 * dev.hyperj.subnet.telemetry.TelemetryVerifier}, pure).
 */
package dev.hyperj.subnet.telemetry;
