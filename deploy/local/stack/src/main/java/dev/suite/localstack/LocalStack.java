package dev.suite.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The embedded stack: a TLS-only PostgreSQL with the suite's roles, a Redis with the suite's ACL users and a mail server
 * (SMTP over TLS, {@link LocalSmtp}), on free loopback ports, and on first use of {@link #vault()} a real OpenBao configured by deploy/vault/setup.sh.
 * {@code make run} starts one for the services; every test module shares {@link #shared()}, one
 * stack per JVM, stopped when the JVM exits (test-fixtures' SharedStack hands it to Quarkus tests).
 *
 * <p>{@link #properties()} is the contract with the services: their {@code %dev}/{@code %test} profiles read
 * these {@code suite.*} keys (from system properties in tests, from {@code SUITE_*} variables under make run).
 */
public final class LocalStack implements AutoCloseable {

    public static final String[] ROLES = { "auth_owner", "auth_app", "users_owner", "users_app" };
    /** The first admin's address under make run and in tests that start the packaged services (RFC 6761's .localhost). */
    public static final String FIRST_ADMIN_EMAIL = "admin@suite.localhost";
    /** The settings that name the first admin to the auth service's %dev profile (suite.admin.*). */
    public static final String ADMIN_EMAIL = "suite.admin.email";
    public static final String ADMIN_PASSWORD = "suite.admin.initial-password";
    /** The entry of .local/secrets.properties that holds the first admin's initial password (generated once). */
    public static final String ADMIN_PASSWORD_ENTRY = "auth.initial-admin-password";

    private static LocalStack shared;
    private static final AtomicInteger STACKS_STARTED = new AtomicInteger();

    private final LocalSecrets secrets;
    private final Path workDir;
    private final DevCertificates.TlsFiles tls;
    /** The primary: where the services connect; after a switchover, the promoted standby at the same address. */
    private volatile LocalPostgres postgres;
    /** Standbys of {@link #postgres} and primaries retired by a switchover, stopped with the stack. */
    private final List<LocalPostgres> otherPostgres = new ArrayList<>();
    private LocalRedis redis;
    /** Replicas and Sentinels of {@link #redis}, when a test started some. */
    private final List<LocalRedis> redisChildren = new ArrayList<>();
    private LocalSmtp smtp;
    private LocalVault vault;

    private LocalStack(LocalSecrets secrets, Path workDir, DevCertificates.TlsFiles tls) {
        this.secrets = secrets;
        this.workDir = workDir;
        this.tls = tls;
    }

    /** The stack of this JVM, started on first use. */
    public static synchronized LocalStack shared() {
        if (shared == null) {
            shared = startNew();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "local-stack-stop"));
        }
        return shared;
    }

    public static LocalStack startNew() {
        return startNew(List.of());
    }

    /** A new stack whose PostgreSQL also holds {@code guests}: databases of systems measured next to the suite. */
    public static LocalStack startNew(List<GuestDatabase> guests) {
        LocalSecrets secrets = LocalSecrets.in(SuiteRoot.find().resolve(".local"));
        return start(secrets, secrets.tls(), Host.LOOPBACK, LocalPostgres.LOOPBACK_CLIENTS, 0, 0, guests, false);
    }

    /** A new stack whose PostgreSQL archives its WAL, for base backups and point-in-time restores ({@link #postgresBackups()}). */
    public static LocalStack startArchiving() {
        LocalSecrets secrets = LocalSecrets.in(SuiteRoot.find().resolve(".local"));
        return start(secrets, secrets.tls(), Host.LOOPBACK, LocalPostgres.LOOPBACK_CLIENTS, 0, 0, List.of(), true);
    }

    /**
     * PostgreSQL and Redis on {@code host} (a test host of the cross-host test) on their usual ports 5432 and 6379,
     * presenting {@code tls}'s server certificate, with pg_hba's placeholders given by {@code pgClients} (the networks
     * each service's roles may connect from).
     */
    public static LocalStack startOn(Host host, DevCertificates.TlsFiles tls, Map<String, List<String>> pgClients) {
        return start(LocalSecrets.in(SuiteRoot.find().resolve(".local")), tls, host, pgClients, 5432, 6379, List.of(), false);
    }

    /** A port of 0: a free one. */
    private static LocalStack start(LocalSecrets secrets, DevCertificates.TlsFiles tls, Host host, Map<String, List<String>> pgClients,
            int pgPort, int redisPort, List<GuestDatabase> guests, boolean archiving) {
        Path root = SuiteRoot.find();
        Path workDir = newWorkDir();
        LocalStack stack = new LocalStack(secrets, workDir, tls);
        long started = System.nanoTime();
        Map<String, String> rolePasswords = new LinkedHashMap<>();
        for (String role : ROLES) {
            rolePasswords.put(role + "_password", secrets.secret("postgres." + role));
        }
        // deploy/db/vault-admin.sql: the login of the local OpenBao's database engine, which rotates it at once.
        rolePasswords.put("vault_admin_password", secrets.secret("postgres.vault_admin"));
        stack.postgres = LocalPostgres.create(workDir, pgPort == 0 ? freePort() : pgPort, new DatabaseScripts(root.resolve("deploy/db")),
                tls, rolePasswords, secrets.secret(PostgresBackups.SECRET), secrets.secret(PostgresStandby.SECRET), archiving, host, pgClients, guests);
        try {
            stack.redis = LocalRedis.create(workDir, redisPort == 0 ? freePort() : redisPort,
                    RedisUsers.in(root).directives(user -> redisPassword(secrets, user)), LocalRedis.memorySettings(root, null), host, tls);
            // On a test host of the cross-host tests, the mail server stays on this machine's loopback: that host's
            // firewall admits PostgreSQL and Redis only, and nothing those tests do sends mail (a mail that is owed waits
            // in the outbox). Their first run with it on the host found it unreachable from here.
            Host smtpHost = host.isLoopback() ? host : Host.LOOPBACK;
            stack.smtp = LocalSmtp.create(workDir, smtpHost, secrets.secret(LocalSmtp.PASSWORD_ENTRY), tls);
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
        System.out.printf("[local-stack] PostgreSQL (TLS) on %s:%d, Redis (TLS) on %s:%d, SMTP (TLS) on %s:%d, ready in %d ms%n",
                host.address(), stack.postgres.port(), host.bindAddress(), stack.redis.port(), host.bindAddress(), stack.smtp.port(),
                (System.nanoTime() - started) / 1_000_000);
        return stack;
    }

    /** The password of a Redis ACL user (deploy/k8s/base/redis/users.acl); {@code default} is the operator's. */
    public static String redisPassword(LocalSecrets secrets, String user) {
        return secrets.secret(redisPasswordEntry(user));
    }

    /** The entry of {@link LocalSecrets#file()} that holds a Redis user's password (make run says where, never what). */
    public static String redisPasswordEntry(String user) {
        return user.equals("default") ? "redis" : "redis." + user;
    }

    public LocalPostgres postgres() {
        return postgres;
    }

    /** Base backups and point-in-time restores of {@link #postgres()}: a stack started with {@link #startArchiving()}. */
    public PostgresBackups postgresBackups() {
        return new PostgresBackups(postgres, secrets.secret(PostgresBackups.SECRET), tls.caCert());
    }

    /**
     * A streaming replica of {@link #postgres()} on a free port (issue 25, {@link PostgresStandby}), caught up when
     * returned. Stopped with the stack.
     */
    public synchronized PostgresStandby startPostgresStandby() {
        PostgresStandby standby = PostgresStandby.start(postgres, postgresBackups(), workDir, freePort(),
                secrets.secret(PostgresStandby.SECRET), secrets.secret(PostgresBackups.SECRET), tls.caCert());
        otherPostgres.add(standby.server());
        return standby;
    }

    /**
     * The planned switchover to {@code standby} (docs/runbooks/postgres-switchover.md): the primary stopped cleanly, the
     * standby checked to hold its every record, promoted and serving at the primary's address, where the running
     * services reconnect; {@link #postgres()} is the new primary from then on. Fails, with the old primary serving
     * again, if the standby has not received everything.
     */
    public void switchPostgresOver(PostgresStandby standby) {
        switchPostgresOver(standby, PostgresStandby.CATCH_UP_TIMEOUT);
    }

    synchronized void switchPostgresOver(PostgresStandby standby, java.time.Duration catchUp) {
        LocalPostgres retired = postgres;
        postgres = standby.takeOver(catchUp);
        otherPostgres.add(retired);
    }

    public LocalRedis redis() {
        return redis;
    }

    /**
     * A new replica of {@link #redis()}, on a free port, in a folder of its own; it has caught up once it answers
     * (the caller waits for {@code master_link_status:up} where that matters). Stopped by its caller, or with the stack.
     */
    public synchronized LocalRedis startRedisReplica() {
        Path root = SuiteRoot.find();
        int port = freePort();
        LocalRedis replica = LocalRedis.replicaOf(redis, redisFolder("replica", port), port,
                RedisUsers.in(root).directives(user -> redisPassword(secrets, user)), LocalRedis.memorySettings(root, null),
                redisPassword(secrets, "default"));
        redisChildren.add(replica);
        return replica;
    }

    /**
     * Redis as production runs it when it outgrows one instance (issue 25): {@link #redis()} as the first primary,
     * two replicas ({@link #startRedisReplica()}) and three Sentinels that promote one when the primary is gone; the
     * other then follows the new primary, so revocations that wait for one replica still find one after a failover.
     */
    public synchronized RedisSentinels startRedisSentinels() {
        List<LocalRedis> replicas = List.of(startRedisReplica(), startRedisReplica());
        List<String> users = RedisSentinels.users(RedisUsers.in(SuiteRoot.find()).names(), user -> redisPassword(secrets, user));
        List<LocalRedis> sentinels = new ArrayList<>();
        for (int i = 0; i < RedisSentinels.COUNT; i++) {
            int port = freePort();
            LocalRedis sentinel = LocalRedis.sentinel(redis, redisFolder("sentinel", port), port, RedisSentinels.MASTER_NAME,
                    RedisSentinels.QUORUM, RedisSentinels.DOWN_AFTER, redisPassword(secrets, "default"), users);
            redisChildren.add(sentinel);
            sentinels.add(sentinel);
        }
        RedisSentinels group = new RedisSentinels(redis, replicas, sentinels, user -> redisPassword(secrets, user));
        group.awaitAcquainted();
        return group;
    }

    /**
     * A Redis Cluster beside the stack's Redis (issue 25: what a managed cluster gives), {@value RedisCluster#NODES}
     * primaries sharing the slots, TLS only with the stack's certificate, the suite's users (and their passwords) with
     * the one more right a cluster client needs ({@link RedisCluster#CLIENT_RULES}).
     */
    public synchronized RedisCluster startRedisCluster() {
        Path root = SuiteRoot.find();
        List<String> users = RedisCluster.users(RedisUsers.in(root).directives(user -> redisPassword(secrets, user)));
        RedisCluster.Bus bus = RedisCluster.Bus.issue(workDir.resolve(LocalRedis.CHILD_FOLDER + "cluster-bus"), tls.caCert());
        List<LocalRedis> nodes = new ArrayList<>();
        for (int i = 0; i < RedisCluster.NODES; i++) {
            int port = RedisCluster.freeNodePort();
            LocalRedis node = LocalRedis.clusterNode(redisFolder("cluster", port), port, users, LocalRedis.memorySettings(root, null),
                    redis.host(), tls, bus);
            redisChildren.add(node);
            nodes.add(node);
        }
        RedisCluster cluster = new RedisCluster(nodes, user -> redisPassword(secrets, user));
        cluster.form();
        return cluster;
    }

    private Path redisFolder(String kind, int port) {
        Path folder = workDir.resolve(LocalRedis.CHILD_FOLDER + kind + "-" + port);
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + folder, e);
        }
        return folder;
    }

    public LocalSecrets secrets() {
        return secrets;
    }

    /** The mail server the auth service sends through; tests read what it received. */
    public LocalSmtp smtp() {
        return smtp;
    }

    /**
     * The stack's OpenBao, started and configured on first use (only %prod runs need it): deploy/vault/setup.sh's
     * approle and database phases, with the values this stack already has stored first so that the services really
     * connect (database and Redis passwords, the signing seed the shared database's key ring is sealed under, the user
     * service's client secret).
     */
    public synchronized LocalVault vault() {
        if (vault == null) {
            long started = System.nanoTime();
            Path root = SuiteRoot.find();
            int[] ports = freePorts(2);
            vault = LocalVault.create(root, workDir, ports[0], ports[1], secrets.tls());
            try {
                vault.configure(root, vaultSeeds(), postgres.port());
            } catch (RuntimeException e) {
                vault.close();
                vault = null;
                throw e;
            }
            System.out.printf("[local-stack] OpenBao (TLS) on %s, configured by deploy/vault/setup.sh in %d ms; "
                    + "root token and unseal key in %s%n", vault.address(), (System.nanoTime() - started) / 1_000_000, vault.keysDir());
        }
        return vault;
    }

    /** KV v2 secrets (paths under secret/) that setup.sh must keep rather than generate: this stack's own values. */
    private Map<String, Map<String, String>> vaultSeeds() {
        Map<String, Map<String, String>> seeds = new LinkedHashMap<>();
        seeds.put("suite/postgres", Map.of("vault-admin-password", secrets.secret("postgres.vault_admin"),
                "auth-app-password", secrets.secret("postgres.auth_app"), "users-app-password", secrets.secret("postgres.users_app")));
        // The operator's password and each service's own (setup.sh copies those to the services' paths).
        Map<String, String> redisPasswords = new LinkedHashMap<>();
        for (String user : RedisUsers.in(SuiteRoot.find()).names()) {
            redisPasswords.put(user.equals("default") ? "password" : user + "-password", redisPassword(secrets, user));
        }
        seeds.put("suite/redis", redisPasswords);
        seeds.put("suite/migrations/auth", Map.of("db-username", "auth_owner", "db-password", secrets.secret("postgres.auth_owner")));
        seeds.put("suite/migrations/users", Map.of("db-username", "users_owner", "db-password", secrets.secret("postgres.users_owner")));
        try {
            // The SMTP relay and the auth service's login there: an operator's values in production (docs/production.md).
            seeds.put("suite/auth-service", Map.of("jwt-signing-key", Files.readString(secrets.signingKey()),
                    "smtp-host", smtp.host(), "smtp-port", String.valueOf(smtp.port()),
                    "smtp-username", LocalSmtp.LOGIN, "smtp-password", secrets.secret(LocalSmtp.PASSWORD_ENTRY),
                    "initial-admin-password", secrets.secret(ADMIN_PASSWORD_ENTRY)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        seeds.put("suite/user-service", Map.of("client-secret", secrets.secret("client.user-service")));
        seeds.put("suite/gateway", Map.of("csrf-key", secrets.secret("gateway.csrf-key")));
        return seeds;
    }

    /** The CA, server certificate and key every server of this stack presents (a peer started beside it may too). */
    public DevCertificates.TlsFiles tls() {
        return tls;
    }

    /** Everything a service needs to reach this stack, under the {@code suite.*} keys its profiles read. */
    public Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("suite.pg.host", postgres.host().address());
        p.put("suite.pg.port", String.valueOf(postgres.port()));
        p.put("suite.pg.ca-file", tls.caCert().toString());
        for (String role : ROLES) {
            p.put("suite.pg." + role.replace('_', '-') + ".password", secrets.secret("postgres." + role));
        }
        p.put("suite.redis.host", redis.host().bindAddress());
        p.put("suite.redis.port", String.valueOf(redis.port()));
        // Each service connects as its own ACL user (its quarkus.application.name) with suite.redis.<user>.password;
        // suite.redis.password is the operator's (user default), for tests that inspect Redis.
        p.put("suite.redis.password", redisPassword(secrets, "default"));
        for (String user : RedisUsers.in(SuiteRoot.find()).names()) {
            if (!user.equals("default")) {
                p.put("suite.redis." + user + ".password", redisPassword(secrets, user));
            }
        }
        p.put("suite.tls.ca-file", tls.caCert().toString());
        p.put("suite.tls.cert-file", tls.serverCert().toString());
        p.put("suite.tls.key-file", tls.serverKey().toString());
        p.put("suite.jwt.signing-key-file", secrets.signingKey().toString());
        p.put("suite.client.user-service.secret", secrets.secret("client.user-service"));
        p.put("suite.gateway.csrf-key", secrets.secret("gateway.csrf-key"));
        // The mail server: SMTP over TLS (the stack's certificate), the auth service's login there.
        p.put("suite.smtp.host", smtp.host());
        p.put("suite.smtp.port", String.valueOf(smtp.port()));
        p.put("suite.smtp.username", LocalSmtp.LOGIN);
        p.put("suite.smtp.password", secrets.secret(LocalSmtp.PASSWORD_ENTRY));
        // The first admin (auth-service FirstAdmin): its address, and its initial password, made once into .local.
        p.put(ADMIN_EMAIL, FIRST_ADMIN_EMAIL);
        p.put(ADMIN_PASSWORD, secrets.secret(ADMIN_PASSWORD_ENTRY));
        p.put("suite.secrets-dir", secrets.dir().toString());
        p.put("suite.root-dir", SuiteRoot.find().toString());
        return p;
    }

    @Override
    public synchronized void close() {
        // Each server is stopped even if the other fails to: nothing may be left running.
        try {
            if (vault != null) {
                vault.close();
            }
        } catch (RuntimeException e) {
            System.err.println("[local-stack] Stopping OpenBao failed: " + e.getMessage());
        }
        try {
            if (smtp != null) {
                smtp.stop();
            }
        } catch (RuntimeException e) {
            System.err.println("[local-stack] Stopping the mail server failed: " + e.getMessage());
        }
        for (LocalRedis child : redisChildren) {
            try {
                child.stop();
            } catch (RuntimeException e) {
                System.err.println("[local-stack] Stopping a Redis replica or Sentinel failed: " + e.getMessage());
            }
        }
        try {
            if (redis != null) {
                redis.stop();
            }
        } catch (RuntimeException e) {
            System.err.println("[local-stack] Stopping Redis failed: " + e.getMessage());
        }
        for (LocalPostgres server : otherPostgres) {
            try {
                server.stop();
            } catch (RuntimeException e) {
                System.err.println("[local-stack] Stopping a PostgreSQL standby failed: " + e.getMessage());
            }
        }
        try {
            if (postgres != null) {
                postgres.stop();
            }
        } catch (RuntimeException e) {
            System.err.println("[local-stack] Stopping PostgreSQL failed: " + e.getMessage());
        }
        deleteTree(workDir);
    }

    /** A folder for this JVM's servers; folders of JVMs that died without stopping theirs are cleaned first. */
    private static Path newWorkDir() {
        Path base = Path.of(System.getProperty("java.io.tmpdir"), "suite-stack");
        try {
            Files.createDirectories(base);
            try (Stream<Path> dirs = Files.list(base)) {
                dirs.filter(dir -> !isAlive(dir.getFileName().toString())).forEach(dir -> {
                    LocalRedis.stopAbandoned(dir);
                    LocalSmtp.stopAbandoned(dir);
                    LocalVault.stopAbandoned(SuiteRoot.find(), dir);
                    try (Stream<Path> dataDirs = Files.list(dir)) {
                        // pgdata, and a standby's (PostgresStandby), which may be the primary after a switchover
                        dataDirs.filter(data -> data.getFileName().toString().startsWith("pgdata")).forEach(LocalPostgres::stopAbandoned);
                    } catch (IOException e) {
                        // Gone meanwhile: nothing to stop.
                    }
                    deleteTree(dir);
                });
            }
            // One folder per stack, named <pid>-<unique>: a test that starts a stack of its own next to the shared one must
            // never reuse (and wipe) the shared one's data folder, nor may a stack of another class loader of this JVM
            // (a @QuarkusMainTest loads this class again, with a counter of its own).
            Path dir = Files.createTempDirectory(base, ProcessHandle.current().pid() + "-" + STACKS_STARTED.incrementAndGet() + "-");
            // PostgreSQL may run as another user (see Commands): it must be able to reach its data folder.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare " + base, e);
        }
    }

    private static boolean isAlive(String folder) {
        try {
            String pid = folder.contains("-") ? folder.substring(0, folder.indexOf('-')) : folder;
            return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return true; // not ours
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // Best effort: a leftover temp folder is cleaned by the next run.
        }
    }

    public static int freePort() {
        return freePorts(1)[0];
    }

    /**
     * {@code count} ports free right now and different from each other (each chosen while the others are still held:
     * two calls of {@link #freePort()} may hand out the same port twice). The caller's server binds them later, so
     * another process may take one meanwhile: the caller retries on new ports where its server does not exit on that
     * ({@link LocalSmtp}).
     */
    public static int[] freePorts(int count) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0);
                held.add(socket);
                socket.setReuseAddress(true);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("No free port", e);
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // closing a listening socket that never accepted: nothing to lose
                }
            }
        }
    }

    /** Starts a stack and keeps it until Ctrl-C; prints the properties a service needs. */
    public static void main(String[] args) throws InterruptedException {
        LocalStack stack = shared();
        stack.properties().forEach((key, value) -> System.out.println(
                key.contains("password") ? key + "=<in .local/secrets.properties>" : key + "=" + value));
        Thread.currentThread().join();
    }
}
