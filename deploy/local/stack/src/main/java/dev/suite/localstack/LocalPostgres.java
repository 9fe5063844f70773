package dev.suite.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;

/**
 * A real PostgreSQL server from the zonky binaries artifact, configured from {@code deploy/db}: TLS only,
 * SCRAM, the suite's roles and pg_hba rules. Bootstrapped in single-user mode, so the superuser has no
 * network login at all; unix sockets are off, every client comes over TCP and must pass pg_hba.
 */
public final class LocalPostgres {

    private static final List<String> LOOPBACK = List.of("127.0.0.1/32", "::1/128");

    private final Path bin;
    private final Path dataDir;
    private final int port;

    private LocalPostgres(Path bin, Path dataDir, int port) {
        this.bin = bin;
        this.dataDir = dataDir;
        this.port = port;
    }

    /** Creates a new cluster under {@code workDir} and starts it. */
    static LocalPostgres create(Path workDir, int port, DatabaseScripts scripts, DevCertificates.TlsFiles tls,
            Map<String, String> rolePasswords) {
        Path bin = binaries();
        Path dataDir = workDir.resolve("pgdata");
        try {
            Files.createDirectories(dataDir);
            Commands.giveToServerUser(dataDir);
            Commands.run(Commands.asServerUser(List.of(bin.resolve("initdb").toString(), "-D", dataDir.toString(),
                    "-U", "postgres", "--auth=reject", "-E", "UTF8", "--no-locale", "--no-instructions")), null, 120);

            copyForServer(tls.serverCert(), dataDir.resolve("server.crt"));
            copyForServer(tls.serverKey(), dataDir.resolve("server.key"));
            copyForServer(scripts.postgresqlConf(), dataDir.resolve("suite.conf"));
            Files.writeString(dataDir.resolve("pg_hba.conf"),
                    scripts.pgHba(Map.of("auth_clients", LOOPBACK, "users_clients", LOOPBACK, "vault_clients", LOOPBACK)));
            Files.writeString(dataDir.resolve("postgresql.conf"), String.join("\n",
                    "",
                    "# Added by the local stack: the suite's rules, then what differs on a developer machine.",
                    "include 'suite.conf'",
                    "listen_addresses = '127.0.0.1,::1'",
                    "port = " + port,
                    "unix_socket_directories = ''",
                    // make bench runs a fourth service instance (a second user service): it asks for more.
                    "max_connections = " + Integer.getInteger("suite.pg.max-connections", 60),
                    "shared_buffers = 32MB",
                    "log_connections = off",
                    ""), java.nio.file.StandardOpenOption.APPEND);

            LocalPostgres server = new LocalPostgres(bin, dataDir, port);
            for (DatabaseScripts.Step step : scripts.init(rolePasswords)) {
                server.runSingleUser(step);
            }
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the PostgreSQL cluster in " + dataDir, e);
        }
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public void start() {
        Commands.run(Commands.asServerUser(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(),
                "-l", dataDir.resolve("postgres.log").toString(), "-w", "-t", "60", "start")), null, 90);
    }

    public void stop() {
        if (Files.exists(dataDir.resolve("postmaster.pid"))) {
            stop(bin, dataDir, "fast");
        }
    }

    /** Stops a server left behind by a process that died without cleaning up. */
    static void stopAbandoned(Path dataDir) {
        if (Files.exists(dataDir.resolve("postmaster.pid"))) {
            try {
                stop(binaries(), dataDir, "immediate");
            } catch (RuntimeException e) {
                // The server is gone already; its folder is removed next.
            }
        }
    }

    private static void stop(Path bin, Path dataDir, String mode) {
        Commands.run(Commands.asServerUser(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(),
                "-m", mode, "-w", "-t", "60", "stop")), null, 90);
    }

    private void runSingleUser(DatabaseScripts.Step step) {
        // -j: a statement ends with a semicolon and an empty line.
        String input = String.join("\n\n", step.statements()) + "\n\n";
        String output = Commands.run(Commands.asServerUser(List.of(bin.resolve("postgres").toString(), "--single",
                "-j", "-D", dataDir.toString(), step.database())), input, 120);
        for (String line : output.split("\n")) {
            if (line.contains("ERROR:") || line.contains("FATAL:")) {
                throw new IllegalStateException("deploy/db (init.sql, vault-admin.sql) failed in database " + step.database() + ": " + line);
            }
        }
    }

    private static void copyForServer(Path from, Path to) throws IOException {
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        if (to.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rw-------"));
        }
        Commands.giveToServerUser(to);
    }

    /** Unpacks the binaries for this machine once per version into the temp folder, shared by all runs. */
    static synchronized Path binaries() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("mac") ? "Darwin" : "Linux";
        Path base = Path.of(System.getProperty("java.io.tmpdir"), "suite-postgres");
        try {
            Path archive = Files.createTempFile("postgres", ".txz");
            try {
                String digest;
                try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(os, System.getProperty("os.arch"));
                        DigestInputStream digesting = new DigestInputStream(in, MessageDigest.getInstance("SHA-256"))) {
                    Files.copy(digesting, archive, StandardCopyOption.REPLACE_EXISTING);
                    digest = HexFormat.of().formatHex(digesting.getMessageDigest().digest()).substring(0, 16);
                }
                Path target = base.resolve(digest);
                if (Files.isExecutable(target.resolve("bin").resolve("postgres"))) {
                    return target.resolve("bin");
                }
                Files.createDirectories(base);
                Path unpacking = Files.createTempDirectory(base, "unpacking");
                List<String> tar = new ArrayList<>(List.of("tar", "-xJf", archive.toString(), "-C", unpacking.toString()));
                Commands.run(tar, null, 300);
                Files.setPosixFilePermissions(unpacking, PosixFilePermissions.fromString("rwxr-xr-x"));
                try {
                    Files.move(unpacking, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException raced) {
                    Commands.run(List.of("rm", "-rf", unpacking.toString()), null, 60);
                }
                return target.resolve("bin");
            } finally {
                Files.deleteIfExists(archive);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot unpack the PostgreSQL binaries into " + base, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
