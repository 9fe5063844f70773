package dev.suite.auth.password;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The 100,000 most common passwords from breach corpora, as shipped by nbvcxz (dictionaries/passwords.txt),
 * loaded once into a hash set: O(1) per lookup, compared case-insensitively. Loaded at start-up, not lazily by
 * the first registration, which would read the file on an event-loop thread.
 */
@Startup
@ApplicationScoped
public class CommonPasswords {

    static final String RESOURCE = "dictionaries/passwords.txt";

    private final Set<String> passwords;

    CommonPasswords() {
        Set<String> loaded = new HashSet<>(150_000);
        try (InputStream in = CommonPasswords.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path (nbvcxz dependency)");
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                // Lines are "password" or "password:rank".
                int colon = line.lastIndexOf(':');
                String word = colon > 0 ? line.substring(0, colon) : line;
                if (!word.isBlank()) {
                    loaded.add(word.toLowerCase(Locale.ROOT));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.passwords = Set.copyOf(loaded);
    }

    public boolean contains(String password) {
        return passwords.contains(password.toLowerCase(Locale.ROOT));
    }

    public int size() {
        return passwords.size();
    }
}
