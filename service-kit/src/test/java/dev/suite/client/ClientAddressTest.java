package dev.suite.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** One key per client: IPv6 by /64, IPv4-mapped as IPv4, and nothing that is not an address literal ever resolved. */
class ClientAddressTest {

    @ParameterizedTest
    @CsvSource({
            "203.0.113.7, 203.0.113.7",
            "::ffff:203.0.113.7, 203.0.113.7",
            "0:0:0:0:0:ffff:cb00:7107, 203.0.113.7",
            "2001:db8:1:2::1, 2001:db8:1:2::/64",
            "2001:db8:1:2:ffff:ffff:ffff:ffff, 2001:db8:1:2::/64",
            "2001:0db8:0001:0002:0000:0000:0000:0099, 2001:db8:1:2::/64",
            "fe80::1%eth0, fe80:0:0:0::/64" })
    void groupsEachClientUnderOneKey(String address, String key) {
        assertThat(ClientAddress.key(address)).isEqualTo(key);
    }

    /** Each of these went to the system resolver through InetAddress.getByName: a blocking lookup on an event loop. */
    @ParameterizedTest
    @ValueSource(strings = { "1.2.3.4.", ".......", "1.2.3", "localhost", "example.com", "1e100.net", "", "::g", "999.1.1.1" })
    void anythingThatIsNotALiteralIsUnknownAndNeverLookedUp(String notAnAddress) {
        assertThat(ClientAddress.key(notAnAddress)).isEqualTo("unknown");
    }

    /** What a session list shows of where a client was: never the full address. */
    @ParameterizedTest
    @CsvSource({
            "203.0.113.7, 203.0.113.0/24",
            "::ffff:198.51.100.200, 198.51.100.0/24",
            "2001:db8:1:2::1, 2001:db8:1::/48",
            "2001:0db8:00ab:ffff:1:2:3:4, 2001:db8:ab::/48" })
    void showsOnlyTheNetworkAClientWasIn(String address, String network) {
        assertThat(ClientAddress.network(address)).isEqualTo(network);
    }

    @ParameterizedTest
    @ValueSource(strings = { "localhost", "1.2.3", "", "::g" })
    void aNetworkOfSomethingThatIsNotALiteralIsUnknown(String notAnAddress) {
        assertThat(ClientAddress.network(notAnAddress)).isEqualTo("unknown");
    }
}
