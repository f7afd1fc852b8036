package dev.hyperj.cli;

import dev.hyperj.p2p.crypto.KeyFormatException;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PrivateKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Reading and writing private key files (libp2p protobuf {@code PrivateKey}), owner-only and atomically. */
final class KeyFiles {
    /** No key file is anywhere near this large (an 8192-bit RSA key is under 5 kB). */
    static final int MAX_FILE_BYTES = 64 * 1024;

    private KeyFiles() {}

    /**
     * Writes {@code bytes} to {@code path} with mode 0600: into a temporary file in the same directory
     * first, then moved into place, so the file is never seen half-written or with wider permissions.
     */
    static void write(Path path, byte[] bytes, boolean overwrite) {
        Path target = path.toAbsolutePath();
        Path dir = target.getParent();
        if (Files.isDirectory(target)) {
            throw new CliException(target + " is a directory; give a file name with --path");
        }
        if (!overwrite && Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new CliException(
                    target + " already exists; pass --overwrite to replace it, or choose another --path");
        }
        if (dir == null || !Files.isDirectory(dir)) {
            throw new CliException("directory " + dir + " does not exist; create it first or choose another --path");
        }
        Path tmp = null;
        try {
            tmp = createOwnerOnlyTempFile(dir, target.getFileName().toString());
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            if (overwrite) {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                // link() fails if the target appeared meanwhile, which a rename would silently replace.
                try {
                    Files.createLink(target, tmp);
                } catch (UnsupportedOperationException | IOException linkFailed) {
                    if (linkFailed instanceof FileAlreadyExistsException) {
                        throw linkFailed;
                    }
                    Files.move(tmp, target);
                }
            }
        } catch (FileAlreadyExistsException e) {
            throw new CliException(
                    target + " already exists; pass --overwrite to replace it, or choose another --path");
        } catch (AccessDeniedException e) {
            throw new CliException("permission denied writing " + target + "; choose a writable --path");
        } catch (IOException e) {
            throw new CliException("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a stray temporary file is harmless; the key itself was written or the error reported
                }
            }
        }
    }

    private static Path createOwnerOnlyTempFile(Path dir, String name) throws IOException {
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return Files.createTempFile(
                    dir,
                    "." + name + ".",
                    ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        return Files.createTempFile(dir, "." + name + ".", ".tmp");
    }

    /** The raw file contents, bounded. */
    static byte[] readBytes(Path path) {
        Path p = path.toAbsolutePath();
        if (Files.isDirectory(p)) {
            throw new CliException(p + " is a directory, not a key file; give the key file with --path");
        }
        try (InputStream in = Files.newInputStream(p)) {
            byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
            if (bytes.length > MAX_FILE_BYTES) {
                throw new CliException(
                        p + " is too large to be a key file (over " + MAX_FILE_BYTES + " bytes); check --path");
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw new CliException("no key file at " + p + "; create one with 'hyperj keygen --path " + path + "'");
        } catch (AccessDeniedException e) {
            throw new CliException("permission denied reading " + p);
        } catch (IOException e) {
            throw new CliException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    static PrivateKey parse(Path path, byte[] bytes) {
        if (bytes.length == 0) {
            throw new CliException(
                    path.toAbsolutePath() + " is empty, not a key file; create one with 'hyperj keygen'");
        }
        try {
            return Keys.unmarshalPrivateKey(bytes);
        } catch (KeyFormatException e) {
            throw new CliException(
                    path.toAbsolutePath() + " is not a libp2p private key file (" + e.getMessage()
                            + "); expected the protobuf PrivateKey that 'hyperj keygen' writes",
                    e);
        }
    }
}
