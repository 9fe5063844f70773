package dev.suite.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;

/**
 * Dev secrets, generated on first use into the git-ignored {@code .local/} folder and reused afterwards.
 * Production never reads this folder: its secrets come from Vault.
 */
public final class LocalSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final Path file;
    private final Properties values = new Properties();

    private LocalSecrets(Path dir) {
        this.dir = dir;
        this.file = dir.resolve("secrets.properties");
    }

    public static LocalSecrets in(Path dir) {
        LocalSecrets secrets = new LocalSecrets(dir);
        try {
            PrivateFiles.createDirectory(dir);
            secrets.reload();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the local secrets in " + dir, e);
        }
        return secrets;
    }

    public Path dir() {
        return dir;
    }

    /** The properties file the generated secrets are kept in, one entry per name given to {@link #secret}. */
    public Path file() {
        return file;
    }

    /**
     * A random secret of 256 bits under this name, created and saved the first time it is asked for. Made under
     * {@link #exclusively}: the file is read again first, so a secret another process made meanwhile is the one used.
     */
    public synchronized String secret(String name) {
        String known = values.getProperty(name);
        if (known != null) {
            return known;
        }
        return exclusively(dir, () -> {
            reload();
            String value = values.getProperty(name);
            if (value == null) {
                byte[] bytes = new byte[32];
                RANDOM.nextBytes(bytes);
                value = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
                values.setProperty(name, value);
                save();
            }
            return value;
        });
    }

    /** The auth service's token signing key (EC P-256, PKCS#8 PEM), made once like the other secrets. */
    public synchronized Path signingKey() {
        Path file = dir.resolve("jwt").resolve("signing-key.pem");
        return exclusively(dir, () -> {
            if (!Files.exists(file)) {
                PrivateFiles.createDirectory(file.getParent());
                DevCertificates.writePem(file, DevCertificates.newSigningKeyPkcs8());
                PrivateFiles.restrict(file);
            }
            return file;
        });
    }

    /** Work that reads and writes files of {@code dir}, done while holding the folder's lock. */
    interface FolderWork<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code work} holding {@code dir}'s lock file ({@code .lock}), across processes: make test's two lanes, or
     * make run beside a test, start stacks at the same moment, and two that both made a missing secret (or the dev CA)
     * would each go on with their own while the file kept only one. The lock on the class serialises this JVM's
     * threads, which one file lock cannot (the JVM refuses a second lock of the same file).
     */
    static <T> T exclusively(Path dir, FolderWork<T> work) {
        synchronized (LocalSecrets.class) {
            try {
                PrivateFiles.createDirectory(dir);
                try (FileChannel channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                        FileLock lock = channel.lock()) {
                    return work.run();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write into " + dir, e);
            }
        }
    }

    private void reload() throws IOException {
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                values.load(in);
            }
        }
    }

    public DevCertificates.TlsFiles tls() {
        return DevCertificates.ensure(dir.resolve("tls"));
    }

    private void save() {
        try {
            Path tmp = Files.createTempFile(dir, "secrets", ".tmp");
            PrivateFiles.restrict(tmp);
            try (OutputStream out = Files.newOutputStream(tmp)) {
                values.store(out, "Dev secrets of the local stack. Generated, never committed.");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save the local secrets in " + dir, e);
        }
    }

    /** Owner-only permissions where the file system has them. */
    static final class PrivateFiles {
        private PrivateFiles() {
        }

        static void createDirectory(Path dir) throws IOException {
            Files.createDirectories(dir);
            if (isPosix(dir)) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            }
        }

        static void restrict(Path file) throws IOException {
            if (isPosix(file)) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
        }

        private static boolean isPosix(Path path) {
            return path.getFileSystem().supportedFileAttributeViews().contains("posix");
        }
    }
}
