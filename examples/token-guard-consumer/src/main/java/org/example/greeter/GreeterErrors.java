package org.example.greeter;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The greeter's answers to its own failures, in its own words and format. token-guard answers only its own 401 and
 * 503; every other error (these, an unknown path, a wrong method) is the greeter's, as it wrote it here or as Quarkus
 * answers by default.
 */
public class GreeterErrors {

    @ServerExceptionMapper
    public Response unknownLanguage(UnknownLanguage e) {
        return Response.status(404).type(MediaType.TEXT_PLAIN)
                .entity("The greeter speaks " + String.join(", ", GreetingResource.HELLO.keySet()) + ".").build();
    }

    @ServerExceptionMapper
    public Response userServiceUnavailable(UserServiceUnavailable e) {
        return Response.status(502).type(MediaType.TEXT_PLAIN).entity("The user service did not answer; try again.").build();
    }
}
