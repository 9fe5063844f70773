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
import java.util.concurrent.atomic.AtomicInteger;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;

/**
 * A real PostgreSQL server from the zonky binaries artifact, configured from {@code deploy/db}: TLS only,
 * SCRAM, the suite's roles and pg_hba rules. Bootstrapped in single-user mode, so the superuser has no
 * network login at all; unix sockets are off, every client comes over TCP and must pass pg_hba.
 */
public final class LocalPostgres {

    private static final List<String> LOOPBACK = List.of("127.0.0.1/32", "::1/128");
    /** pg_hba's placeholders on one machine: every client comes from loopback. */
    static final Map<String, List<String>> LOOPBACK_CLIENTS = Map.of("auth_clients", LOOPBACK, "users_clients", LOOPBACK,
            "auth_migrations_clients", LOOPBACK, "users_migrations_clients", LOOPBACK, "vault_clients", LOOPBACK);

    private final Path bin;
    private final Path dataDir;
    private final Path archiveDir;
    private final int port;
    private final Host host;
    private final AtomicInteger restores = new AtomicInteger();

    private LocalPostgres(Path bin, Path dataDir, Path archiveDir, int port, Host host) {
        this.bin = bin;
        this.dataDir = dataDir;
        this.archiveDir = archiveDir;
        this.port = port;
        this.host = host;
    }

    /**
     * Creates a new cluster under {@code workDir} and starts it on {@code host}, listening on its address only, with
     * pg_hba's placeholders ({{auth_clients}}, ...) given by {@code clients}. With {@code archiving}, every completed
     * WAL segment is archived from the start ({@link PostgresBackups}, whose role logs in with {@code backupPassword});
     * without it (make run, the bench, most tests) nothing is copied and the archive does not grow.
     */
    static LocalPostgres create(Path workDir, int port, DatabaseScripts scripts, DevCertificates.TlsFiles tls,
            Map<String, String> rolePasswords, String backupPassword, String replicationPassword, boolean archiving, Host host,
            Map<String, List<String>> clients, List<GuestDatabase> guests) {
        Path bin = binaries();
        Path dataDir = workDir.resolve("pgdata");
        Path archiveDir = archiving ? workDir.resolve("wal-archive") : null;
        try {
            Files.createDirectories(dataDir);
            Commands.giveToServerUser(dataDir);
            if (archiving) {
                Files.createDirectories(archiveDir);
                Files.setPosixFilePermissions(archiveDir, PosixFilePermissions.fromString("rwx------"));
                Commands.giveToServerUser(archiveDir);
            }
            Commands.run(Commands.asServerUser(List.of(bin.resolve("initdb").toString(), "-D", dataDir.toString(),
                    "-U", "postgres", "--auth=reject", "-E", "UTF8", "--no-locale", "--no-instructions")), null, 120);

            copyForServer(tls.serverCert(), dataDir.resolve("server.crt"));
            copyForServer(tls.serverKey(), dataDir.resolve("server.key"));
            copyForServer(scripts.postgresqlConf(), dataDir.resolve("suite.conf"));
            Files.writeString(dataDir.resolve("pg_hba.conf"), beforeCatchAll(withGuests(scripts.pgHba(clients), guests),
                    "# The local stack's backup and replication roles (PostgresBackups, PostgresStandby), not in deploy/db:\n"
                            + String.join("\n", PostgresBackups.hbaLines(LOOPBACK)) + "\n"
                            + String.join("\n", PostgresStandby.hbaLines(LOOPBACK)) + "\n"));
            Files.writeString(dataDir.resolve("postgresql.conf"), String.join("\n",
                    "",
                    "# Added by the local stack: the suite's rules, then what differs on a developer machine.",
                    "include 'suite.conf'",
                    "listen_addresses = '" + (host.isLoopback() ? "127.0.0.1,::1" : host.address()) + "'",
                    "port = " + port,
                    "unix_socket_directories = ''",
                    // make bench runs a fourth service instance (a second user service): it asks for more.
                    "max_connections = " + Integer.getInteger("suite.pg.max-connections", 60),
                    "shared_buffers = 32MB",
                    // On a host of its own (the cross-host test) every connection is logged, as in production.
                    "log_connections = " + (host.isLoopback() ? "off" : "on"),
                    archiving ? PostgresBackups.archivingSettings(archiveDir) : ""), java.nio.file.StandardOpenOption.APPEND);

            LocalPostgres server = new LocalPostgres(bin, dataDir, archiveDir, port, host);
            for (DatabaseScripts.Step step : scripts.init(rolePasswords)) {
                server.runSingleUser(step);
            }
            server.runSingleUser(new DatabaseScripts.Step("postgres", PostgresBackups.roleStatements(backupPassword)));
            server.runSingleUser(new DatabaseScripts.Step("postgres", PostgresStandby.roleStatements(replicationPassword)));
            for (GuestDatabase guest : guests) {
                server.runSingleUser(new DatabaseScripts.Step("postgres", guest.statements()));
            }
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the PostgreSQL cluster in " + dataDir, e);
        }
    }

