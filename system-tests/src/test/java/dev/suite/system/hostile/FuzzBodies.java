package dev.suite.system.hostile;

import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;
import org.quicktheories.generators.Generate;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Request bodies for the fuzz test: none, valid bodies of the API mutated one way (a field dropped or of another
 * type, bytes flipped, truncated, inserted), random JSON with the API's field names, random text and random bytes.
 * Valid bodies carry placeholders for the session's email and password, filled in at send time.
 */
final class FuzzBodies {

    static final byte[] NONE = new byte[0];
    private static final String EMAIL = "@@EMAIL@@";
    private static final String PASSWORD = "@@PASSWORD@@";
    private static final List<String> FIELDS = List.of("email", "password", "displayName", "bio", "locale", "avatarUrl",
            "privateNotes", "refreshToken", "currentPassword", "newPassword", "tokenId", "sessionId", "userId");
    private static final List<String> VALID = List.of(
            "{\"email\":\"" + EMAIL + "\",\"password\":\"" + PASSWORD + "\"}",
            "{\"email\":\"fuzz-new@example.com\",\"password\":\"" + PASSWORD + "\",\"displayName\":\"Fuzz\"}",
            "{\"currentPassword\":\"" + PASSWORD + "\",\"newPassword\":\"another long passphrase 42\"}",
            "{\"bio\":\"hello\",\"locale\":\"pt-BR\",\"displayName\":\"Fuzz\",\"avatarUrl\":\"https://example.com/a.png\",\"privateNotes\":\"n\"}",
            "{\"avatarUrl\":null}", "{\"tokenId\":\"x\"}", "{\"sessionId\":\"" + UUID.randomUUID() + "\"}",
            "{\"userId\":\"" + UUID.randomUUID() + "\"}", "{\"refreshToken\":\"abc\"}");

    private FuzzBodies() {
    }

    static Gen<byte[]> any() {
        return Generate.frequency(List.of(Pair.of(2, Generate.constant(NONE)), Pair.of(5, mutatedValid()),
                Pair.of(3, json(3).map(v -> encode(v).getBytes(StandardCharsets.UTF_8))),
                Pair.of(2, strings().allPossible().ofLengthBetween(1, 200).map(s -> s.getBytes(StandardCharsets.UTF_8))),
                Pair.of(1, Generate.byteArrays(Generate.range(1, 300), Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0)))));
    }

    static Gen<String> printable(int min, int max) {
        return strings().betweenCodePoints(0x20, 0x7e).ofLengthBetween(min, max);
    }

    /** The body to send: placeholders replaced; {@link #NONE} means no body at all. */
    static byte[] fill(byte[] body, String email, String password) {
        if (body.length == 0) {
            return null;
        }
        String text = new String(body, StandardCharsets.ISO_8859_1);
        if (!text.contains("@@")) {
            return body;
        }
        return text.replace(EMAIL, email == null ? "x@example.com" : email).replace(PASSWORD, password)
                .replace("fuzz-new@", "fuzz-" + UUID.randomUUID() + "@").getBytes(StandardCharsets.ISO_8859_1);
    }

    private static Gen<byte[]> mutatedValid() {
        return in -> {
            String valid = Generate.pick(VALID).generate(in);
            int kind = Generate.range(0, 6).generate(in);
            int at = Generate.range(0, valid.length() - 1).generate(in);
            JsonObject object = new JsonObject(valid);
            String field = object.fieldNames().iterator().next();
            String mutated = switch (kind) {
                case 0 -> valid;
                case 1 -> {
                    object.remove(field);
                    yield object.encode();
                }
                case 2 -> {
                    object.put(field, value(in, 2));
                    yield object.encode();
                }
                case 3 -> valid.substring(0, at);
                case 4 -> valid.substring(0, at) + strings().allPossible().ofLengthBetween(1, 8).generate(in) + valid.substring(at);
                case 5 -> new JsonArray().add(object).encode();
                default -> valid + valid;
            };
            byte[] bytes = mutated.getBytes(StandardCharsets.UTF_8);
            if (kind == 6 && bytes.length > 0) {
                bytes[Math.min(at, bytes.length - 1)] = Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0).generate(in);
            }
            return bytes;
        };
    }

    static Gen<Object> json(int depth) {
        return in -> value(in, depth);
    }

    private static Object value(RandomnessSource in, int depth) {
        switch (Generate.range(0, depth > 0 ? 6 : 3).generate(in)) {
            case 0:
                return null;
            case 1:
                return Generate.booleans().generate(in);
            case 2:
                return longs().all().generate(in);
            case 3:
                return strings().allPossible().ofLengthBetween(0, 40).generate(in);
            case 4: {
                JsonArray array = new JsonArray();
                for (int i = Generate.range(0, 4).generate(in); i > 0; i--) {
                    array.add(value(in, depth - 1));
                }
                return array;
            }
            default: {
                JsonObject object = new JsonObject();
                for (int i = Generate.range(0, 5).generate(in); i > 0; i--) {
                    String key = Generate.booleans().generate(in) ? Generate.pick(FIELDS).generate(in)
                            : strings().allPossible().ofLengthBetween(0, 12).generate(in);
                    object.put(key, value(in, depth - 1));
                }
                return object;
            }
        }
    }

    private static String encode(Object value) {
        if (value instanceof JsonObject object) {
            return object.encode();
        }
        if (value instanceof JsonArray array) {
            return array.encode();
        }
        return new JsonArray().add(value).encode().replaceAll("^\\[|\\]$", "");
    }
}
