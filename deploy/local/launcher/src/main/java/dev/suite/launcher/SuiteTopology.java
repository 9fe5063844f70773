package dev.suite.launcher;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.suite.localstack.Host;
import dev.suite.localstack.LocalStack;
import dev.suite.localstack.SuiteRoot;
import dev.suite.localstack.LocalVault;

/**
 * The one description of the suite: which service instances run, in which order, on which ports, and what each is
 * told. {@code make run}, the module tests, the system tests and the bench all start the suite from one of these, so
 * a service URL, a port or a test-only setting is decided here and nowhere else.
 */
public final class SuiteTopology {

    public static final String AUTH = "auth-service";
    public static final String USERS = "user-service";
    public static final String GATEWAY = "gateway";

    /** The aud of users' access tokens: token-guard.user-audience's default, which no service overrides. */
    public static final String USER_AUDIENCE = "suite";

    /**
     * One service instance: its name, the module whose jar it runs, the host it runs on (loopback but in the cross-host
     * test), its API and management ports, its own settings.
     */
    public record Instance(String name, String module, Host host, int port, int managementPort, Map<String, String> environment) {

        /** Where the instance's API answers, on its host's own address ({@link #urlOf}: the scheme too). */
        public String url() {
            return urlOf(module, host.address(), port);
        }

        /**
         * Where /q/health, /q/metrics and /q/openapi are: the management interface, never the API port. TLS for the
         * suite's services in every profile the launcher runs (%dev, %prod: service-runtime's management.ssl lines);
         * plain for an example consumer started beside the suite, which has no certificate of the suite's.
         */
        public String managementUrl() {
            boolean suiteService = List.of(AUTH, USERS, GATEWAY).contains(module);
            return (suiteService ? "https://" : "http://") + host.address() + ":" + managementPort;
        }
    }

    /**
     * The URL of {@code module}'s API at {@code address}: an instance's own, or the address of the Service in front of
     * its replicas. The one place that says how the suite's services are called, the scheme included: https for the
     * services behind the gateway (their certificate is the stack CA's, naming the host or Service address); http for
     * the gateway, whose plain port only redirects, and for an example consumer started beside the suite.
     */
    public static String urlOf(String module, String address, int port) {
        return (AUTH.equals(module) || USERS.equals(module) ? "https" : "http") + "://" + address + ":" + port;
    }

    /** The migration Jobs' instance names (and Kubernetes workloads). */
    public static final String AUTH_MIGRATIONS = "auth-migrations";
    public static final String USERS_MIGRATIONS = "users-migrations";
    /** The ports of a service on a host of its own (the cross-host test): Kubernetes' (deploy/network). */
    static final int MANAGEMENT_PORT_ON_OWN_HOST = 9000;

    /** What %prod reads from the stack (the suite-config ConfigMap's addresses): never a secret, those come from Vault. */
    static final List<String> PROD_STACK_SETTINGS = List.of("suite.pg.host", "suite.pg.port", "suite.pg.ca-file", "suite.redis.port");
    /**
     * What Kubernetes mounts into each pod at /etc/suite-tls (its cert-manager Certificate secret: the internal CA, the
     * pod's certificate and key), %prod's defaults for these keys: here, without /etc/suite-tls, the stack's files.
     */
    public static final List<String> PROD_MOUNTED_FILES = List.of("suite.tls.ca-file", "suite.tls.cert-file", "suite.tls.key-file");

    private final Map<String, Instance> instances;
    private final int gatewayHttpsPort;
    private final Map<String, String> tuning;
    private final List<Instance> migrations;
    private final boolean prod;
    /** Where callers reach a replicated service (the Service's address, not a replica's); absent: its one instance. */
    private final Map<String, String> serviceUrls;

    private SuiteTopology(Collection<Instance> instances, int gatewayHttpsPort, Map<String, String> tuning) {
        this(instances, gatewayHttpsPort, tuning, List.of(), false, Map.of());
    }

