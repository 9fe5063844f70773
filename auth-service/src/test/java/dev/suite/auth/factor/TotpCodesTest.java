package dev.suite.auth.factor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;

/** RFC 6238 Appendix B's test vectors (SHA-1, 8 digits), and the rules this service adds: the window and single use. */
class TotpCodesTest {

    private static final byte[] RFC_SECRET = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest
    @CsvSource({ "59, 94287082", "1111111109, 07081804", "1111111111, 14050471", "1234567890, 89005924",
            "2000000000, 69279037", "20000000000, 65353130" })
    void rfc6238Vectors(long epochSeconds, String expected) {
        TotpCodes rfc = new TotpCodes(8, TimeBasedOneTimePasswordGenerator.TOTP_ALGORITHM_HMAC_SHA1);
        assertThat(rfc.codeAt(RFC_SECRET, TotpCodes.stepOf(Instant.ofEpochSecond(epochSeconds)))).isEqualTo(expected);
    }

    @Test
    void aCodeIsAcceptedFromOneStepEitherSideAndNeverAgainOnceItsStepWasUsed() {
        TotpCodes codes = new TotpCodes();
        byte[] secret = TotpCodes.newSecret();
        Instant now = Instant.ofEpochSecond(1_700_000_000L);
        long step = TotpCodes.stepOf(now);

        assertThat(codes.matchingStep(secret, codes.codeAt(secret, step), now, null)).hasValue(step);
        assertThat(codes.matchingStep(secret, codes.codeAt(secret, step - 1), now, null)).hasValue(step - 1);
        assertThat(codes.matchingStep(secret, codes.codeAt(secret, step + 1), now, null)).hasValue(step + 1);
        assertThat(codes.matchingStep(secret, codes.codeAt(secret, step - 2), now, null)).as("too old").isEmpty();
        assertThat(codes.matchingStep(secret, codes.codeAt(secret, step + 2), now, null)).as("too far ahead").isEmpty();

        // The attack: the same code again, and an older one, once a step was used.
        assertThat(codes.matchingStep(secret, codes.codeAt(secret, step), now, step)).as("replayed").isEmpty();
        assertThat(codes.matchingStep(secret, codes.codeAt(secret, step - 1), now, step)).as("older than the last used").isEmpty();
        assertThat(codes.matchingStep(secret, codes.codeAt(secret, step + 1), now, step)).hasValue(step + 1);
    }

    @Test
    void theOtpauthUriCarriesTheBase32SecretAndTheIssuer() {
        byte[] secret = RFC_SECRET;
        assertThat(TotpCodes.otpauthUri("Secure suite", "me@example.com", secret))
                .isEqualTo("otpauth://totp/Secure%20suite:me%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
                        + "&issuer=Secure%20suite&algorithm=SHA1&digits=6&period=30");
    }
}
