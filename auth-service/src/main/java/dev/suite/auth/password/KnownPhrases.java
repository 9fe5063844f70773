package dev.suite.auth.password;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Famous phrases (passwords/known-phrases.txt) that crackers' phrase lists try first. The guess estimator only
 * knows single words and short passwords, so "thequickbrownfoxjumpsoverthelazydog" scores as 63 bits of random
 * words: this catches a known phrase, a long piece of one, or one padded with a few characters, however it is
 * spaced, punctuated or capitalised.
 */
@Startup
@ApplicationScoped
public class KnownPhrases {

    static final String RESOURCE = "passwords/known-phrases.txt";

    /** A piece of a phrase at least this long is as guessable as the phrase (e.g. "thequickbrownfox"). */
    private static final int MIN_PIECE = 10;
    /** A whole phrase with at most this many characters added is still the phrase ("...lazydog2024!"). */
    private static final int MAX_PADDING = 6;

    private final List<String> phrases;

    KnownPhrases() {
        List<String> loaded = new ArrayList<>();
        try (InputStream in = KnownPhrases.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                String phrase = lettersAndDigits(line);
                if (!line.startsWith("#") && !phrase.isEmpty()) {
                    loaded.add(phrase);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.phrases = List.copyOf(loaded);
    }

    public boolean matches(String password) {
        String plain = lettersAndDigits(password);
        String core = plain.replaceAll("^[0-9]+|[0-9]+$", "");
        for (String phrase : phrases) {
            if (core.length() >= MIN_PIECE && phrase.contains(core)) {
                return true;
            }
            if (plain.length() - phrase.length() <= MAX_PADDING && plain.contains(phrase)) {
                return true;
            }
        }
        return false;
    }

    static String lettersAndDigits(String text) {
        StringBuilder kept = new StringBuilder(text.length());
        text.toLowerCase(Locale.ROOT).codePoints().filter(Character::isLetterOrDigit).forEach(kept::appendCodePoint);
        return kept.toString();
    }
}
