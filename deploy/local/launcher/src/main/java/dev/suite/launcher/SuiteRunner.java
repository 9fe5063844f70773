package dev.suite.launcher;

import java.io.PrintStream;
import java.util.List;

import dev.suite.launcher.SuiteTopology.Instance;
import dev.suite.localstack.LocalStack;
import dev.suite.localstack.LocalVault;
import dev.suite.localstack.RedisUsers;

/**
 * {@code make run}: the embedded stack plus the suite's services ({@link SuiteTopology#makeRun()}) as child processes
 * with prefixed logs. Waits until every service is ready, prints where to point a browser or curl, and on Ctrl-C or
 * SIGTERM stops the services, then the servers, leaving nothing behind.
 *
 * <p>{@code --prod} ({@code make run-prod}): the same services in %prod against the stack's OpenBao, as production runs
 * them ({@link SuiteTopology#inProd}): every secret from Vault, the migration Jobs first, the gateway in plain HTTP.
 */
public final class SuiteRunner {

    private static final PrintStream OUT = System.out;

    private final boolean prod;
    private volatile SuiteTopology topology = SuiteTopology.makeRun();
    private volatile boolean stopping;
    private volatile LocalStack stack;
    private volatile SuiteProcesses services;

    private SuiteRunner(boolean prod) {
        this.prod = prod;
    }

    public static void main(String[] args) {
        SuiteRunner runner = new SuiteRunner(List.of(args).contains("--prod"));
        Runtime.getRuntime().addShutdownHook(new Thread(runner::stopAll, "suite-stop"));
        System.exit(runner.run());
    }

    private int run() {
        try {
            startAll();
        } catch (IllegalStateException e) {
            OUT.println("[suite] " + e.getMessage());
            return 1;
        }
        printWhereToPoint();
        return awaitAnExit();
    }

    /** All services at once (they share two cores better than one after the other), then each one's readiness. */
    private void startAll() {
        stack = LocalStack.startNew();
        if (prod) {
            topology = topology.inProd(stack.vault());
        }
        services = new SuiteProcesses(stack, topology, name -> OUT);
        services.migrate();
        // make run picks the newest JDK 25 the machine has (Makefile SUITE_JAVA); say which one runs the services.
        OUT.printf("[suite] the services run on Java %s (%s)%n", Runtime.version(), System.getProperty("java.home"));
        topology.instances().forEach(instance -> services.launch(instance.name()));
        for (ServiceProcess service : services.running()) {
            service.awaitReady();
            OUT.printf("[suite] %s is ready on port %d (management %d)%n", service.name(), service.port(), service.managementPort());
        }
    }

    private void printWhereToPoint() {
        OUT.println();
        OUT.println("[suite] All services are ready. Press Ctrl-C to stop everything.");
        if (prod) {
            OUT.printf("[suite]   gateway (the SPA's door)  %s  (%%prod: plain HTTP, as behind the Ingress)%n",
                    topology.instance(SuiteTopology.GATEWAY).url());
        } else {
            OUT.printf("[suite]   gateway (the SPA's door)  %s  (%s redirects)%n", topology.gatewayUrl(),
                    topology.instance(SuiteTopology.GATEWAY).url());
        }
        OUT.printf("[suite]   auth-service              %s%n", topology.instance(SuiteTopology.AUTH).url());
        OUT.printf("[suite]   user-service              %s%n", topology.instance(SuiteTopology.USERS).url());
        OUT.println("[suite]   health/metrics/OpenAPI, on management ports only (never on the ports above):");
        for (Instance instance : topology.instances()) {
            OUT.printf("[suite]     %-12s  %s/q/health  /q/metrics  /q/openapi%n", instance.name(), instance.managementUrl());
        }
        printHowToSignInAsTheFirstAdmin();
        printWhatAConsumerNeeds();
        // Mail the suite sent (password resets, notices) stays in the local mail server: read it in a browser.
        OUT.printf("[suite]   mail sent (SMTP over TLS %s:%d, nothing leaves this machine), read it in a browser:%n",
                stack.smtp().host(), stack.smtp().port());
        OUT.printf("[suite]     %s   (e.g. %s)%n", stack.smtp().apiUrl(), stack.smtp().mailboxUrl("me@example.com"));
        OUT.printf("[suite]   PostgreSQL (TLS only)     localhost:%d   Redis (TLS only) 127.0.0.1:%d   secrets in %s%n%n",
                stack.postgres().port(), stack.redis().port(), stack.secrets().dir());
        if (prod) {
            OUT.printf("[suite]   Vault (OpenBao, TLS)      %s   every service's secrets; operator's root token and unseal key in %s%n",
                    stack.vault().address(), stack.vault().keysDir());
            OUT.printf("[suite]     e.g. VAULT_ADDR=%s VAULT_CACERT=%s VAULT_TOKEN=$(cat %s/root-token) %s kv get secret/suite/gateway%n%n",
                    stack.vault().address(), stack.vault().caCert(), stack.vault().keysDir(), LocalVault.DEFAULT_BINARY);
        }
    }