    private SuiteTopology(Collection<Instance> instances, int gatewayHttpsPort, Map<String, String> tuning, List<Instance> migrations,
            boolean prod, Map<String, String> serviceUrls) {
        this.instances = new LinkedHashMap<>();
        instances.forEach(instance -> this.instances.put(instance.name(), instance));
        this.gatewayHttpsPort = gatewayHttpsPort;
        this.tuning = Map.copyOf(tuning);
        this.migrations = List.copyOf(migrations);
        this.prod = prod;
        this.serviceUrls = Map.copyOf(serviceUrls);
    }

    /**
     * make run: the ports each module's %dev profile names (SuiteTopologyTest checks), so that a jar started by hand
     * lands where make run puts it.
     */
    public static SuiteTopology makeRun() {
        return new SuiteTopology(List.of(new Instance(AUTH, AUTH, Host.LOOPBACK, 8081, 9081, Map.of()),
                new Instance(USERS, USERS, Host.LOOPBACK, 8082, 9082, Map.of()),
                new Instance(GATEWAY, GATEWAY, Host.LOOPBACK, 8080, 9080, Map.of())),
                8443, Map.of());
    }

    /** The same services on free loopback ports: tests and the bench, never in the way of make run or each other. */
    public static SuiteTopology onFreePorts() {
        List<Instance> instances = new ArrayList<>();
        for (String module : List.of(AUTH, USERS, GATEWAY)) {
            instances.add(new Instance(module, module, Host.LOOPBACK, LocalStack.freePort(), LocalStack.freePort(), Map.of()));
        }
        return new SuiteTopology(instances, LocalStack.freePort(), Map.of());
    }

    /**
     * The suite across hosts (the cross-host test): each service, and each migration Job, on the host {@code hosts}
     * names for it, on Kubernetes' ports (deploy/network/allowed-connections.txt: 8081, 8082, 9000 for management; the
     * gateway's HTTPS on 8080, where the Ingress sends), bound to its host's address only, reaching the stack (PostgreSQL
     * and Redis on the data host) at the addresses the stack gives. The owner roles are used only by the migration
     * Jobs, run first from their own host ({@link SuiteProcesses#migrate}); the services do not migrate.
     */
    public static SuiteTopology acrossHosts(Map<String, Host> hosts) {
        Map<String, List<Host>> one = new LinkedHashMap<>();
        hosts.forEach((name, host) -> one.put(name, List.of(host)));
        return acrossHosts(one, Map.of());
    }

    /**
     * {@link #acrossHosts(Map)} with the auth and user services possibly replicated: {@code hosts} gives each of them
     * one host per replica (instances {@code auth-service-1}, {@code auth-service-2}, ...), and {@code serviceAddresses}
     * the address of the Service in front of a replicated one (the cross-host test's nftables DNAT, kube-proxy in
     * Kubernetes). Everyone calls a replicated service at that address, on its port: the gateway, the user service, the
     * issuer in every token (so all replicas of the auth service issue and verify the same {@code iss}).
     */
    public static SuiteTopology acrossHosts(Map<String, List<Host>> hosts, Map<String, String> serviceAddresses) {
        Map<String, String> noMigrations = Map.of("QUARKUS_FLYWAY_MIGRATE_AT_START", "false");
        Host gateway = only(hosts, GATEWAY);
        List<Instance> instances = new ArrayList<>();
        Map<String, String> serviceUrls = new LinkedHashMap<>();
        for (String service : List.of(AUTH, USERS)) {
            int port = AUTH.equals(service) ? 8081 : 8082;
            List<Host> replicas = hosts.getOrDefault(service, List.of());
            if (replicas.size() > 1) {
                String address = serviceAddresses.get(service);
                if (address == null) {
                    throw new IllegalArgumentException(replicas.size() + " replicas of " + service + " but no Service address in front of them");
                }
                serviceUrls.put(service, urlOf(service, address, port));
                for (int i = 0; i < replicas.size(); i++) {
                    instances.add(onOwnHost(service + "-" + (i + 1), service, replicas.get(i), gateway, port, noMigrations));
                }
            } else {
                instances.add(onOwnHost(service, service, only(hosts, service), gateway, port, noMigrations));
            }
        }
        // Its plain-HTTP port only redirects: no rule lets anyone reach it.
        instances.add(onOwnHost(GATEWAY, GATEWAY, gateway, gateway, 8079, Map.of("SUITE_GATEWAY_PROXIES", gateway.address())));
        List<Instance> jobs = List.of(
                onOwnHost(AUTH_MIGRATIONS, AUTH, only(hosts, AUTH_MIGRATIONS), gateway, 8081, Map.of("SUITE_MIGRATE_ONLY", "true")),
                onOwnHost(USERS_MIGRATIONS, USERS, only(hosts, USERS_MIGRATIONS), gateway, 8082, Map.of("SUITE_MIGRATE_ONLY", "true")));
        return new SuiteTopology(instances, 8080, Map.of(), jobs, false, serviceUrls);
    }

