package dev.suite.system.consumer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.suite.launcher.SuiteTopology;
import dev.suite.localstack.LocalStack;
import dev.suite.localstack.RedisUsers;
import dev.suite.localstack.SuiteRoot;
import dev.suite.system.support.Http;
import dev.suite.system.support.RunningSuite;

/**
 * examples/token-guard-consumer as its team would build and run it: packaged by Maven on its own (its pom has no
 * parent; its own tests run), offline, against the token-guard this build installed in the local repository; then
 * its jar started in the prod profile, told only what the README says to tell it, pointed at the running suite, and
 * connected to Redis as a user of its own.
 */
final class ConsumerExample implements AutoCloseable {

    static final Path DIR = SuiteRoot.find().resolve("examples/token-guard-consumer");
    /** Its Redis user: its quarkus.redis.hosts names it. */
    static final String REDIS_USER = "greeter";
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final String url;
    private final Path log;

    private ConsumerExample(Process process, String url, Path log) {
        this.process = process;
        this.url = url;
        this.log = log;
    }

    /** {@code mvn -o package} in the example's folder, with this build's local repository; fails with the log's end. */
    static void build() {
        Path log = SuiteRoot.find().resolve("system-tests/target/consumer-example-build.log");
        String repository = System.getProperty("suite.maven.repo.local");
        String mavenHome = System.getProperty("maven.home");
        if (repository == null || mavenHome == null) {
            throw new IllegalStateException("Run through Maven (surefire passes maven.home and suite.maven.repo.local)");
        }
        ProcessBuilder maven = new ProcessBuilder(Path.of(mavenHome, "bin", "mvn").toString(), "-B", "-ntp", "-o",
                "-Dmaven.repo.local=" + repository, "package")
                .directory(DIR.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        // The JDK running these tests builds it too.
        maven.environment().put("JAVA_HOME", System.getProperty("java.home"));
        try {
            Files.createDirectories(log.getParent());
            Process build = maven.start();
            if (!build.waitFor(BUILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                build.descendants().forEach(ProcessHandle::destroyForcibly);
                build.destroyForcibly();
                throw new IllegalStateException("The example's build took longer than " + BUILD_TIMEOUT + ": " + tail(log));
            }
            if (build.exitValue() != 0) {
                throw new IllegalStateException("The example's build failed (" + log + "):\n" + tail(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The example's Redis user, with the rules users.acl gives user-service (the revocation check, nothing else), as the
     * README has a team add a line there. The stack read that list at its start, so this adds the user to the running
     * Redis (ACL SETUSER, as the operator), with the password the stack would give a user of that list.
     */
    static String registerRedisUser(LocalStack stack) {
        String password = LocalStack.redisPassword(stack.secrets(), REDIS_USER);
        List<String> setUser = new ArrayList<>(List.of("ACL", "SETUSER", REDIS_USER, "reset"));
        setUser.addAll(rulesOfUserService());
        setUser.add(">" + password);
        try (Socket redis = stack.redis().connect()) {
            redis.setSoTimeout(5000);
            BufferedReader replies = new BufferedReader(new InputStreamReader(redis.getInputStream(), StandardCharsets.UTF_8));
            for (List<String> command : List.of(List.of("AUTH", "default", LocalStack.redisPassword(stack.secrets(), "default")), setUser)) {
                redis.getOutputStream().write(resp(command));
                String reply = replies.readLine();
                if (!"+OK".equals(reply)) {
                    throw new IllegalStateException("Redis refused " + command.get(0) + " " + command.get(1) + ": " + reply);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return password;
    }

    /** The rules after the user name on user-service's line of users.acl. */
    private static List<String> rulesOfUserService() {
        try {
            String line = Files.readAllLines(SuiteRoot.find().resolve(RedisUsers.FILE)).stream().map(String::strip)
                    .filter(l -> l.startsWith("user " + SuiteTopology.USERS + " ")).findFirst().orElseThrow();
            List<String> words = List.of(line.split("\\s+"));
            return words.subList(2, words.size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] resp(List<String> command) {
        StringBuilder text = new StringBuilder("*" + command.size() + "\r\n");
        for (String word : command) {
            text.append('$').append(word.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(word).append("\r\n");
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Starts the packaged jar with the environment its application.properties names, and waits until it answers. */
    static ConsumerExample start(RunningSuite suite) {
        Path jar = DIR.resolve("target/quarkus-app/quarkus-run.jar");
        Path log = SuiteRoot.find().resolve("system-tests/target/consumer-example.log");
        int port = LocalStack.freePort();
        ProcessBuilder java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xmx128m", "-jar", jar.toString())
                .directory(jar.getParent().toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> environment = java.environment();
        environment.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        environment.put("AUTH_URL", suite.authUrl());
        environment.put("USER_SERVICE_URL", suite.userUrl());
        environment.put("SUITE_CA_FILE", suite.stack().properties().get("suite.tls.ca-file"));
        environment.put("REDIS_URL", suite.stack().redis().url());
        environment.put("REDIS_PASSWORD", registerRedisUser(suite.stack()));
        environment.put("GREETER_CLIENT_SECRET", RunningSuite.exampleClientSecret(suite.stack()));
        try {
            ConsumerExample example = new ConsumerExample(java.start(), "http://localhost:" + port, log);
            example.awaitAnswer();
            return example;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url() {
        return url;
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitAnswer() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The example exited with " + process.exitValue() + ":\n" + tail(log));
            }
            try {
                if (Http.get(url + "/greeting/in/en").status() == 200) {
                    return;
                }
            } catch (UncheckedIOException e) {
                // Not listening yet.
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("The example did not answer within " + READY_TIMEOUT + ":\n" + tail(log));
    }

    /** SIGTERM, then SIGKILL after 20 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }
}