    /**
     * The admin the auth service made at its first start (FirstAdmin): where to sign in and where its initial password
     * is, never the password itself (the console may be shared or recorded). The first sign-in asks for a new one.
     */
    private void printHowToSignInAsTheFirstAdmin() {
        String url = prod ? topology.instance(SuiteTopology.GATEWAY).url() : topology.gatewayUrl();
        OUT.printf("[suite]   first admin               sign in at %s as %s; its initial password (replaced at the first sign-in):%n",
                url, LocalStack.FIRST_ADMIN_EMAIL);
        if (prod) {
            OUT.printf("[suite]     VAULT_ADDR=%s VAULT_CACERT=%s VAULT_TOKEN=$(cat %s/root-token) %s kv get -field=initial-admin-password secret/suite/auth-service%n",
                    stack.vault().address(), stack.vault().caCert(), stack.vault().keysDir(), LocalVault.DEFAULT_BINARY);
        } else {
            OUT.printf("[suite]     sed -n 's/^%s=//p' %s%n", LocalStack.ADMIN_PASSWORD_ENTRY.replace(".", "\\."), stack.secrets().file());
        }
    }

    /**
     * What another team's service needs to verify the suite's tokens (token-guard or any JWT library) and honour a
     * logout: where the keys are, the issuer, and the Redis that holds revocations, where it connects as a read-only
     * user of its own. Where that user's password will be, never a password.
     */
    private void printWhatAConsumerNeeds() {
        OUT.println("[suite]   for a service of yours that verifies tokens (README: Using token-guard in another Quarkus service):");
        // The services answer https under the stack CA's certificate: a consumer trusts that CA, and only it, for them.
        OUT.printf("[suite]     trust this CA   %s   (the only one that vouches for the URLs below)%n", stack.properties().get("suite.tls.ca-file"));
        OUT.printf("[suite]     JWKS            %s%n", topology.jwksUrl());
        OUT.printf("[suite]     issuer          %s   (users' access tokens: aud %s)%n", topology.issuer(),
                SuiteTopology.USER_AUDIENCE);
        OUT.printf("[suite]     Redis           %s?user=<your service>   (a line of %s like user-service's; its password:%n",
                stack.redis().url(), RedisUsers.FILE);
        OUT.printf("[suite]                     entry \"%s\" of %s, made at the next start)%n",
                LocalStack.redisPasswordEntry("<your service>"), stack.secrets().file());
        OUT.printf("[suite]     service tokens  POST %s   (for a client registered with the auth service)%n",
                topology.serviceTokensUrl());
    }

    /** Runs until Ctrl-C, or until a service exits on its own, which stops the suite. */
    private int awaitAnExit() {
        for (ServiceProcess service : services.running()) {
            try {
                int exit = service.process().waitFor();
                if (stopping) {
                    return 0;
                }
                OUT.printf("[suite] %s exited with %d; stopping the suite.%n", service.name(), exit);
                return 1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }
        return 0;
    }

    private synchronized void stopAll() {
        stopping = true;
        if (services != null) {
            services.close();
        }
        if (stack != null) {
            stack.close();
            stack = null;
            OUT.println(prod ? "[suite] Stopped the services, PostgreSQL, Redis, the mail server and OpenBao."
                    : "[suite] Stopped the services, PostgreSQL, Redis and the mail server.");
        }
    }
}
