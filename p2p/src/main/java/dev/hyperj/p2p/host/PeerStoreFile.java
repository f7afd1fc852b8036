package dev.hyperj.p2p.host;

import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps a {@link PeerStore}'s addresses and protocol lists across restarts: one line per peer, its
 * id, its unexpired addresses, then after a {@code |} the protocols it spoke
 * ({@code 12D3Koo... /ip4/10.0.0.2/tcp/4001 | /ipfs/kad/1.0.0 /meshsub/1.1.0}), written
 * atomically. A protocol id with white space or a {@code |} in it is not written. Reading
 * is bounded and forgiving: at most {@link PeerStore#DEFAULT_MAX_PEERS} lines, lines that do not
 * parse are skipped (the file is a cache, never a reason not to start).
 */
public final class PeerStoreFile {
    static final int MAX_LINE = 8 * 1024;
    private static final String SEPARATOR = "|";

    private PeerStoreFile() {}

    /** Writes every peer with an unexpired address. */
    public static void save(PeerStore store, Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            for (PeerId peer : store.peers()) {
                List<Multiaddr> addrs = store.addresses(peer);
                if (addrs.isEmpty()) continue;
                StringBuilder line = new StringBuilder(peer.toBase58());
                for (Multiaddr a : addrs) line.append(' ').append(a);
                List<String> protocols = store.protocols(peer).stream()
                        .filter(PeerStoreFile::writable)
                        .sorted()
                        .toList();
                if (!protocols.isEmpty()) line.append(" ").append(SEPARATOR);
                for (String p : protocols) line.append(' ').append(p);
                w.write(line.append('\n').toString());
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Adds the file's addresses to {@code store}, each for {@code ttl}; returns the peers loaded
     * (none if the file does not exist).
     */
    public static List<PeerId> load(Path file, PeerStore store, Duration ttl) throws IOException {
        List<PeerId> loaded = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line; loaded.size() < PeerStore.DEFAULT_MAX_PEERS && (line = r.readLine()) != null; ) {
                if (line.length() > MAX_LINE) continue;
                String[] parts = line.strip().split("\\s+");
                if (parts.length < 2) continue;
                try {
                    PeerId peer = PeerId.parse(parts[0]);
                    List<Multiaddr> addrs = new ArrayList<>();
                    List<String> protocols = new ArrayList<>();
                    int i = 1;
                    for (; i < parts.length && !parts[i].equals(SEPARATOR); i++) {
                        if (addrs.size() < PeerStore.DEFAULT_MAX_ADDRESSES_PER_PEER)
                            addrs.add(Multiaddr.parse(parts[i]));
                    }
                    for (i++; i < parts.length; i++) protocols.add(parts[i]); // setProtocols bounds them
                    if (addrs.isEmpty()) continue;
                    store.addAddresses(peer, ttl, addrs);
                    if (!protocols.isEmpty()) store.setProtocols(peer, protocols);
                    loaded.add(peer);
                } catch (IllegalArgumentException skipped) {
                    // a line we did not write: ignore it
                }
            }
        } catch (NoSuchFileException first) {
            return List.of();
        } catch (java.nio.charset.CharacterCodingException garbage) {
            return loaded; // not our file past this point
        }
        return loaded;
    }

    private static boolean writable(String protocol) {
        return !protocol.contains(SEPARATOR) && protocol.chars().noneMatch(Character::isWhitespace);
    }
}
