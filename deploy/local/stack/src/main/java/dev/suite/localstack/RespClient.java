package dev.suite.localstack;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A bare RESP2 connection to a Redis (over TLS, {@link LocalRedis#connect}), for tests that must see exactly what the
 * server answers (an error's code, a NOPERM), with nothing of a client library in between (tests, and the local stack's own questions to its servers). Replies come back as text: "+OK", "-NOPERM ...", ":1",
 * the bulk string itself, or "[a, b]" for an array.
 */
public final class RespClient implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    public RespClient(LocalRedis redis) {
        try {
            socket = redis.connect();
            socket.setSoTimeout(20_000);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A connection logged in as USER; fails unless the server says +OK. */
    public static RespClient as(LocalRedis redis, String user, String password) {
        RespClient client = new RespClient(redis);
        String reply = client.call("AUTH", user, password);
        if (!reply.equals("+OK")) {
            client.close();
            throw new IllegalStateException("AUTH " + user + ": " + reply);
        }
        return client;
    }

    public String call(String... command) {
        send(command);
        return reply();
    }

    /** Sends every command before reading any reply (a pipeline), for floods. */
    public List<String> pipeline(List<String[]> commands) {
        commands.forEach(this::send);
        List<String> replies = new ArrayList<>(commands.size());
        for (int i = 0; i < commands.size(); i++) {
            replies.add(reply());
        }
        return replies;
    }

    private void send(String... command) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        write(buffer, "*" + command.length + "\r\n");
        for (String part : command) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            write(buffer, "$" + bytes.length + "\r\n");
            buffer.writeBytes(bytes);
            write(buffer, "\r\n");
        }
        try {
            out.write(buffer.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String reply() {
        String line = line();
        switch (line.charAt(0)) {
            case '$': {
                int length = Integer.parseInt(line.substring(1));
                if (length < 0) {
                    return "(nil)";
                }
                byte[] bytes = new byte[length + 2];
                read(bytes);
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            case '*': {
                int count = Integer.parseInt(line.substring(1));
                List<String> items = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    items.add(reply());
                }
                return items.toString();
            }
            default:
                return line;
        }
    }

    private String line() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try {
            int b;
            while ((b = in.read()) != '\n') {
                if (b < 0) {
                    throw new IOException("connection closed");
                }
                if (b != '\r') {
                    buffer.write(b);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    private void read(byte[] bytes) {
        try {
            int done = 0;
            while (done < bytes.length) {
                int n = in.read(bytes, done, bytes.length - done);
                if (n < 0) {
                    throw new IOException("connection closed");
                }
                done += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(ByteArrayOutputStream buffer, String text) {
        buffer.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
