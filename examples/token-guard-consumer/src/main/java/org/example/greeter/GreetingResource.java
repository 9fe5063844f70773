package org.example.greeter;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import dev.suite.tokenguard.TokenIdentityProvider;
import dev.suite.tokenguard.VerifiedToken;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

/** Greets the signed-in user by the name the user service holds, in the user's language. */
@Path("/greeting")
public class GreetingResource {

    static final Map<String, String> HELLO = new TreeMap<>(Map.of("en", "Hello", "fr", "Bonjour", "de", "Hallo"));

    public record Greeting(String text, String subject, String displayName) {
    }

    public record Caller(String subject, String type, Set<String> groups) {
    }

    public record Hello(String language, String word) {
    }

    private final SecurityIdentity identity;
    private final UserService users;

    GreetingResource(SecurityIdentity identity, UserService users) {
        this.identity = identity;
        this.users = users;
    }

    /** For a user's access token: the name and language come from the user service, called with the greeter's own token. */
    @GET
    @RolesAllowed("user")
    public Uni<Greeting> greet() {
        VerifiedToken token = TokenIdentityProvider.tokenOf(identity);
        return users.card(token.subject()).map(card -> {
            String name = card.map(UserService.Card::displayName).orElse(token.name());
            String hello = HELLO.getOrDefault(card.map(UserService.Card::locale).orElse("en"), HELLO.get("en"));
            return new Greeting(hello + ", " + name, token.subject(), name);
        });
    }

    /** For any token accepted here, a user's or another service's: who called, with which kind of token. */
    @GET
    @Path("/caller")
    @Authenticated
    public Caller caller() {
        VerifiedToken token = TokenIdentityProvider.tokenOf(identity);
        return new Caller(token.subject(), token.type(), new TreeSet<>(identity.getRoles()));
    }

    /** For anyone: the word; a language the greeter does not speak is its own 404 (GreeterErrors). */
    @GET
    @Path("/in/{language}")
    public Hello in(@PathParam("language") String language) {
        String word = HELLO.get(language);
        if (word == null) {
            throw new UnknownLanguage(language);
        }
        return new Hello(language, word);
    }
}
