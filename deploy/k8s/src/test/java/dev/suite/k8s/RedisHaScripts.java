package dev.suite.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The prod overlay's Redis start scripts (the rendered redis-ha ConfigMap) in a test's folder: their paths moved there,
 * a password file per user of users.acl ("pw-of-USER"), and stand-in redis-cli and redis-server commands that log
 * their calls; redis-cli answers as the test says (FAKE_SENTINEL_SAYS: the primary the Sentinels name;
 * FAKE_PRIMARY_SAYS: the data server that says it is the primary), redis-server copies its configuration to
 * {@code started.conf} and exits.
 */
final class RedisHaScripts {

    final Path ha;
    final Path secrets;
    final Path run;
    private final Path bin;
    private final Path log;

    RedisHaScripts(Path dir) throws IOException {
        ha = Files.createDirectories(dir.resolve("ha"));
        secrets = Files.createDirectories(dir.resolve("secrets"));
        run = Files.createDirectories(dir.resolve("run"));
        bin = Files.createDirectories(dir.resolve("bin"));
        log = dir.resolve("calls.log");
        Files.writeString(log, "");
        Rendered.overlay("prod").configMap("redis-ha").path("data").fields().forEachRemaining(e -> write(ha.resolve(e.getKey()), e.getValue().asText()
                .replace("/etc/redis-ha/", ha + "/").replace("/etc/redis/users.acl", RedisConfigTest.USERS.toString())
                .replace("/run/secrets/redis", secrets.toString()).replace("/run/redis/", run + "/").replace("/run/sentinel/", run + "/")));
        for (String user : RedisConfigTest.users().keySet()) {
            write(secrets.resolve(user), "pw-of-" + user);
        }
        executable(bin.resolve("redis-cli"), """
                #!/bin/sh
                echo "redis-cli $* auth=${REDISCLI_AUTH:+env}" >> "$CALLS"
                host=; prev=
                for a in "$@"; do [ "$prev" = -h ] && host=$a; prev=$a; done
                case " $* " in
                  *" SENTINEL "*) [ -n "${FAKE_SENTINEL_SAYS:-}" ] || exit 1; printf '%s\\n6379\\n' "$FAKE_SENTINEL_SAYS" ;;
                  *" ROLE "*) [ "$host" = "${FAKE_PRIMARY_SAYS:-}" ] && printf 'master\\n0\\n' || { [ -n "${FAKE_PRIMARY_SAYS:-}" ] || exit 1; printf 'slave\\n'; } ;;
                esac
                """);
        executable(bin.resolve("redis-server"), "#!/bin/sh\necho \"redis-server $*\" >> \"$CALLS\"\ncp \"$1\" \"$STARTED\"\n");
    }

    record Started(int exit, String output, String calls) {
    }

    /** Runs a start script as the pod {@code hostname} would; what redis-server was given is then in {@link #started()}. */
    Started start(String script, String hostname, Map<String, String> fakes) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("sh", ha.resolve(script).toString()).redirectErrorStream(true);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("HOSTNAME", hostname);
        pb.environment().put("CALLS", log.toString());
        pb.environment().put("STARTED", run.resolve("started.conf").toString());
        pb.environment().remove("REDISCLI_AUTH");
        pb.environment().putAll(fakes);
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(script + " did not finish in 60 s");
        }
        String calls = Files.readString(log);
        Files.writeString(log, "");
        return new Started(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8), calls);
    }

    /** The configuration file redis-server was last started with. */
    String started() throws IOException {
        return Files.readString(run.resolve("started.conf"));
    }

    static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void executable(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
