package org.example.greeter;

/** The user service (or the auth service, for a service token) did not give the greeter what it asked for. */
public class UserServiceUnavailable extends RuntimeException {

    public UserServiceUnavailable(String reason) {
        super(reason, null, false, false);
    }
}
