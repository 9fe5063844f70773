package dev.suite.auth.imports;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The parts of a Keycloak realm export ({@code kc.sh export --realm <name> --file <file>}, or one of its
 * {@code <realm>-users-<n>.json} files) that an import reads: the users. Everything else in the export (clients,
 * roles, groups, flows, second factors) is ignored; nobody gets a role from it.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record KeycloakRealmExport(String realm, List<User> users) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record User(String id, String username, String email, String firstName, String lastName, Boolean enabled,
            String serviceAccountClientId, String federationLink, List<Credential> credentials) {
        @Override
        public String toString() {
            return "User[username=" + username + ", ...]";
        }
    }

    /**
     * One credential. Keycloak 10 and later: {@code secretData} ({@code {"value": <hash>, "salt": <salt>}}) and
     * {@code credentialData} ({@code {"hashIterations": n, "algorithm": ..., "additionalParameters": {...}}}), each a
     * JSON document inside a string. Before Keycloak 10 the same facts were fields of their own.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Credential(String type, String secretData, String credentialData, String hashedSaltedValue, String salt,
            Integer hashIterations, String algorithm) {
        @Override
        public String toString() {
            return "Credential[type=" + type + ", ...]";
        }
    }
}
