package dev.suite.auth.imports;

import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.suite.auth.password.ImportedHashes;
import dev.suite.auth.password.ImportedHashes.Refused;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A Keycloak password credential as the suite stores an imported hash ({@link ImportedHashes}), or {@link Refused}
 * with the reason. Keycloak's algorithms: {@code argon2} (its default; type, version, memory, parallelism and hash
 * length in additionalParameters), {@code pbkdf2-sha512}, {@code pbkdf2-sha256}, {@code pbkdf2} (SHA-1), and
 * {@code bcrypt} from the community providers, which keep the whole modular crypt string as the value.
 */
final class KeycloakPasswords {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Decoder BASE64 = Base64.getMimeDecoder();

    // Read by this class's own ObjectMapper, not as a REST body: a native image needs them registered.
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    record SecretData(String value, String salt) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    record CredentialData(Integer hashIterations, String algorithm, Map<String, List<String>> additionalParameters) {
    }

    private KeycloakPasswords() {
    }

    /** The algorithm a credential names (for the audit trail and the report), never its secret parts. */
    static String algorithm(KeycloakRealmExport.Credential credential) {
        return credentialData(credential).algorithm();
    }

    static String storedHash(KeycloakRealmExport.Credential credential) {
        CredentialData data = credentialData(credential);
        SecretData secret = secretData(credential);
        String algorithm = data.algorithm();
        if (algorithm == null || secret.value() == null) {
            throw new Refused("the password credential names no algorithm or no hash");
        }
        return switch (algorithm) {
            case "pbkdf2" -> ImportedHashes.pbkdf2("sha1", iterations(data), bytes("salt", secret.salt()), bytes("hash", secret.value()));
            case "pbkdf2-sha256" -> ImportedHashes.pbkdf2("sha256", iterations(data), bytes("salt", secret.salt()), bytes("hash", secret.value()));
            case "pbkdf2-sha512" -> ImportedHashes.pbkdf2("sha512", iterations(data), bytes("salt", secret.salt()), bytes("hash", secret.value()));
            case "argon2" -> argon2(data, secret);
            case "bcrypt" -> ImportedHashes.bcrypt(secret.value());
            default -> throw new Refused("the password algorithm is not supported (argon2, pbkdf2-sha512, pbkdf2-sha256, pbkdf2 and bcrypt are)");
        };
    }

    private static String argon2(CredentialData data, SecretData secret) {
        Map<String, List<String>> parameters = data.additionalParameters() == null ? Map.of() : data.additionalParameters();
        String type = parameter(parameters, "type", "id");
        int version = switch (parameter(parameters, "version", "1.3")) {
            case "1.3" -> 0x13;
            case "1.0" -> 0x10;
            default -> throw new Refused("argon2 version is not supported (1.3 and 1.0 are)");
        };
        byte[] hash = bytes("hash", secret.value());
        if (number(parameter(parameters, "hashLength", String.valueOf(hash.length))) != hash.length) {
            throw new Refused("argon2 hashLength does not match the hash");
        }
        return ImportedHashes.argon2(type, version, number(parameter(parameters, "memory", "7168")), iterations(data),
                number(parameter(parameters, "parallelism", "1")), bytes("salt", secret.salt()), hash);
    }

    private static CredentialData credentialData(KeycloakRealmExport.Credential credential) {
        if (credential.credentialData() == null) {
            return new CredentialData(credential.hashIterations(), credential.algorithm(), Map.of());
        }
        try {
            return JSON.readValue(credential.credentialData(), CredentialData.class);
        } catch (JsonProcessingException e) {
            throw new Refused("credentialData is not Keycloak's JSON");
        }
    }

    private static SecretData secretData(KeycloakRealmExport.Credential credential) {
        if (credential.secretData() == null) {
            return new SecretData(credential.hashedSaltedValue(), credential.salt());
        }
        try {
            return JSON.readValue(credential.secretData(), SecretData.class);
        } catch (JsonProcessingException e) {
            throw new Refused("secretData is not Keycloak's JSON");
        }
    }

    private static int iterations(CredentialData data) {
        if (data.hashIterations() == null) {
            throw new Refused("the password credential names no hashIterations");
        }
        return data.hashIterations();
    }

    private static String parameter(Map<String, List<String>> parameters, String name, String fallback) {
        List<String> values = parameters.get(name);
        return values == null || values.isEmpty() ? fallback : values.get(0);
    }

    private static int number(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new Refused("an argon2 parameter is not a number");
        }
    }

    private static byte[] bytes(String what, String base64) {
        if (base64 == null) {
            throw new Refused("the password credential has no " + what);
        }
        try {
            return BASE64.decode(base64);
        } catch (IllegalArgumentException e) {
            throw new Refused("the " + what + " is not base64");
        }
    }
}
