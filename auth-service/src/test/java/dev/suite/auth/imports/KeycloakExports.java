package dev.suite.auth.imports;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.bouncycastle.crypto.params.Argon2Parameters;

import dev.suite.auth.password.KeycloakStyleHashes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Realm exports shaped as Keycloak writes them (secretData and credentialData as JSON inside strings), made at test time. */
final class KeycloakExports {

    private static final Base64.Encoder B64 = Base64.getEncoder();

    private KeycloakExports() {
    }

    static JsonObject realm(JsonObject... users) {
        return new JsonObject().put("realm", "migrating").put("enabled", true).put("clients", new JsonArray())
                .put("users", new JsonArray(List.of((Object[]) users)));
    }

    static JsonObject user(String email, JsonObject... credentials) {
        return new JsonObject().put("id", java.util.UUID.randomUUID().toString()).put("username", email.substring(0, email.indexOf('@')))
                .put("enabled", true).put("email", email).put("emailVerified", true).put("firstName", "Ada").put("lastName", "Lovelace")
                .put("realmRoles", new JsonArray().add("default-roles-migrating").add("admin"))
                .put("credentials", new JsonArray(List.of((Object[]) credentials)));
    }

    /** A password credential as Keycloak exports it. */
    static JsonObject credential(String algorithm, int iterations, byte[] salt, String value, Map<String, List<String>> parameters) {
        JsonObject secret = new JsonObject().put("value", value).put("salt", salt == null ? "" : B64.encodeToString(salt))
                .put("additionalParameters", new JsonObject());
        JsonObject data = new JsonObject().put("hashIterations", iterations).put("algorithm", algorithm)
                .put("additionalParameters", new JsonObject(new java.util.HashMap<>(parameters)));
        return new JsonObject().put("id", java.util.UUID.randomUUID().toString()).put("type", "password")
                .put("createdDate", 1764633600000L).put("secretData", secret.encode()).put("credentialData", data.encode());
    }

    /** Keycloak's pbkdf2 family at a small iteration count (the count is part of the credential). */
    static JsonObject pbkdf2(String algorithm, String password) {
        String prf = switch (algorithm) {
            case "pbkdf2" -> "sha1";
            case "pbkdf2-sha256" -> "sha256";
            case "pbkdf2-sha512" -> "sha512";
            default -> throw new IllegalArgumentException(algorithm);
        };
        KeycloakStyleHashes.Hash hash = KeycloakStyleHashes.pbkdf2(prf, password, 1_000, "sha256".equals(prf) ? 32 : 64);
        return credential(algorithm, 1_000, hash.salt(), B64.encodeToString(hash.value()), Map.of());
    }

    /** Keycloak's default: argon2id, version 1.3, 7168 KiB, 5 iterations, 1 lane, 32 bytes. */
    static JsonObject argon2(String password) {
        KeycloakStyleHashes.Hash hash = KeycloakStyleHashes.argon2(Argon2Parameters.ARGON2_id, password, 7168, 5, 1, 32);
        return credential("argon2", 5, hash.salt(), B64.encodeToString(hash.value()), Map.of("type", List.of("id"),
                "version", List.of("1.3"), "memory", List.of("7168"), "parallelism", List.of("1"), "hashLength", List.of("32")));
    }

    /** As the community bcrypt providers store it: the whole modular crypt string as the value, no salt of its own. */
    static JsonObject bcrypt(String password) {
        return credential("bcrypt", 4, null, KeycloakStyleHashes.bcrypt(password, 4), Map.of());
    }

    static List<String> algorithms() {
        return new ArrayList<>(List.of("argon2", "pbkdf2-sha512", "pbkdf2-sha256", "pbkdf2", "bcrypt"));
    }

    static JsonObject credentialFor(String algorithm, String password) {
        return switch (algorithm) {
            case "argon2" -> argon2(password);
            case "bcrypt" -> bcrypt(password);
            default -> pbkdf2(algorithm, password);
        };
    }
}