    private static Host only(Map<String, List<Host>> hosts, String name) {
        List<Host> of = hosts.getOrDefault(name, List.of());
        if (of.size() != 1 || of.get(0) == null || of.get(0).isLoopback()) {
            throw new IllegalArgumentException("No host of its own for " + name + " in " + hosts);
        }
        return of.get(0);
    }

    private static Instance onOwnHost(String name, String module, Host host, Host gateway, int port, Map<String, String> own) {
        if (host == null || host.isLoopback()) {
            throw new IllegalArgumentException("No host of its own for " + name);
        }
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("QUARKUS_HTTP_HOST", host.address());
        settings.put("QUARKUS_MANAGEMENT_HOST", host.address());
        // %dev's Redis is on loopback; here it is on the data host (the value is expanded by Quarkus).
        settings.put("QUARKUS_REDIS_HOSTS", "rediss://${suite.redis.host}:${suite.redis.port}?user=${quarkus.application.name}");
        settings.put("SUITE_GATEWAY_PROXIES", gateway.address());
        settings.putAll(own);
        return new Instance(name, module, host, port, MANAGEMENT_PORT_ON_OWN_HOST, Map.copyOf(settings));
    }

    /**
     * This topology as production runs it (make run-prod): every instance in %prod with every secret from {@code vault}
     * (the local OpenBao; AppRole instead of Kubernetes auth, which needs a TokenReview API), only addresses from the
     * stack, the gateway in plain HTTP behind an "ingress" on this machine, and the migration Jobs first (profile
     * migrate, as their own Vault roles).
     */
    public SuiteTopology inProd(LocalVault vault) {
        List<Instance> prod = new ArrayList<>();
        for (Instance instance : instances.values()) {
            Map<String, String> settings = new LinkedHashMap<>(instance.environment());
            settings.putAll(prodSettings(vault, instance.module(), "prod"));
            if (AUTH.equals(instance.module())) {
                // As a Deployment names its first admin; the initial password is in Vault (LocalStack seeds it from .local).
                settings.put("AUTH_FIRST_ADMIN_EMAIL", LocalStack.FIRST_ADMIN_EMAIL);
            }
            if (GATEWAY.equals(instance.module())) {
                // The image holds the SPA at %prod's gateway.spa-dir (/work/spa, Dockerfile.native); here it is make spa's.
                settings.put("GATEWAY_SPA_DIR", SuiteRoot.find().resolve("spa/dist").toString());
            }
            prod.add(new Instance(instance.name(), instance.module(), instance.host(), instance.port(), instance.managementPort(),
                    Map.copyOf(settings)));
        }
        List<Instance> jobs = new ArrayList<>();
        for (String module : List.of(AUTH, USERS)) {
            Map<String, String> settings = prodSettings(vault, module, "migrate");
            settings.put("SUITE_MIGRATE_ONLY", "true");
            jobs.add(new Instance(AUTH.equals(module) ? AUTH_MIGRATIONS : USERS_MIGRATIONS, module, Host.LOOPBACK, LocalStack.freePort(),
                    LocalStack.freePort(), Map.copyOf(settings)));
        }
        return new SuiteTopology(prod, gatewayHttpsPort, tuning, jobs, true, serviceUrls);
    }

