package dev.suite.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Continuous archiving, base backups and point-in-time restore of the local PostgreSQL (issue 25), with nothing but
 * PostgreSQL itself: the zonky binaries carry no pg_basebackup, so a base backup uses the server's low-level API
 * ({@code pg_backup_start}, a file copy, {@code pg_backup_stop}), as PostgreSQL's manual describes ("Making a Base Backup
 * Using the Low Level API"). On a stack started with {@link LocalStack#startArchiving()}, every completed WAL segment
 * is copied into {@link LocalPostgres#archiveDir()} by the server's {@code archive_command}, from its start on. docs/runbooks/postgres-restore.md is the runbook these steps rehearse.
 *
 * <p>The backup role exists on the local stack only, with the two backup functions and {@code pg_switch_wal} granted
 * and nothing else, over TLS with SCRAM from loopback like every suite role. In Kubernetes the database operator takes
 * backups with its own credentials (not provided yet: the runbook says what a cluster needs).
 */
public final class PostgresBackups {

    static final String ROLE = "local_backup";
    static final String SECRET = "postgres." + ROLE;

    /** What a base backup must not carry: the server's runtime state and the WAL it was writing (PostgreSQL's list). */
    private static final Set<String> LEFT_OUT = Set.of("postmaster.pid", "postmaster.opts", "postgres.log", "pg_wal",
            "pg_replslot", "pg_dynshmem", "pg_notify", "pg_serial", "pg_snapshots", "pg_stat_tmp", "pg_subtrans");
    private static final Duration PROMOTION_TIMEOUT = Duration.ofSeconds(60);
    /** A timestamptz as postgresql.conf reads it (ISO 8601's "T" and "Z" are refused there). */
    private static final DateTimeFormatter RECOVERY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSx");
    private static final AtomicInteger BACKUPS_TAKEN = new AtomicInteger();

    private final LocalPostgres server;
    private final String password;
    private final Path caCert;

    PostgresBackups(LocalPostgres server, String password, Path caCert) {
        this.server = server;
        this.password = password;
        this.caCert = caCert;
    }

    /** A base backup: a copy of the data directory and the label that tells recovery where to start replaying WAL. */
    public record BaseBackup(Path dir, String label) {

        /** The timeline the backup was taken on (its label's START TIMELINE line). */
        public int timeline() {
            return label.lines().filter(line -> line.startsWith("START TIMELINE:"))
                    .map(line -> Integer.parseInt(line.substring("START TIMELINE:".length()).strip())).findFirst()
                    .orElseThrow(() -> new IllegalStateException("No START TIMELINE in the backup label"));
        }
    }

    /**
     * postgresql.conf lines: archive every completed WAL segment once, never overwriting one already archived, through a
     * temporary name renamed into place, so a copy cut short by a crash never stands in the archive as a whole segment.
     */
    static String archivingSettings(Path archive) {
        String target = "\"" + archive + "/%f\"";
        String partial = "\"" + archive + "/%f.partial\"";
        return String.join("\n",
                "archive_mode = on",
                "archive_command = 'test ! -f " + target + " && cp \"%p\" " + partial + " && mv " + partial + " " + target + "'",
                "");
    }

    /** Single-user mode statements (database postgres): the backup role and its three functions, nothing more. */
    static List<String> roleStatements(String password) {
        return List.of(
                "CREATE ROLE " + ROLE + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '"
                        + password.replace("'", "''") + "';",
                "GRANT CONNECT ON DATABASE postgres TO " + ROLE + ";",
                "GRANT EXECUTE ON FUNCTION pg_backup_start(text, boolean) TO " + ROLE + ";",
                "GRANT EXECUTE ON FUNCTION pg_backup_stop(boolean) TO " + ROLE + ";",
                "GRANT EXECUTE ON FUNCTION pg_switch_wal() TO " + ROLE + ";");
    }

    /** Its pg_hba lines: TLS and SCRAM, database postgres only, from this machine only. */
    static List<String> hbaLines(List<String> loopback) {
        return loopback.stream().map(cidr -> String.format("hostssl    %-9s %-22s %-20s scram-sha-256", "postgres", ROLE, cidr)).toList();
    }

    /**
     * Takes a base backup (a new folder next to the data directory) while the server serves: the copy may be torn, WAL
     * replay from the label's checkpoint repairs it. Returns once the WAL that makes the copy consistent is archived.
     */
    public BaseBackup baseBackup() {
        Path into = server.dataDir().resolveSibling("base-backup-" + BACKUPS_TAKEN.incrementAndGet());
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_backup_start('local base backup', true)"); // true: checkpoint now, not at the next one
            copyData(server.dataDir(), into);
            try (ResultSet stop = s.executeQuery("SELECT labelfile, spcmapfile FROM pg_backup_stop(true)")) {
                stop.next();
                String label = stop.getString(1);
                // The server's user owns them, like the rest of the copy: a standby starts on this folder as it is.
                Commands.giveToServerUser(Files.writeString(into.resolve("backup_label"), label));
                String tablespaces = stop.getString(2);
                if (tablespaces != null && !tablespaces.isBlank()) {
                    Commands.giveToServerUser(Files.writeString(into.resolve("tablespace_map"), tablespaces));
                }
                return new BaseBackup(into, label);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Base backup of the local PostgreSQL failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot copy the data directory into " + into, e);
        }
    }

    /** The server's clock: a restore target is a time on the server's clock, not this JVM's. */
    public Instant serverNow() {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet now = s.executeQuery("SELECT clock_timestamp()")) {
            now.next();
            return now.getObject(1, OffsetDateTime.class).toInstant();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Closes the current WAL segment and waits until the archive holds it: everything committed so far can be
     * restored. (A server archives a segment only when it is full otherwise; {@code archive_timeout} does this in a
     * deployment.)
     */
    public void archiveNow() {
        String segment;
        try (Connection c = connect(); Statement s = c.createStatement();
                ResultSet switched = s.executeQuery("SELECT pg_walfile_name(pg_switch_wal())")) {
            switched.next();
            segment = switched.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        awaitFile(server.archiveDir().resolve(segment), "WAL segment " + segment + " archived");
    }

    /**
     * Point-in-time restore: stops the server, keeps its data directory aside (returned: the cluster as it was, until
     * the restore is checked), puts {@code base} in its place and replays the archived WAL up to {@code target}
     * (transactions committed at or before it are kept, later ones are not), then promotes it to a primary on a new
     * timeline and returns once it accepts writes. The runbook stops the services first and starts them after its next
     * step (deploy/db/after-restore.sql).
     */
    public Path restore(BaseBackup base, Instant target) {
        String settings = String.join("\n", "",
                "# Point-in-time restore (PostgresBackups.restore, docs/runbooks/postgres-restore.md)",
                "restore_command = 'cp \"" + server.archiveDir() + "/%f\" \"%p\"'",
                "recovery_target_time = '" + RECOVERY_TIME.format(target.atOffset(ZoneOffset.UTC)) + "'",
                // The base backup's timeline: a second restore from it must not follow the timeline the first one made.
                "recovery_target_timeline = '" + base.timeline() + "'",
                "recovery_target_action = 'promote'",
                "");
        return server.replaceData(dataDir -> {
            copyData(base.dir(), dataDir); // with its backup_label: where replay starts
            Files.writeString(dataDir.resolve("postgresql.conf"), settings, StandardOpenOption.APPEND);
            Files.createFile(dataDir.resolve("recovery.signal"));
        }, this::awaitPromotion);
    }

    private void awaitPromotion() {
        long deadline = System.nanoTime() + PROMOTION_TIMEOUT.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            // pg_ctl -w returned when the server took read-only connections; writes wait for the end of recovery.
            try (Connection c = connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT pg_is_in_recovery()")) {
                r.next();
                if (!r.getBoolean(1)) {
                    return;
                }
                last = "still in recovery";
            } catch (SQLException e) {
                last = e.getMessage();
            }
            pause();
        }
        throw new IllegalStateException("The restored PostgreSQL was not promoted within " + PROMOTION_TIMEOUT.toSeconds()
                + " s (" + last + "); its log: " + server.log());
    }

    /**
     * Copies a data directory, leaving out what {@link #LEFT_OUT} names, and hands the copy to the server's user.
     * {@code global/pg_control} is copied last, as PostgreSQL's own base backup does: of a running server's files it is
     * the one that must not be read before the rest.
     */
    private static void copyData(Path from, Path to) throws IOException {
        Path control = from.resolve("global").resolve("pg_control");
        Files.createDirectories(to);
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Path target = to.resolve(from.relativize(dir).toString());
                Files.createDirectories(target);
                Commands.giveToServerUser(target);
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));
                return from.equals(dir.getParent()) && LEFT_OUT.contains(dir.getFileName().toString()) ? FileVisitResult.SKIP_SUBTREE
                        : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (from.equals(file.getParent()) && LEFT_OUT.contains(file.getFileName().toString()) || file.equals(control)) {
                    return FileVisitResult.CONTINUE;
                }
                Path target = to.resolve(from.relativize(file).toString());
                try {
                    // With its mode: PostgreSQL refuses a server.key others may read.
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                } catch (NoSuchFileException removedMeanwhile) {
                    return FileVisitResult.CONTINUE; // a file the running server dropped: WAL replay accounts for it
                }
                Commands.giveToServerUser(target);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
        Path controlCopy = to.resolve("global").resolve("pg_control");
        Files.copy(control, controlCopy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        Commands.giveToServerUser(controlCopy);
        // The left-out folders exist, empty, in the copy (their preVisitDirectory made them); pg_wal needs archive_status.
        Path status = Files.createDirectories(to.resolve("pg_wal").resolve("archive_status"));
        Commands.giveToServerUser(status);
    }

    private Connection connect() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", ROLE);
        props.setProperty("password", password);
        props.setProperty("sslmode", "verify-full");
        props.setProperty("sslrootcert", caCert.toString());
        props.setProperty("connectTimeout", "5");
        return DriverManager.getConnection("jdbc:postgresql://" + server.host().address() + ":" + server.port() + "/postgres", props);
    }

    private static void awaitFile(Path file, String what) {
        long deadline = System.nanoTime() + PROMOTION_TIMEOUT.toNanos();
        while (!Files.exists(file)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + ": not within " + PROMOTION_TIMEOUT.toSeconds() + " s");
            }
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
