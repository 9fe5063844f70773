package dev.suite.bench.hashing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.suite.localstack.SuiteRoot;

class ConfiguredCostTest {

    private static Properties properties(String... lines) {
        Properties properties = new Properties();
        for (String line : lines) {
            properties.setProperty(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
        }
        return properties;
    }

    @Test
    void takesTheDevProfilesValueWithQuarkusPrecedence() {
        Properties application = properties("auth.password.bcrypt-cost=12", "%test.auth.password.bcrypt-cost=4");
        assertThat(ConfiguredCost.bcrypt(application, Map.of())).contains(12);

        application.setProperty("%dev,test.auth.password.bcrypt-cost", "11");
        assertThat(ConfiguredCost.bcrypt(application, Map.of())).contains(11);
        application.setProperty("%dev.auth.password.bcrypt-cost", "10");
        assertThat(ConfiguredCost.bcrypt(application, Map.of())).contains(10);

        assertThat(ConfiguredCost.bcrypt(application, Map.of("AUTH_PASSWORD_BCRYPT_COST", "9"))).contains(9);
        assertThat(ConfiguredCost.bcrypt(application, Map.of("AUTH_PASSWORD_BCRYPT_COST", "9",
                "_DEV_AUTH_PASSWORD_BCRYPT_COST", "8"))).contains(8);
        assertThat(ConfiguredCost.bcrypt(properties("%test.auth.password.bcrypt-cost=4"), Map.of())).isEmpty();
    }

    @Test
    void readsTheApplicationPropertiesPackagedInTheApplicationJar(@TempDir Path app) throws IOException {
        try (ZipOutputStream jar = new ZipOutputStream(Files.newOutputStream(app.resolve("auth-service-1.0.jar")))) {
            jar.putNextEntry(new ZipEntry("application.properties"));
            jar.write("# the home\nauth.password.bcrypt-cost = 13\n".getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }

        Properties packaged = ConfiguredCost.packagedProperties(ConfiguredCost.applicationJar(app));

        assertThat(ConfiguredCost.bcrypt(packaged, Map.of())).contains(13);
    }

    /** The contract with the auth service: the file the bench reads holds the cost, at no less than OWASP's floor. */
    @Test
    void theAuthServicesConfigurationHoldsTheCostOutsideTheTestProfile() throws IOException {
        Properties application = new Properties();
        try (Reader in = Files.newBufferedReader(SuiteRoot.find().resolve("auth-service/src/main/resources/application.properties"))) {
            application.load(in);
        }

        assertThat(ConfiguredCost.bcrypt(application, Map.of())).hasValueSatisfying(cost -> assertThat(cost).isGreaterThanOrEqualTo(10));
    }
}
