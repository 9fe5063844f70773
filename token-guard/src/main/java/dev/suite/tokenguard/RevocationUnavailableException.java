package dev.suite.tokenguard;

/** Redis did not say whether a token is revoked: the request fails closed with 503, never open. */
public class RevocationUnavailableException extends RuntimeException {

    public RevocationUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
