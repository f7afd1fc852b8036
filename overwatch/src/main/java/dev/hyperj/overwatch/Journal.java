package dev.hyperj.overwatch;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent's durable record of its commits: for each overwatch epoch, the weights and salts it
 * committed, written before the commit is sent. A write goes to a temporary file that is synced,
 * then atomically renamed over the entry, then the directory is synced, so after a crash (even
 * SIGKILL or a power cut) an entry is either the whole new one or absent, never half written.
 */
public final class Journal {
    /** One overwatch epoch's commit. */
    public record Entry(long overwatchEpoch, int overwatchNodeId, Map<Integer, Commitment> subnets) {
        public Entry {
            subnets = Map.copyOf(new TreeMap<>(subnets));
        }
    }

    /** A subnet's committed weight (1e18 = 1) and the salt that hides it. */
    public record Commitment(BigInteger weight, String saltHex) {
        public byte[] salt() {
            return HexFormat.of().parseHex(saltHex);
        }
    }

    private static final long MAX_ENTRY_BYTES = 1 << 20;
    private static final Pattern NAME = Pattern.compile("ow-epoch-(\\d{1,18})\\.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;

    public Journal(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    public Path directory() {
        return dir;
    }

    private Path file(long epoch) {
        return dir.resolve("ow-epoch-" + epoch + ".json");
    }

    /** Writes {@code e} durably; when this returns, a crash cannot lose it. */
    public void write(Entry e) throws IOException {
        byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(e);
        Path tmp = dir.resolve(".ow-epoch-" + e.overwatchEpoch() + ".json.tmp");
        try (FileChannel ch = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) ch.write(b);
            ch.force(true);
        }
        try {
            Files.move(tmp, file(e.overwatchEpoch()), StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException ex) {
            throw new IOException("the journal directory " + dir + " cannot rename atomically", ex);
        }
        syncDirectory();
    }

    private void syncDirectory() throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ex) {
            // some platforms cannot open a directory for syncing; the rename is still atomic
            if (!System.getProperty("os.name", "")
                    .toLowerCase(java.util.Locale.ROOT)
                    .contains("win")) throw ex;
        }
    }

    /** The entry of {@code epoch}, if one was written; a corrupt or oversized file is an error, not absence. */
    public Optional<Entry> read(long epoch) throws IOException {
        Path f = file(epoch);
        if (!Files.exists(f)) return Optional.empty();
        if (Files.size(f) > MAX_ENTRY_BYTES)
            throw new IOException("journal entry " + f + " is larger than " + MAX_ENTRY_BYTES + " bytes");
        Entry e;
        try {
            e = JSON.readValue(Files.readAllBytes(f), Entry.class);
        } catch (IOException ex) {
            throw new IOException("journal entry " + f + " is unreadable: " + ex.getMessage(), ex);
        }
        if (e.overwatchEpoch() != epoch)
            throw new IOException("journal entry " + f + " names overwatch epoch " + e.overwatchEpoch());
        return Optional.of(e);
    }

    /** Deletes entries of epochs before {@code epoch} (they can no longer be revealed). */
    public int pruneBefore(long epoch) throws IOException {
        int n = 0;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "ow-epoch-*.json")) {
            for (Path p : s) {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches() && Long.parseLong(m.group(1)) < epoch) {
                    Files.deleteIfExists(p);
                    n++;
                }
            }
        }
        return n;
    }
}
