package dev.suite.auth.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;

import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Hashes imported from Keycloak, one test per format it makes: the right password verifies and asks for a rehash,
 * which then gives the suite's own hash; a wrong one, or one differing by a single character, does not. Then the
 * attacks: parameters that would make one sign-in burn the hashing pool, and strings the import never writes.
 */
class ImportedHashesTest {

    private static final String PASSWORD = "lantern meadow harbour kestrel";
    private final PasswordHashing hashing = new PasswordHashing(TestPasswordConfig.bcrypt(4), new HashingPool(TestPasswordConfig.bcrypt(4)));

    @ParameterizedTest
    @ValueSource(strings = { "sha256:32", "sha512:64", "sha1:64", "sha256:64" })
    void pbkdf2AsKeycloakStoresItVerifiesAndIsUpgraded(String prfAndLength) {
        String prf = prfAndLength.split(":")[0];
        int length = Integer.parseInt(prfAndLength.split(":")[1]);
        // Fewer iterations than Keycloak's defaults keep the test fast; the count is read from the stored hash.
        KeycloakStyleHashes.Hash hash = KeycloakStyleHashes.pbkdf2(prf, PASSWORD, 2_000, length);
        assertVerifiesAndUpgrades(ImportedHashes.pbkdf2(prf, 2_000, hash.salt(), hash.value()), "$imp1$pbkdf2-" + prf + "$i=2000$");
    }

    @Test
    void argon2idAsKeycloakStoresItByDefaultVerifiesAndIsUpgraded() {
        KeycloakStyleHashes.Hash hash = KeycloakStyleHashes.argon2(Argon2Parameters.ARGON2_id, PASSWORD, 7168, 5, 1, 32);
        assertVerifiesAndUpgrades(ImportedHashes.argon2("id", 0x13, 7168, 5, 1, hash.salt(), hash.value()),
                "$imp1$argon2id$v=19$m=7168,t=5,p=1$");
    }

    @Test
    void argon2iVerifiesToo() {
        KeycloakStyleHashes.Hash hash = KeycloakStyleHashes.argon2(Argon2Parameters.ARGON2_i, PASSWORD, 1024, 2, 2, 32);
        assertVerifiesAndUpgrades(ImportedHashes.argon2("i", 0x13, 1024, 2, 2, hash.salt(), hash.value()), "$imp1$argon2i$");
    }

    @Test
    void bcryptVerifiesAndIsUpgraded() {
        assertVerifiesAndUpgrades(ImportedHashes.bcrypt(KeycloakStyleHashes.bcrypt(PASSWORD, 4)), "$imp1$2a$04$");
    }

    @Test
    void aPasswordThatNfkcWouldChangeVerifiesAsTyped() {
        // Full-width letters and a decomposed accent: Keycloak hashes the characters as typed. A verifier that
        // normalised first (Elytron's SCRAM passwords do, to NFKC) would lock this user out.
        String typed = "ｆｕｌｌ ｗｉｄｔｈ cafe\u0301 lantern";
        KeycloakStyleHashes.Hash hash = KeycloakStyleHashes.pbkdf2("sha256", typed, 1_000, 32);
        String stored = ImportedHashes.pbkdf2("sha256", 1_000, hash.salt(), hash.value());
        assertThat(hashing.verifyNow(typed, stored).matches()).isTrue();
        assertThat(hashing.verifyNow("full width café lantern", stored).matches()).isFalse();
    }

