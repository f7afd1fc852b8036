package dev.hyperj.p2p.gossipsub;

import dev.hyperj.p2p.peer.PeerId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The gossipsub message cache: the messages of the last {@code history} heartbeats (served to
 * IWANT), of which the last {@code gossip} windows are advertised in IHAVE.
 */
final class MessageCache {
    private record Entry(Rpc.Message message, Map<PeerId, Integer> served) {}

    private record Key(MessageId id, String topic) {}

    private final int gossip;
    private final ArrayDeque<List<Key>> windows = new ArrayDeque<>();
    private final Map<MessageId, Entry> messages = new HashMap<>();

    MessageCache(int history, int gossip) {
        this.gossip = gossip;
        for (int i = 0; i < history; i++) windows.add(new ArrayList<>());
    }

    void put(MessageId id, Rpc.Message m) {
        if (messages.putIfAbsent(id, new Entry(m, new HashMap<>(2))) == null) {
            windows.peekFirst().add(new Key(id, m.topic()));
        }
    }

    Rpc.Message get(MessageId id) {
        Entry e = messages.get(id);
        return e == null ? null : e.message();
    }

    /** The message and how many times {@code peer} asked for it, counting this time; null if absent. */
    Rpc.Message getForPeer(MessageId id, PeerId peer, int maxTransmissions) {
        Entry e = messages.get(id);
        if (e == null) return null;
        int n = e.served().merge(peer, 1, Integer::sum);
        return n > maxTransmissions ? null : e.message();
    }

    List<MessageId> gossipIds(String topic) {
        List<MessageId> ids = new ArrayList<>();
        int i = 0;
        for (List<Key> w : windows) {
            if (i++ >= gossip) break;
            for (Key k : w) {
                if (k.topic().equals(topic)) ids.add(k.id());
            }
        }
        return ids;
    }

    void shift() {
        for (Key k : windows.pollLast()) messages.remove(k.id());
        windows.addFirst(new ArrayList<>());
    }

    int size() {
        return messages.size();
    }
}
