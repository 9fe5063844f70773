package dev.suite.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders the files of {@code deploy/db} for one cluster. {@code init.sql} is written for psql (its
 * {@code :'name'} variables and {@code \connect} lines); here it becomes statements per database for
 * PostgreSQL's single-user mode, so no superuser ever logs in over the network.
 */
public final class DatabaseScripts {

    private static final Pattern VARIABLE = Pattern.compile(":'([a-z_]+)'");
    private static final Pattern CLIENTS = Pattern.compile("\\{\\{([a-z_]+)}}");

    /** The statements to run in one database, in order. */
    public record Step(String database, List<String> statements) {
    }

    private final Path dir;

    public DatabaseScripts(Path dir) {
        this.dir = dir;
    }

    public Path postgresqlConf() {
        return dir.resolve("postgresql.conf");
    }

    /** {@code init.sql}, then {@code vault-admin.sql} (the role of Vault's database engine), as Kubernetes runs them. */
    public List<Step> init(Map<String, String> variables) {
        List<Step> steps = new ArrayList<>(steps("init.sql", variables));
        steps.addAll(steps("vault-admin.sql", variables));
        return steps;
    }

    private List<Step> steps(String file, Map<String, String> variables) {
        List<Step> steps = new ArrayList<>();
        String database = "postgres";
        List<String> statements = new ArrayList<>();
        StringBuilder statement = new StringBuilder();
        for (String line : read(file)) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            if (trimmed.startsWith("\\connect ")) {
                steps.add(new Step(database, statements));
                database = trimmed.substring("\\connect ".length()).strip();
                statements = new ArrayList<>();
                continue;
            }
            statement.append(substitute(trimmed, variables)).append(' ');
            if (trimmed.endsWith(";")) {
                statements.add(statement.toString().strip());
                statement.setLength(0);
            }
        }
        if (!statement.isEmpty()) {
            throw new IllegalStateException(file + " ends inside a statement: " + statement);
        }
        steps.add(new Step(database, statements));
        return steps;
    }

    /** pg_hba.conf with each {@code {{name}}} line repeated once per network of that name. */
    public String pgHba(Map<String, List<String>> networks) {
        StringBuilder out = new StringBuilder();
        for (String line : read("pg_hba.conf")) {
            Matcher m = CLIENTS.matcher(line);
            if (!m.find()) {
                out.append(line).append('\n');
                continue;
            }
            List<String> cidrs = networks.get(m.group(1));
            if (cidrs == null || cidrs.isEmpty()) {
                throw new IllegalArgumentException("No networks given for {{" + m.group(1) + "}} in pg_hba.conf");
            }
            for (String cidr : cidrs) {
                out.append(line.replace(m.group(), cidr)).append('\n');
            }
        }
        return out.toString();
    }

    private static String substitute(String line, Map<String, String> variables) {
        Matcher m = VARIABLE.matcher(line);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = variables.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("No value given for :'" + m.group(1) + "' in deploy/db");
            }
            m.appendReplacement(out, Matcher.quoteReplacement("'" + value.replace("'", "''") + "'"));
        }
        m.appendTail(out);
        return out.toString();
    }

    private List<String> read(String name) {
        try {
            return Files.readAllLines(dir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + dir.resolve(name), e);
        }
    }
}
