package dev.hyperj.chain.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.chain.crypto.DevAccounts;
import dev.hyperj.chain.runtime.GenesisConfig;
import dev.hyperj.chain.runtime.Runtime;
import dev.hyperj.chain.storage.MemoryBackend;
import dev.hyperj.chain.storage.StateRoot;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChainStoreTest {
    @TempDir
    Path dir;

    @Test
    void blockCommitSurvivesReopenWithTheSameStateRoot() {
        MemoryBackend mem = new MemoryBackend();
        var genesis = Runtime.genesis(GenesisConfig.dev(20));
        mem.apply(genesis);
        BlockHeader h0 = new BlockHeader(
                new byte[32],
                0,
                StateRoot.compute(mem),
                BlockHeader.extrinsicsRoot(List.of()),
                DevAccounts.ALITH.account(),
                0);
        BlockHeader h1;
        try (ChainStore s = ChainStore.open(dir)) {
            assertThat(s.bestNumber()).isEmpty();
            s.commitBlock(h0, List.of(), genesis, BlockOutcome.EMPTY, Map.of());
            var r = Runtime.executeBlock(s.state(), 1, h0.hash(), DevAccounts.ALITH.account(), List.of());
            h1 = new BlockHeader(
                    h0.hash(),
                    1,
                    r.stateRoot(),
                    BlockHeader.extrinsicsRoot(List.of(new byte[] {1, 2})),
                    DevAccounts.ALITH.account(),
                    42);
            try (ChainStore.SnapshotView before = s.snapshot()) {
                s.commitBlock(
                        h1,
                        List.of(new byte[] {1, 2}),
                        r.changes(),
                        new BlockOutcome(r.events(), r.callResults()),
                        Map.of(DevAccounts.BALTATHAR.account(), 5L));
                // the snapshot still sees block 0's state
                assertThat(StateRoot.compute(before)).isEqualTo(h0.stateRoot());
            }
            assertThat(StateRoot.compute(s.state())).isEqualTo(h1.stateRoot());
        }
        try (ChainStore s = ChainStore.open(dir)) {
            assertThat(s.bestNumber()).contains(1L);
            assertThat(s.header(1)).contains(h1);
            assertThat(s.header(h1.hash())).contains(h1);
            assertThat(s.body(h1.hash()).orElseThrow()).containsExactly(new byte[] {1, 2});
            assertThat(s.outcome(1)).isPresent();
            assertThat(s.nonce(DevAccounts.BALTATHAR.account())).isEqualTo(5);
            assertThat(s.nonce(DevAccounts.CHARLETH.account())).isZero();
            assertThat(StateRoot.compute(s.state())).isEqualTo(h1.stateRoot());
            assertThat(BlockHeader.decode(h1.encode())).isEqualTo(h1);
        }
    }
}