    /** The suite-config ConfigMap's settings and the Vault login of {@code module} in {@code profile}. */
    private Map<String, String> prodSettings(LocalVault vault, String module, String profile) {
        String role = "migrate".equals(profile) ? (AUTH.equals(module) ? "auth-migrations" : "users-migrations") : module;
        LocalVault.AppRoleLogin login = vault.appRole(role);
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("QUARKUS_PROFILE", profile);
        settings.put("QUARKUS_VAULT_URL", vault.address());
        settings.put("QUARKUS_VAULT_TLS_CA_CERT", vault.caCert().toString());
        // quarkus-vault prefers Kubernetes auth whenever a Kubernetes role is set (the %prod files set one): unset it.
        settings.put("QUARKUS_VAULT_AUTHENTICATION_KUBERNETES_ROLE", "");
        settings.put("QUARKUS_VAULT_AUTHENTICATION_APP_ROLE_ROLE_ID", login.roleId());
        settings.put("QUARKUS_VAULT_AUTHENTICATION_APP_ROLE_SECRET_ID", login.secretId());
        settings.put("SUITE_REDIS_HOST", "127.0.0.1");
        settings.put("SUITE_PUBLIC_ORIGINS", instances.containsKey(GATEWAY) ? instance(GATEWAY).url() : "http://localhost");
        settings.put("SUITE_INGRESS_PROXIES", "127.0.0.1");
        settings.put("SUITE_GATEWAY_PROXIES", "127.0.0.1");
        // Every request traced (so the JSON lines carry the parent span), nothing exported: no collector here.
        settings.put("SUITE_TRACING_RATIO", "1.0");
        return settings;
    }

    /** The migration Jobs to run to completion before the services start: none but in {@link #inProd} and {@link #acrossHosts}. */
    public List<Instance> migrations() {
        return migrations;
    }

    /** Whether the instances run in %prod (secrets from Vault) rather than %dev (secrets from the stack). */
    public boolean isProd() {
        return prod;
    }

    /** This topology with every instance also given the settings of {@code tunings}. */
    public SuiteTopology tuned(Tuning... tunings) {
        Map<String, String> tuned = new LinkedHashMap<>(tuning);
        for (Tuning t : tunings) {
            tuned.putAll(t.environment());
        }
        return new SuiteTopology(instances.values(), gatewayHttpsPort, tuned, migrations, prod, serviceUrls);
    }

    /**
     * This topology plus one more instance of {@code module}, on free ports, with settings of its own. Nothing is
     * routed to it: whoever adds it calls it directly (the bench's user service without the revocation check).
     */
    public SuiteTopology withExtra(String name, String module, Map<String, String> environment) {
        List<Instance> more = new ArrayList<>(instances.values());
        more.add(new Instance(name, module, Host.LOOPBACK, LocalStack.freePort(), LocalStack.freePort(), Map.copyOf(environment)));
        return new SuiteTopology(more, gatewayHttpsPort, tuning, migrations, prod, serviceUrls);
    }

    /** This topology with instance {@code name} also told {@code environment}, on the same ports (a restart with new secrets). */
    public SuiteTopology withSettings(String name, Map<String, String> environment) {
        List<Instance> changed = new ArrayList<>();
        for (Instance instance : instances.values()) {
            Map<String, String> settings = new LinkedHashMap<>(instance.environment());
            if (instance.name().equals(name)) {
                settings.putAll(environment);
            }
            changed.add(new Instance(instance.name(), instance.module(), instance.host(), instance.port(), instance.managementPort(),
                    Map.copyOf(settings)));
        }
        return new SuiteTopology(changed, gatewayHttpsPort, tuning, migrations, prod, serviceUrls);
    }

    /** The instances in start order: each one's upstreams come before it. */
    public List<Instance> instances() {
        return List.copyOf(instances.values());
    }

    public Instance instance(String name) {
        Instance instance = instances.containsKey(name) ? instances.get(name)
                : migrations.stream().filter(job -> job.name().equals(name)).findFirst().orElse(null);
        if (instance == null) {
            throw new IllegalArgumentException("No instance " + name + " in " + instances.keySet());
        }
        return instance;
    }

    /** The instances running {@code module}: its replicas (one but in a replicated {@link #acrossHosts(Map, Map)}). */
    public List<Instance> replicas(String module) {
        return instances.values().stream().filter(instance -> instance.module().equals(module)).toList();
    }