    /**
     * deploy/db's pg_hba.conf with each guest's lines inserted before the first catch-all reject after the TLS rules
     * (first match wins: after the non-TLS rejects, so a guest is held to TLS like every suite role).
     */
    static String withGuests(String hba, List<GuestDatabase> guests) {
        if (guests.isEmpty()) {
            return hba;
        }
        StringBuilder guestLines = new StringBuilder("# Guest databases of this local stack (GuestDatabase), not in deploy/db:\n");
        guests.forEach(guest -> LOOPBACK.forEach(cidr -> guestLines.append(guest.hbaLine(cidr)).append('\n')));
        return beforeCatchAll(hba, guestLines.toString());
    }

    /** {@code lines} inserted before pg_hba's first catch-all reject after the TLS rules (first match wins). */
    private static String beforeCatchAll(String hba, String lines) {
        int catchAll = -1;
        for (int at = 0, next; at < hba.length(); at = next) {
            next = hba.indexOf('\n', at) + 1;
            if (next == 0) {
                next = hba.length();
            }
            if (hba.startsWith("host ", at) || hba.startsWith("host\t", at)) {
                catchAll = at;
                break;
            }
        }
        if (catchAll < 0) {
            throw new IllegalStateException("deploy/db/pg_hba.conf has no catch-all 'host ... reject' line to put local roles before");
        }
        return hba.substring(0, catchAll) + lines + hba.substring(catchAll);
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Where the server's archive_command copies each completed WAL segment; fails on a server that does not archive. */
    public Path archiveDir() {
        if (archiveDir == null) {
            throw new IllegalStateException("This PostgreSQL archives no WAL: start its stack with LocalStack.startArchiving()");
        }
        return archiveDir;
    }

    public Host host() {
        return host;
    }

    /** The server's log: connections refused by pg_hba are written here with the reason. */
    public Path log() {
        return dataDir.resolve("postgres.log");
    }

    public void start() {
        try {
            Commands.run(host.run(Commands.asServerUser(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(),
                    "-l", log().toString(), "-w", "-t", "60", "start"))), null, 90);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + "\nThe end of its log:\n" + logTail(), e);
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(" + log() + " not readable: " + e.getMessage() + ")";
        }
    }

    public void stop() {
        if (Files.exists(dataDir.resolve("postmaster.pid"))) {
            stop(bin, dataDir, "fast");
        }
    }

    /**
     * The same server software on another data directory (a copy of this one's: a standby, {@link PostgresStandby}),
     * listening on {@code port} instead of the copied setting; not started.
     */
    LocalPostgres onData(Path otherDataDir, int otherPort) {
        try {
            Files.writeString(otherDataDir.resolve("postgresql.conf"), "\nport = " + otherPort + "\n", java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot set the port of " + otherDataDir, e);
        }
        return new LocalPostgres(bin, otherDataDir, archiveDir, otherPort, host);
    }

    /** Ends a standby's recovery: it becomes a primary on a new timeline; returns once it has (pg_ctl waits). */
    void promote() {
        Commands.run(Commands.asServerUser(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(),
                "-w", "-t", "60", "promote")), null, 90);
    }

    /** What a restore puts into the emptied data directory before the server starts on it. */
    interface DataFill {
        void into(Path dataDir) throws IOException;
    }

    /**
     * Stops the server, moves its data directory aside (returned, kept until the stack stops), lets {@code fill} write
     * a new one in its place, starts the server on it and runs {@code afterStart} (e.g. waiting for recovery's end).
     */
    Path replaceData(DataFill fill, Runnable afterStart) {
        stop();
        Path aside = dataDir.resolveSibling(dataDir.getFileName() + "-before-restore-" + restores.incrementAndGet());
        try {
            Files.move(dataDir, aside);
            Files.createDirectories(dataDir);
            fill.into(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot replace the data directory " + dataDir, e);
        }
        start();
        afterStart.run();
        return aside;
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
