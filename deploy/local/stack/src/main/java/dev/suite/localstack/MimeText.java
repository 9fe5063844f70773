package dev.suite.localstack;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough MIME to read the suite's own mail in tests: the headers of a message (unfolded, RFC 2047 words decoded
 * in the subject) and its first text/plain body, transfer encoding (quoted-printable, base64) and charset undone. Not
 * a general MIME parser: the suite sends plain text only.
 */
final class MimeText {

    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?", Pattern.CASE_INSENSITIVE);
    private static final Pattern CHARSET = Pattern.compile("charset=\"?([^\";]+)\"?", Pattern.CASE_INSENSITIVE);
    private static final Pattern ENCODED_WORD = Pattern.compile("=\\?([^?]+)\\?([BbQq])\\?([^?]*)\\?=");

    private MimeText() {
    }

    static LocalSmtp.Message parse(String raw) {
        String normalised = raw.replace("\r\n", "\n");
        Part message = part(normalised);
        String text = textOf(message);
        return new LocalSmtp.Message(decodeWords(message.headers().getOrDefault("subject", "")),
                message.headers().getOrDefault("to", ""), text, raw);
    }

    private record Part(Map<String, String> headers, String body) {
    }

    private static Part part(String text) {
        int end = text.indexOf("\n\n");
        String head = end < 0 ? text : text.substring(0, end);
        String body = end < 0 ? "" : text.substring(end + 2);
        Map<String, String> headers = new LinkedHashMap<>();
        String name = null;
        for (String line : head.split("\n")) {
            if ((line.startsWith(" ") || line.startsWith("\t")) && name != null) {
                headers.merge(name, " " + line.strip(), String::concat);
            } else if (line.contains(":")) {
                name = line.substring(0, line.indexOf(':')).strip().toLowerCase(Locale.ROOT);
                headers.put(name, line.substring(line.indexOf(':') + 1).strip());
            }
        }
        return new Part(headers, body);
    }

    private static String textOf(Part part) {
        String type = part.headers().getOrDefault("content-type", "text/plain");
        if (type.toLowerCase(Locale.ROOT).startsWith("multipart/")) {
            Matcher boundary = BOUNDARY.matcher(type);
            if (!boundary.find()) {
                return "";
            }
            for (String chunk : part.body().split("\n--" + Pattern.quote(boundary.group(1)))) {
                String content = chunk.startsWith("--" + boundary.group(1)) ? chunk.substring(boundary.group(1).length() + 2) : chunk;
                content = content.startsWith("\n") ? content.substring(1) : content;
                Part inner = part(content);
                if (inner.headers().getOrDefault("content-type", "").toLowerCase(Locale.ROOT).startsWith("text/plain")) {
                    return textOf(inner);
                }
            }
            return "";
        }
        Matcher charset = CHARSET.matcher(type);
        Charset encoding = charset.find() ? Charset.forName(charset.group(1)) : StandardCharsets.US_ASCII;
        String transfer = part.headers().getOrDefault("content-transfer-encoding", "7bit").toLowerCase(Locale.ROOT);
        byte[] bytes = switch (transfer) {
            case "quoted-printable" -> quotedPrintable(part.body());
            case "base64" -> Base64.getMimeDecoder().decode(part.body());
            default -> part.body().getBytes(StandardCharsets.ISO_8859_1);
        };
        return new String(bytes, encoding);
    }

    private static byte[] quotedPrintable(String body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String joined = body.replace("=\n", "");
        for (int i = 0; i < joined.length(); i++) {
            char c = joined.charAt(i);
            if (c == '=' && i + 2 < joined.length() && isHex(joined.charAt(i + 1)) && isHex(joined.charAt(i + 2))) {
                out.write(Integer.parseInt(joined.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write((byte) c);
            }
        }
        return out.toByteArray();
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }

    private static String decodeWords(String header) {
        // Blanks between two encoded words are not part of the text (RFC 2047, 6.2).
        Matcher word = ENCODED_WORD.matcher(header.replaceAll("\\?=\\s+=\\?", "?==?"));
        StringBuilder decoded = new StringBuilder();
        while (word.find()) {
            Charset charset = Charset.forName(word.group(1));
            byte[] bytes = word.group(2).equalsIgnoreCase("B") ? Base64.getDecoder().decode(word.group(3))
                    : quotedPrintable(word.group(3).replace('_', ' '));
            word.appendReplacement(decoded, Matcher.quoteReplacement(new String(bytes, charset)));
        }
        word.appendTail(decoded);
        return decoded.toString();
    }
}
