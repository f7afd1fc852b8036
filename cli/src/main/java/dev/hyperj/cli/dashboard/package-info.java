/**
 * The network's stats page, {@code hyperj dashboard}: {@link dev.hyperj.cli.dashboard.NetworkModel}
 * reads the chain through {@code ChainClient} only (so any chain behind that interface works) and
 * keeps a bounded history of each subnet's epochs; {@link dev.hyperj.cli.dashboard.Dashboard}
 * serves it as JSON, the page's assets from the jar, and a Server-Sent Events stream that tells the
 * page when a block arrived.
 */
package dev.hyperj.cli.dashboard;
