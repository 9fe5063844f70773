package dev.suite.bench.hashing;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The bcrypt cost the auth service runs with under the bench (its dev profile, as make run): read from the
 * application.properties packaged in the very jar the bench starts, the one home of that setting, with Quarkus's
 * precedence: this process's environment (which the service inherits), then the dev-profile key, then the plain one.
 */
public final class ConfiguredCost {

    static final String KEY = "auth.password.bcrypt-cost";
    private static final String PROFILE = "dev";
    private static final String APPLICATION_JARS = "auth-service/target/quarkus-app/app";

    private ConfiguredCost() {
    }

    public static int bcrypt(Path root) {
        Path jar = applicationJar(root.resolve(APPLICATION_JARS));
        return bcrypt(packagedProperties(jar), System.getenv())
                .orElseThrow(() -> new IllegalStateException("No " + KEY + " in " + jar + "!/application.properties"));
    }

    /** The value Quarkus would take in the dev profile from these sources (environment first), if any. */
    static Optional<Integer> bcrypt(Properties application, Map<String, String> environment) {
        String variable = KEY.toUpperCase().replaceAll("[^A-Z0-9]", "_");
        return Stream.of(environment.get("_" + PROFILE.toUpperCase() + "_" + variable), environment.get(variable),
                        application.getProperty("%" + PROFILE + "." + KEY), inMultiProfileKey(application),
                        application.getProperty(KEY))
                .filter(value -> value != null && !value.isBlank()).findFirst().map(value -> Integer.parseInt(value.trim()));
    }

    /** A {@code %dev,test.key} line: one key for several profiles, below a key of the profile alone. */
    private static String inMultiProfileKey(Properties application) {
        return application.stringPropertyNames().stream()
                .filter(key -> key.startsWith("%") && key.endsWith("." + KEY))
                .filter(key -> List.of(key.substring(1, key.length() - KEY.length() - 1).split(",")).contains(PROFILE))
                .findFirst().map(application::getProperty).orElse(null);
    }

    /** The application's own jar of a Quarkus fast-jar (quarkus-app/app/): its classes and application.properties. */
    static Path applicationJar(Path appDir) {
        try (Stream<Path> files = Files.list(appDir)) {
            List<Path> jars = files.filter(f -> f.getFileName().toString().endsWith(".jar")).toList();
            if (jars.size() != 1) {
                throw new IllegalStateException("Expected one application jar in " + appDir + ", found " + jars);
            }
            return jars.get(0);
        } catch (IOException e) {
            throw new IllegalStateException("Missing " + appDir + ": build the auth service first (make build).", e);
        }
    }

    static Properties packagedProperties(Path jar) {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.getEntry("application.properties");
            if (entry == null) {
                throw new IllegalStateException("No application.properties in " + jar);
            }
            Properties properties = new Properties();
            try (InputStream in = zip.getInputStream(entry)) {
                properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            }
            return properties;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + jar, e);
        }
    }
}
