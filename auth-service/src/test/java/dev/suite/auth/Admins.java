package dev.suite.auth;

import static dev.suite.auth.AuthClient.PASSWORD;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** An administrator for tests: a fresh account given the admin role in the database, signed in. */
public final class Admins {

    private Admins() {
    }

    /** The access token of a new admin account. */
    public static String token(Pool database) {
        String email = AuthClient.newEmail();
        AuthClient.register(email, PASSWORD, "Admin").then().statusCode(AuthClient.REGISTERED);
        database.preparedQuery("UPDATE account SET roles = 'user,admin' WHERE email = $1").execute(Tuple.of(email))
                .await().indefinitely();
        return AuthClient.login(email, PASSWORD).then().statusCode(200).extract().jsonPath().getString("accessToken");
    }
}
