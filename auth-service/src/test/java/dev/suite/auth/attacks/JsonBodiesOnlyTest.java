package dev.suite.auth.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.suite.auth.AuthClient;
import dev.suite.fixtures.SharedStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;

/**
 * Every body this service reads is JSON. RESTEasy Reactive would also build a body of one text field (a record with
 * one String component, such as {@code {"refreshToken": ...}}) from a raw {@code text/plain} body, through the record's
 * constructor: a refresh token, an address or a link's token sent as plain text would then work, with a content type
 * a cross-site form may send without a CORS preflight, and an empty one was answered with a bare 400 that bypassed the
 * problem+json mapping (found by the gateway's fuzzer). Each such route refuses plain text with 415 instead.
 */
@QuarkusTest
@QuarkusTestResource(SharedStack.class)
class JsonBodiesOnlyTest {

    @Test
    void aRefreshTokenSentAsPlainTextRefreshesNothing() {
        JsonPath session = AuthClient.signedIn();
        Response answer = plainText("/refresh", session.getString("refreshToken"));
        assertRefused(answer);
        // The token was not spent: JSON still refreshes with it.
        AuthClient.refresh(session.getString("refreshToken")).then().statusCode(200);
    }

    @Test
    void everyRouteWithABodyOfOneFieldRefusesPlainTextAlsoWhenEmpty() {
        for (String path : new String[] { "/refresh", "/password-reset", "/email/verification/confirm", "/email/change/confirm",
                "/email/change/undo" }) {
            for (String body : new String[] { "", "someone@example.com", "A".repeat(43) }) {
                assertRefused(plainText(path, body));
            }
        }
    }

    /**
     * The class of bug, not only today's routes: a resource method whose body type RESTEasy can build from one string
     * (a public constructor or a static valueOf/fromString taking a String) must say which media type it consumes.
     */
    @Test
    void noRouteLeavesAOneStringBodyToBeReadFromPlainText() throws Exception {
        Path classes = Path.of("target/classes");
        List<String> undeclared = new ArrayList<>();
        int bodies = 0;
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name, false, Thread.currentThread().getContextClassLoader());
                for (Method method : type.getDeclaredMethods()) {
                    if (Stream.of(POST.class, PUT.class, PATCH.class, DELETE.class).noneMatch(method::isAnnotationPresent)) {
                        continue;
                    }
                    for (Parameter parameter : method.getParameters()) {
                        if (parameter.getAnnotations().length == 0 && !parameter.getType().getName().startsWith("io.vertx")) {
                            bodies++;
                            if (fromOneString(parameter.getType()) && !method.isAnnotationPresent(Consumes.class)
                                    && !type.isAnnotationPresent(Consumes.class)) {
                                undeclared.add(type.getSimpleName() + "." + method.getName());
                            }
                        }
                    }
                }
            }
        }
        assertThat(bodies).as("request bodies found (the scan sees the resources)").isGreaterThan(10);
        assertThat(undeclared).isEmpty();
    }

    private static boolean fromOneString(Class<?> type) {
        try {
            type.getConstructor(String.class);
            return true;
        } catch (NoSuchMethodException e) {
            return Stream.of("valueOf", "fromString").anyMatch(name -> {
                try {
                    return Modifier.isStatic(type.getMethod(name, String.class).getModifiers());
                } catch (NoSuchMethodException notThere) {
                    return false;
                }
            });
        }
    }

    private static Response plainText(String path, String body) {
        return AuthClient.from(AuthClient.newClientAddress()).contentType("text/plain").body(body).post(path);
    }

    private static void assertRefused(Response answer) {
        assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(415);
        assertThat(answer.contentType()).startsWith("application/problem+json");
    }
}