    @Test
    void absurdWorkIsRefusedAtImport() {
        byte[] salt = KeycloakStyleHashes.salt();
        byte[] value = new byte[32];
        assertThatThrownBy(() -> ImportedHashes.pbkdf2("sha256", 1_000_000_000, salt, value)).isInstanceOf(ImportedHashes.Refused.class)
                .hasMessageContaining("iterations");
        assertThatThrownBy(() -> ImportedHashes.pbkdf2("sha256", ImportedHashes.MAX_PBKDF2_ITERATIONS + 1, salt, value))
                .isInstanceOf(ImportedHashes.Refused.class);
        assertThatThrownBy(() -> ImportedHashes.pbkdf2("sha256", 1000, salt, new byte[4096])).isInstanceOf(ImportedHashes.Refused.class)
                .hasMessageContaining("hash");
        assertThatThrownBy(() -> ImportedHashes.argon2("id", 0x13, 4 * 1024 * 1024, 5, 1, salt, value)).isInstanceOf(ImportedHashes.Refused.class)
                .hasMessageContaining("memory");
        assertThatThrownBy(() -> ImportedHashes.argon2("id", 0x13, 7168, 1000, 1, salt, value)).isInstanceOf(ImportedHashes.Refused.class);
        assertThatThrownBy(() -> ImportedHashes.argon2("id", 0x13, 7168, 5, 64, salt, value)).isInstanceOf(ImportedHashes.Refused.class);
        assertThatThrownBy(() -> ImportedHashes.bcrypt("$2a$31$" + "a".repeat(53))).isInstanceOf(ImportedHashes.Refused.class)
                .hasMessageContaining("cost");
    }

    @Test
    void unknownFormatsAreRefusedAtImport() {
        byte[] salt = KeycloakStyleHashes.salt();
        assertThatThrownBy(() -> ImportedHashes.pbkdf2("md5", 1000, salt, new byte[32])).isInstanceOf(ImportedHashes.Refused.class);
        assertThatThrownBy(() -> ImportedHashes.argon2("d", 0x13, 7168, 5, 1, salt, new byte[32])).isInstanceOf(ImportedHashes.Refused.class);
        assertThatThrownBy(() -> ImportedHashes.bcrypt("$1$md5crypt$abcdefgh")).isInstanceOf(ImportedHashes.Refused.class);
    }

    @Test
    void aStoredHashBeyondTheBoundsNeverVerifiesAndCostsNothing() {
        // Written straight into the database (not by an import): 10^9 iterations would be minutes of CPU. The bound is
        // checked before any work, so this answers at once, and no.
        String salt = Base64.getEncoder().withoutPadding().encodeToString(KeycloakStyleHashes.salt());
        String absurd = "$imp1$pbkdf2-sha256$i=1000000000$" + salt + "$" + salt + salt;
        assertThat(hashing.verifyNow(PASSWORD, absurd)).isEqualTo(new PasswordHashing.Verification(false, false));
        String absurdArgon2 = "$imp1$argon2id$v=19$m=4194304,t=1,p=1$" + salt + "$" + salt + salt;
        assertThat(hashing.verifyNow(PASSWORD, absurdArgon2).matches()).isFalse();
        assertThat(hashing.verifyNow(PASSWORD, "$imp1$2a$31$" + "a".repeat(53)).matches()).isFalse();
        for (String garbage : new String[] { "$imp1$", "$imp1$pbkdf2-sha256$i=x$a$b", "$imp1$argon2id$v=19$m=1$%%$%%", "$imp1$unknown$1$2$3" }) {
            assertThat(hashing.verifyNow(PASSWORD, garbage).matches()).as(garbage).isFalse();
        }
    }

    private void assertVerifiesAndUpgrades(String stored, String expectedStart) {
        assertThat(stored).startsWith(expectedStart);
        assertThat(hashing.verifyNow(PASSWORD, stored)).isEqualTo(new PasswordHashing.Verification(true, true));
        assertThat(hashing.verifyNow(PASSWORD + "!", stored).matches()).isFalse();
        assertThat(hashing.verifyNow(PASSWORD.substring(0, PASSWORD.length() - 1) + "X", stored).matches()).isFalse();
        String upgraded = hashing.hashNow(PASSWORD);
        assertThat(upgraded).startsWith("$sv1$");
        assertThat(hashing.verifyNow(PASSWORD, upgraded)).isEqualTo(new PasswordHashing.Verification(true, false));
    }
}