    /** Where callers reach service {@code module}: the Service's address in front of its replicas, or its one instance. */
    public String serviceUrl(String module) {
        String url = serviceUrls.get(module);
        return url != null ? url : instance(module).url();
    }

    public int gatewayHttpsPort() {
        return gatewayHttpsPort;
    }

    /**
     * The iss of every token the suite issues: the auth service's own URL (its token-guard.issuer is suite.auth.url), so
     * that a standard library given only the issuer finds the discovery document there. make run prints it for other
     * teams' verifiers; MakeRunTest checks it against a token the auth service issued.
     */
    public String issuer() {
        return serviceUrl(AUTH);
    }

    /** Where the auth service publishes its public signing keys: what every verifier sets as token-guard.jwks-url. */
    public String jwksUrl() {
        return serviceUrl(AUTH) + "/.well-known/jwks.json";
    }

    /** Where a client registered with the auth service (auth.client-credentials.clients) gets a service token. */
    public String serviceTokensUrl() {
        return serviceUrl(AUTH) + "/internal/service-tokens";
    }

    /** The SPA's door: the gateway's HTTPS port (its HTTP port only redirects here). */
    public String gatewayUrl() {
        return "https://" + instance(GATEWAY).host().address() + ":" + gatewayHttpsPort;
    }

    /**
     * What instance {@code name} is told of the stack. In %prod only addresses, and where the files Kubernetes would
     * mount are ({@link #PROD_MOUNTED_FILES}): every other secret comes from Vault. In %dev
     * every {@code suite.*} setting except the Redis passwords of other users, the operator's
     * ({@code suite.redis.password}) and the other services': each process holds only its own Redis credentials, as
     * each pod reads only its own Vault path; the SMTP password goes to the auth service alone.
     */
    public Map<String, String> stackSettings(String name, Map<String, String> stack) {
        if (isProd()) {
            Map<String, String> addresses = new LinkedHashMap<>();
            PROD_STACK_SETTINGS.forEach(key -> addresses.put(key, stack.get(key)));
            PROD_MOUNTED_FILES.forEach(key -> addresses.put(key, stack.get(key)));
            return addresses;
        }
        String own = "suite.redis." + instance(name).module() + ".password";
        // Only the auth service sends mail and makes the first admin: no other process holds the SMTP password or the
        // first admin's initial password.
        boolean auth = AUTH.equals(instance(name).module());
        Map<String, String> settings = new LinkedHashMap<>();
        stack.forEach((key, value) -> {
            boolean othersRedisPassword = key.startsWith("suite.redis.") && key.endsWith("password") && !key.equals(own);
            boolean smtpPassword = key.equals("suite.smtp.password") && !auth;
            boolean firstAdmin = key.startsWith("suite.admin.") && !auth;
            if (!othersRedisPassword && !smtpPassword && !firstAdmin) {
                settings.put(key, value);
            }
        });
        return settings;
    }

    /**
     * What instance {@code name} is told on top of the stack's settings: where its upstreams listen, the gateway's
     * HTTPS port (and where plain HTTP redirects), the topology's tuning, then the instance's own settings.
     */
    public Map<String, String> environment(String name) {
        Instance instance = instance(name);
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("SUITE_AUTH_URL", serviceUrl(AUTH));
        environment.put("SUITE_USER_URL", serviceUrl(USERS));
        if (AUTH.equals(instance.module()) && instances.containsKey(GATEWAY)) {
            // Where the reset links of its mails point: the SPA, served by the gateway.
            environment.put("SUITE_SPA_URL", isProd() ? instance(GATEWAY).url() : gatewayUrl());
        }
        if (GATEWAY.equals(instance.module())) {
            environment.put("QUARKUS_HTTP_SSL_PORT", String.valueOf(gatewayHttpsPort));
            environment.put("GATEWAY_REDIRECT_TO_HTTPS_PORT", String.valueOf(gatewayHttpsPort));
        }
        environment.putAll(tuning);
        environment.putAll(instance.environment());
        return environment;
    }
}
