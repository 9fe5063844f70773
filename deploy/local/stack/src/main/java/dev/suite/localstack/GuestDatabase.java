package dev.suite.localstack;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A database owned by a login role of the same name, for a system that is not the suite but is measured next to it on
 * the same server (make bench-peers' Keycloak, which creates its own tables). It gets the suite's rules all the same:
 * TLS and SCRAM only, from loopback only, and no CONNECT to the suite's databases (nor theirs to it).
 */
public record GuestDatabase(String name, String password) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,30}");
    private static final List<String> SUITE_NAMES = List.of("postgres", "template0", "template1", "auth", "users");

    public GuestDatabase {
        if (!NAME.matcher(name).matches() || SUITE_NAMES.contains(name) || name.startsWith("auth_") || name.startsWith("users_")) {
            throw new IllegalArgumentException("Not a guest database name: " + name);
        }
        if (password == null || password.length() < 16) {
            throw new IllegalArgumentException("A guest database needs a generated password of 16 characters or more");
        }
    }

    /** Single-user mode statements, run in database postgres after deploy/db's own. */
    List<String> statements() {
        return List.of(
                "CREATE ROLE " + name + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '"
                        + password.replace("'", "''") + "';",
                "CREATE DATABASE " + name + " OWNER " + name + " ENCODING 'UTF8' TEMPLATE template0;",
                "REVOKE ALL ON DATABASE " + name + " FROM PUBLIC;",
                "GRANT CONNECT ON DATABASE " + name + " TO " + name + ";");
    }

    /** Its pg_hba line for one loopback network: TLS and SCRAM, this role on this database only. */
    String hbaLine(String cidr) {
        return String.format("hostssl    %-9s %-22s %-20s scram-sha-256", name, name, cidr);
    }

    @Override
    public String toString() {
        return "GuestDatabase[" + name + "]"; // never the password
    }
}
