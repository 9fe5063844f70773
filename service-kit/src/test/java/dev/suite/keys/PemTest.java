package dev.suite.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

import org.junit.jupiter.api.Test;

/** PEM out and back in: the format openssl and Vault produce, read whatever the line breaks around it. */
class PemTest {

    private static KeyPair newEcKeyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    @Test
    void aPrivateKeyWrittenIsReadBack() throws Exception {
        KeyPair pair = newEcKeyPair();
        String pem = Pem.write(pair.getPrivate());

        assertThat(pem).startsWith(Pem.beginLine(Pem.PRIVATE_KEY) + "\n").endsWith(Pem.endLine(Pem.PRIVATE_KEY) + "\n");
        assertThat(pem.split("\n")).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(64));
        assertThat(Pem.readPrivateKey(pem, "EC").getEncoded()).isEqualTo(pair.getPrivate().getEncoded());
    }

    @Test
    void readsTheBlockOfItsTypeWhateverSurroundsIt() throws Exception {
        KeyPair pair = newEcKeyPair();
        String text = "a comment line\r\n" + Pem.write(pair.getPublic()) + Pem.write(pair.getPrivate()).replace("\n", "\r\n  ");

        assertThat(Pem.read(text, Pem.PUBLIC_KEY)).isEqualTo(pair.getPublic().getEncoded());
        assertThat(Pem.readPrivateKey(text, "EC").getEncoded()).isEqualTo(pair.getPrivate().getEncoded());
        assertThat(Pem.contains(text)).isTrue();
        assertThat(Pem.contains("QUJDREVGR0g=")).isFalse();
    }

    @Test
    void refusesWhatIsNotABlockOfTheTypeAsked() throws Exception {
        KeyPair pair = newEcKeyPair();
        String publicOnly = Pem.write(pair.getPublic());

        assertThatThrownBy(() -> Pem.readPrivateKey(publicOnly, "EC")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Pem.read(null, Pem.PRIVATE_KEY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Pem.read(Pem.beginLine(Pem.PRIVATE_KEY) + "\nnot*base64\n" + Pem.endLine(Pem.PRIVATE_KEY),
                Pem.PRIVATE_KEY)).isInstanceOf(IllegalArgumentException.class);
        String unterminated = Pem.write(pair.getPrivate()).replace(Pem.endLine(Pem.PRIVATE_KEY), "");
        assertThatThrownBy(() -> Pem.read(unterminated, Pem.PRIVATE_KEY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Pem.readPrivateKey(Pem.write(Pem.PRIVATE_KEY, new byte[] { 1, 2, 3 }), "EC"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
