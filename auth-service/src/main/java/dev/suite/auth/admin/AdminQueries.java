package dev.suite.auth.admin;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.UUID;

import dev.suite.auth.audit.AuditLog;
import dev.suite.problem.Problem;

/** The admin routes' path and query parameters, read strictly: anything malformed is a 400 that names it. */
final class AdminQueries {

    private AdminQueries() {
    }

    /** An account id from the path; one that is not a UUID is no account's, the same 404. */
    static UUID accountId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException | NullPointerException notAnId) {
            throw AccountAdministration.noSuchAccount();
        }
    }

    /** Whether {@code text} holds a C0 control character or DEL (no address does; NUL would not even reach PostgreSQL). */
    static boolean hasControlCharacter(String text) {
        return text.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
    }

    static int size(String size, int byDefault, int max) {
        if (size == null) {
            return byDefault;
        }
        try {
            int value = Integer.parseInt(size);
            if (value >= 1 && value <= max) {
                return value;
            }
        } catch (NumberFormatException notANumber) {
            // the same answer below
        }
        throw Problem.badRequest("size is a whole number from 1 to " + max + ".");
    }

    static UUID optionalId(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException notAnId) {
            throw Problem.badRequest(name + " is an account id (a UUID).");
        }
    }

    static Instant optionalInstant(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant(); // RFC 3339: Z or any offset
        } catch (DateTimeParseException notAnInstant) {
            throw Problem.badRequest(name + " is an instant such as 2026-01-31T12:00:00Z.");
        }
    }

    static Long optionalPosition(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            long position = Long.parseLong(value);
            if (position > 0) {
                return position;
            }
        } catch (NumberFormatException notANumber) {
            // the same answer below
        }
        throw Problem.badRequest(name + " is the next value of the previous page (a positive whole number).");
    }

    static AuditLog.Type optionalType(String value) {
        if (value == null) {
            return null;
        }
        try {
            return AuditLog.Type.valueOf(value);
        } catch (IllegalArgumentException unknown) {
            throw Problem.badRequest("type is one of the audit event types, such as LOGIN_FAILED or ACCOUNT_LOCKED.");
        }
    }
}
