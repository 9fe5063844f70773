package dev.suite.auth.audit;

import java.util.List;

/**
 * One page of the audit trail, newest first. {@code next} is the {@code before} of the following page (the last id
 * here), or null when this page is the last.
 */
public record AuditPage(List<AuditEntry> events, Long next) {
}
