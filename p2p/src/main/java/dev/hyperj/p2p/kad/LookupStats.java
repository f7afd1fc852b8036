package dev.hyperj.p2p.kad;

/**
 * How a lookup went.
 *
 * @param hops        sequential requests on the path that produced the result: for a peer search,
 *                    the depth of the response that revealed the target (0 = it was in our table);
 *                    otherwise the depth of the closest peer that answered (1 = a peer from our table)
 * @param queries     requests sent
 * @param failures    requests that failed or timed out
 * @param elapsedMillis time from start to end on the node's clock
 * @param timedOut    the lookup hit its overall time limit and returned what it had
 */
public record LookupStats(int hops, int queries, int failures, long elapsedMillis, boolean timedOut) {}
