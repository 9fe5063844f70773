package dev.suite.bench.hashing;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bcrypt cost the auth service runs with under make run (and so under the bench): its dev-profile
 * setting if application.properties has one, else the {@code @WithDefault} of PasswordConfig.bcryptCost().
 * Read from the sources so the bench never states a cost the service does not use.
 */
public final class ConfiguredCost {

    private static final String KEY = "auth.password.bcrypt-cost";
    private static final Pattern DEFAULT = Pattern.compile("@WithDefault\\(\"(\\d+)\"\\)\\s*int\\s+bcryptCost\\(\\)");

    private ConfiguredCost() {
    }

    public static int bcrypt(Path root) {
        Path auth = root.resolve("auth-service/src/main");
        try {
            Properties properties = new Properties();
            properties.load(new StringReader(Files.readString(auth.resolve("resources/application.properties"))));
            // A profiled key whose profiles include dev wins over the plain key, as in Quarkus.
            for (String key : properties.stringPropertyNames()) {
                if (key.startsWith("%") && key.endsWith("." + KEY)
                        && List.of(key.substring(1, key.indexOf('.')).split(",")).contains("dev")) {
                    return Integer.parseInt(properties.getProperty(key).trim());
                }
            }
            if (properties.getProperty(KEY) != null) {
                return Integer.parseInt(properties.getProperty(KEY).trim());
            }
            Matcher matcher = DEFAULT.matcher(Files.readString(auth.resolve("java/dev/suite/auth/password/PasswordConfig.java")));
            if (matcher.find()) {
                return Integer.parseInt(matcher.group(1));
            }
        } catch (IOException | RuntimeException e) {
            // fall through to the failure below
        }
        throw new IllegalStateException("Cannot find auth-service's bcrypt cost in " + auth);
    }
}
