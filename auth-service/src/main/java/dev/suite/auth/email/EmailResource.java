package dev.suite.auth.email;

import java.util.UUID;

import dev.suite.client.ClientAddress;
import dev.suite.problem.Problem;
import dev.suite.auth.factor.RecentSecondFactor;
import dev.suite.tokenguard.TokenIdentityProvider;
import dev.suite.tokenguard.VerifiedToken;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The account's address: its state, a new confirmation link, a change, and the three links' confirmations. */
@Path("/email")
public class EmailResource {

    /**
     * The token of a link travels here, in the body: never in a URL, so never in a log line or a Referer. Its routes
     * consume JSON only: RESTEasy would otherwise build a record of one text field from a plain-text body too
     * (JsonBodiesOnlyTest).
     */
    public record TokenBody(String token) {
        @Override
        public String toString() {
            return "TokenBody[...]";
        }
    }

    public record ChangeRequest(String currentPassword, String newEmail) {
        @Override
        public String toString() {
            return "ChangeRequest[...]"; // never the password
        }
    }

    static final String VERIFICATION_SENT = "{\"status\":\"accepted\",\"detail\":\"Unless the address is confirmed already, a new link "
            + "to confirm it is on its way. It works once, for 24 hours.\"}";
    /** The one answer to every change asked with the right password, whoever has the new address. */
    static final String CHANGE_SENT = "{\"status\":\"accepted\",\"detail\":\"If this address can be used, a link to confirm it is on its "
            + "way there. Nothing changes until it is opened; it works once, for 60 minutes.\"}";

    private final EmailService emails;
    private final SecurityIdentity identity;
    private final RecentSecondFactor stepUp;

    EmailResource(EmailService emails, SecurityIdentity identity, RecentSecondFactor stepUp) {
        this.emails = emails;
        this.identity = identity;
        this.stepUp = stepUp;
    }

    @GET
    @RolesAllowed("user")
    public Uni<EmailService.Status> status() {
        return emails.status(UUID.fromString(TokenIdentityProvider.tokenOf(identity).subject()));
    }

    @POST
    @Path("/verification")
    @RolesAllowed("user")
    public Uni<Response> resendVerification(@Context HttpServerRequest http) {
        return emails.resendVerification(UUID.fromString(TokenIdentityProvider.tokenOf(identity).subject()), ClientAddress.of(http))
                .map(ignored -> Response.accepted(VERIFICATION_SENT).type(MediaType.APPLICATION_JSON).build());
    }

    @POST
    @Path("/verification/confirm")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON) // one field: see TokenBody
    public Uni<Response> confirmVerification(TokenBody body, @Context HttpServerRequest http) {
        return emails.confirmVerification(tokenOf(body), ClientAddress.of(http)).map(ignored -> Response.noContent().build());
    }

    @POST
    @Path("/change")
    @RolesAllowed("user")
    public Uni<Response> requestChange(ChangeRequest request, @Context HttpServerRequest http) {
        if (request == null) {
            throw Problem.badRequest("A JSON body with currentPassword and newEmail is required.");
        }
        VerifiedToken token = TokenIdentityProvider.tokenOf(identity);
        // An account with a second factor moves its address (and so its notices and reset links) only soon after a
        // sign-in with it (step-up, issue 22 item 5), as for a password change.
        return stepUp.requireIfFactor(token).chain(() -> emails.requestChange(UUID.fromString(token.subject()),
                        UUID.fromString(token.sessionId()), request.currentPassword(), request.newEmail(), ClientAddress.of(http)))
                .map(ignored -> Response.accepted(CHANGE_SENT).type(MediaType.APPLICATION_JSON).build());
    }

    @POST
    @Path("/change/confirm")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON) // one field: see TokenBody
    public Uni<Response> confirmChange(TokenBody body, @Context HttpServerRequest http) {
        return emails.confirmChange(tokenOf(body), ClientAddress.of(http)).map(ignored -> Response.noContent().build());
    }

    @POST
    @Path("/change/undo")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON) // one field: see TokenBody
    public Uni<Response> undoChange(TokenBody body, @Context HttpServerRequest http) {
        return emails.undoChange(tokenOf(body), ClientAddress.of(http)).map(ignored -> Response.noContent().build());
    }

    private static String tokenOf(TokenBody body) {
        if (body == null) {
            throw Problem.badRequest("A JSON body with token is required.");
        }
        return body.token();
    }
}
