package dev.hyperj.overwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hyperj.overwatch.Journal.Commitment;
import dev.hyperj.overwatch.Journal.Entry;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
    @TempDir
    Path dir;

    @Test
    void writesReadsAndPrunes() throws IOException {
        Journal j = new Journal(dir.resolve("j"));
        Entry e = new Entry(7, 3, Map.of(128001, new Commitment(new BigInteger("750000000000000000"), "00ff10")));
        j.write(e);
        assertThat(new Journal(dir.resolve("j")).read(7)).contains(e);
        assertThat(j.read(8)).isEmpty();
        assertThat(j.read(7).orElseThrow().subnets().get(128001).salt()).containsExactly(0x00, 0xff, 0x10);
        j.write(new Entry(9, 3, Map.of()));
        assertThat(j.pruneBefore(9)).isEqualTo(1);
        assertThat(j.read(7)).isEmpty();
        assertThat(j.read(9)).isPresent();
        // no temporary file is left behind by a completed write
        try (var s = Files.list(dir.resolve("j"))) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("ow-epoch-9.json");
        }
    }

    @Test
    void aDamagedEntryIsAnErrorNotAMissingCommit() throws IOException {
        Journal j = new Journal(dir);
        Files.writeString(dir.resolve("ow-epoch-4.json"), "{\"overwatchEpoch\": 4, \"subn");
        assertThatThrownBy(() -> j.read(4)).isInstanceOf(IOException.class).hasMessageContaining("unreadable");
        Files.writeString(
                dir.resolve("ow-epoch-5.json"), "{\"overwatchEpoch\":6,\"overwatchNodeId\":1,\"subnets\":{}}");
        assertThatThrownBy(() -> j.read(5))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("names overwatch epoch 6");
    }
}
