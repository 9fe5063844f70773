package dev.suite.auth;

import static dev.suite.auth.AuthClient.PASSWORD;

import io.restassured.path.json.JsonPath;

/**
 * An administrator for tests: a fresh account given the admin role in the database, signed in. Only the owner role
 * can grant it (auth_app may not write roles), as an operator would.
 */
public final class Admins {

    private Admins() {
    }

    /** The access token of a new admin account. */
    public static String token() {
        return signedIn().getString("accessToken");
    }

    /** A new admin account's login answer (its id is user.id, its token accessToken). */
    public static JsonPath signedIn() {
        String email = AuthClient.newEmail();
        AuthClient.register(email, PASSWORD, "Admin").then().statusCode(AuthClient.REGISTERED);
        OwnerDatabase.update("UPDATE account SET roles = 'user,admin' WHERE email = ?", email);
        return AuthClient.login(email, PASSWORD).then().statusCode(200).extract().jsonPath();
    }
}
