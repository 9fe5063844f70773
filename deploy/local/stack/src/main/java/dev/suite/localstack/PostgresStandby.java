package dev.suite.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * A streaming replica of the local PostgreSQL, and the planned switchover to it (issue 25; the runbook it rehearses:
 * docs/runbooks/postgres-switchover.md). The standby starts from a base backup ({@link PostgresBackups#baseBackup()})
 * and streams WAL over TLS ({@code verify-full}) as a replication role that may do nothing else, from a physical
 * replication slot reserved before the backup began, so the primary keeps every segment the standby still needs.
 *
 * <p>Replication is asynchronous: a commit is acknowledged once the primary has it. A switchover loses none of them
 * because it stops the primary cleanly first (its last record, the shutdown checkpoint, is streamed to the connected
 * standby), then checks that the standby replayed that very record, and only then promotes it. A standby that has not
 * is never promoted: the old primary is started again instead.
 */
public final class PostgresStandby {

    static final String ROLE = "local_replication";
    static final String SECRET = "postgres." + ROLE;
    /** How long {@link #awaitCaughtUp} and the switchover wait for the standby to replay what the primary wrote. */
    static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(30);

    private final LocalPostgres server;
    private final LocalPostgres primary;
    private final String backupPassword;
    private final Path caCert;

    private PostgresStandby(LocalPostgres server, LocalPostgres primary, String backupPassword, Path caCert) {
        this.server = server;
        this.primary = primary;
        this.backupPassword = backupPassword;
        this.caCert = caCert;
    }

    /** Single-user mode statements (database postgres): a role that may stream WAL and log in for nothing else. */
    static List<String> roleStatements(String password) {
        return List.of("CREATE ROLE " + ROLE + " LOGIN REPLICATION NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD '"
                + password.replace("'", "''") + "';");
    }

    /**
     * Its pg_hba lines: physical replication connections only (the keyword {@code replication}; {@code all} never
     * matches those, and no rule lets this role into a database), TLS and SCRAM, from this machine only.
     */
    static List<String> hbaLines(List<String> loopback) {
        return loopback.stream().map(cidr -> String.format("hostssl    %-9s %-22s %-20s scram-sha-256", "replication", ROLE, cidr)).toList();
    }

    /**
     * A standby of {@code primary} in {@code workDir}, on {@code port}: reserves a replication slot, takes a base backup,
     * configures streaming (primary_conninfo with a password file and the CA, standby.signal), starts it and waits until
     * it has replayed everything the primary had written when it started.
     */
    static PostgresStandby start(LocalPostgres primary, PostgresBackups backups, Path workDir, int port, String replicationPassword,
            String backupPassword, Path caCert) {
        String slot = "standby_" + port;
        reserveSlot(primary, slot, replicationPassword, caCert);
        PostgresBackups.BaseBackup base = backups.baseBackup();
        Path dataDir = workDir.resolve("pgdata-standby-" + port);
        try {
            Files.move(base.dir(), dataDir);
            Path passfile = dataDir.resolve("replication.pgpass");
            Files.writeString(passfile, String.join(":", primary.host().address(), String.valueOf(primary.port()), "replication", ROLE,
                    replicationPassword) + "\n");
            Path ca = dataDir.resolve("replication-ca.crt");
            Files.copy(caCert, ca, StandardCopyOption.REPLACE_EXISTING);
            for (Path file : List.of(passfile, ca)) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------")); // libpq refuses a readable passfile
                Commands.giveToServerUser(file);
            }
            Files.writeString(dataDir.resolve("postgresql.conf"), String.join("\n", "",
                    "# A standby of the primary on port " + primary.port() + " (PostgresStandby, docs/runbooks/postgres-switchover.md)",
                    "primary_conninfo = 'host=" + primary.host().address() + " port=" + primary.port() + " user=" + ROLE
                            + " passfile=" + passfile + " sslmode=verify-full sslrootcert=" + ca
                            + " application_name=" + slot + " connect_timeout=5'",
                    "primary_slot_name = '" + slot + "'",
                    ""), StandardOpenOption.APPEND);
            Commands.giveToServerUser(Files.createFile(dataDir.resolve("standby.signal")));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot make a standby in " + dataDir, e);
        }
        PostgresStandby standby = new PostgresStandby(primary.onData(dataDir, port), primary, backupPassword, caCert);
        standby.server.start();
        standby.awaitCaughtUp();
        return standby;
    }

    /** The slot keeps the primary from recycling WAL the standby has not received yet, from the backup's start on. */
    private static void reserveSlot(LocalPostgres primary, String slot, String password, Path caCert) {
        Properties props = tls(caCert);
        props.setProperty("user", ROLE);
        props.setProperty("password", password);
        // A physical replication connection speaks the replication protocol's commands over simple queries.
        props.setProperty("replication", "true");
        props.setProperty("preferQueryMode", "simple");
        props.setProperty("assumeMinServerVersion", "17");
        try (Connection c = DriverManager.getConnection(url(primary, "postgres"), props); Statement s = c.createStatement()) {
            s.execute("CREATE_REPLICATION_SLOT " + slot + " PHYSICAL RESERVE_WAL");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot reserve the replication slot " + slot + ": " + e.getMessage(), e);
        }
    }

    /** The standby server (its port, data directory and log). */
    public LocalPostgres server() {
        return server;
    }

    /** Waits until the standby has replayed everything the primary has written so far. */
    public void awaitCaughtUp() {
        String written = query(primary, "SELECT pg_current_wal_lsn()");
        if (!replayedPast(written, true, CATCH_UP_TIMEOUT)) {
            throw new IllegalStateException("The standby did not replay up to " + written + " within " + CATCH_UP_TIMEOUT.toSeconds()
                    + " s; its log: " + server.log());
        }
    }

    /**
     * The planned switchover: stops the primary cleanly, checks that the standby replayed the primary's last record,
     * promotes it and restarts it on the primary's port, where the services connect. Returns the new primary. If the
     * standby lacks anything within {@code catchUp}, it is not promoted: the old primary is started again and this fails.
     */
    LocalPostgres takeOver(Duration catchUp) {
        primary.stop(); // fast: sessions end, the shutdown checkpoint is written and sent to the connected standby
        String last = PostgresControlFile.cleanShutdownCheckpoint(primary.dataDir());
        if (!replayedPast(last, false, catchUp)) {
            String replayed = query(server, "SELECT pg_last_wal_replay_lsn()");
            primary.start();
            throw new IllegalStateException("Switchover refused: the standby replayed up to " + replayed + ", the primary's last record is at "
                    + last + " (it would lose what lies between); the old primary is serving again. Standby log: " + server.log());
        }
        server.promote();
        server.stop();
        LocalPostgres promoted = server.onData(server.dataDir(), primary.port());
        promoted.start();
        String recovering = query(promoted, "SELECT pg_is_in_recovery()");
        if (!"f".equals(recovering) && !"false".equals(recovering)) {
            throw new IllegalStateException("The promoted standby is still in recovery; its log: " + promoted.log());
        }
        return promoted;
    }

    /**
     * Whether the standby's replay reaches {@code lsn} within {@code timeout}: at or past it ({@code inclusive}, a
     * position the primary reported), or strictly past it (the start of a record: replaying it ends past its start).
     */
    private boolean replayedPast(String lsn, boolean inclusive, Duration timeout) {
        String check = "SELECT pg_last_wal_replay_lsn() " + (inclusive ? ">=" : ">") + " '" + lsn + "'::pg_lsn";
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            try {
                if ("t".equals(query(server, check))) {
                    return true;
                }
            } catch (IllegalStateException notAnsweringYet) {
                // A standby that has just started: asked again.
            }
            pause();
        } while (System.nanoTime() < deadline);
        return false;
    }

    /** One value, asked as the backup role (these functions are PUBLIC's): the replication role has no database login. */
    private String query(LocalPostgres target, String sql) {
        Properties props = tls(caCert);
        props.setProperty("user", PostgresBackups.ROLE);
        props.setProperty("password", backupPassword);
        try (Connection c = DriverManager.getConnection(url(target, "postgres"), props); Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " on port " + target.port() + " failed: " + e.getMessage(), e);
        }
    }

    private static Properties tls(Path caCert) {
        Properties props = new Properties();
        props.setProperty("sslmode", "verify-full");
        props.setProperty("sslrootcert", caCert.toString());
        props.setProperty("connectTimeout", "5");
        return props;
    }

    private static String url(LocalPostgres server, String database) {
        return "jdbc:postgresql://" + server.host().address() + ":" + server.port() + "/" + database;
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
