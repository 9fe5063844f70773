package dev.suite.names;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.BitSet;

import dev.suite.problem.Problem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The rules a display name follows wherever one is accepted (registration, profile edits), read from
 * {@code display-name-rules.json}, the file the SPA checks names with too: one limit and one wording for browser and
 * server. A name is stored in NFC (what looks the same is stored the same); it is one line, has no characters that
 * reorder text (an override makes "Eve txt.exe" read "Eve exe.txt"), and at least one character a reader can see
 * (a name of zero-width spaces renders as nothing). Refused, never cut: a name over the limit is an error that says so.
 */
public final class DisplayName {

    private static final JsonObject RULES = load();
    public static final int MAX_LENGTH = RULES.getInteger("maxLength");
    private static final BitSet DIRECTION_CONTROLS = codePoints(RULES.getJsonArray("directionControls"));
    private static final BitSet INVISIBLE_LETTERS = codePoints(RULES.getJsonArray("invisibleLetters"));
    private static final JsonObject MESSAGES = RULES.getJsonObject("messages");

    private DisplayName() {
    }

    /** The name as it is to be stored (NFC, without surrounding spaces); a 400 problem saying what to change otherwise. */
    public static String accept(String raw) {
        String name = raw == null ? "" : Normalizer.normalize(raw, Normalizer.Form.NFC).strip();
        if (name.isEmpty()) {
            throw refused("required");
        }
        if (name.codePoints().anyMatch(DIRECTION_CONTROLS::get)) {
            throw refused("direction");
        }
        if (name.codePoints().anyMatch(DisplayName::breaksTheLine)) {
            throw refused("control");
        }
        if (name.codePoints().noneMatch(DisplayName::isVisible)) {
            throw refused("invisible");
        }
        int length = name.codePointCount(0, name.length());
        if (length > MAX_LENGTH) {
            throw Problem.badRequest(MESSAGES.getString("tooLong").replace("{max}", String.valueOf(MAX_LENGTH))
                    .replace("{length}", String.valueOf(length)));
        }
        return name;
    }

    private static boolean breaksTheLine(int c) {
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.SURROGATE || type == Character.UNASSIGNED;
    }

    /** Ink on the screen: not a space, not a format character (zero-width ones), not a mark alone, not a blank letter. */
    private static boolean isVisible(int c) {
        int type = Character.getType(c);
        return !Character.isWhitespace(c) && !Character.isSpaceChar(c) && type != Character.FORMAT
                && type != Character.NON_SPACING_MARK && type != Character.ENCLOSING_MARK && !INVISIBLE_LETTERS.get(c);
    }

    private static Problem refused(String rule) {
        return Problem.badRequest(MESSAGES.getString(rule));
    }

    private static BitSet codePoints(JsonArray ranges) {
        BitSet set = new BitSet();
        for (Object range : ranges) {
            String[] ends = range.toString().split("-");
            set.set(Integer.parseInt(ends[0], 16), Integer.parseInt(ends[ends.length - 1], 16) + 1);
        }
        return set;
    }

    private static JsonObject load() {
        try (InputStream in = DisplayName.class.getResourceAsStream("display-name-rules.json")) {
            if (in == null) {
                throw new IllegalStateException("display-name-rules.json is missing from the class path");
            }
            return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
