package dev.hyperj.subnet.pos;

import dev.hyperj.p2p.host.ConnectionGater;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Gaters asked in order; the first deny wins and later ones are not asked. A host takes its gater
 * when built, but some gaters exist only later (GossipSub's blacklist needs a started host): give
 * the host this chain and {@link #add} them when they exist.
 */
public final class GaterChain implements ConnectionGater {
    private final List<ConnectionGater> gaters = new CopyOnWriteArrayList<>();

    public static GaterChain of(ConnectionGater... first) {
        GaterChain c = new GaterChain();
        for (ConnectionGater g : first) c.add(g);
        return c;
    }

    /** Appends a gater (cheap ones first: a deny stops the chain). */
    public GaterChain add(ConnectionGater g) {
        gaters.add(Objects.requireNonNull(g));
        return this;
    }

    @Override
    public CompletableFuture<Boolean> allow(PeerId peer, Multiaddr remote, boolean inbound) {
        return ask(List.copyOf(gaters), 0, peer, remote, inbound);
    }

    private static CompletableFuture<Boolean> ask(
            List<ConnectionGater> gs, int i, PeerId peer, Multiaddr remote, boolean inbound) {
        if (i == gs.size()) return CompletableFuture.completedFuture(true);
        CompletableFuture<Boolean> answer;
        try {
            answer = gs.get(i).allow(peer, remote, inbound);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return answer.thenCompose(ok -> Boolean.TRUE.equals(ok)
                ? ask(gs, i + 1, peer, remote, inbound)
                : CompletableFuture.completedFuture(false));
    }
}
