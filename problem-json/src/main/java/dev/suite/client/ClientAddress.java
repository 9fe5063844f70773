package dev.suite.client;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

import io.vertx.core.http.HttpServerRequest;

/**
 * Who the client is, for throttles and rate limits. The address is the one Quarkus resolved: the TCP peer, or the
 * X-Forwarded-For of a trusted proxy when {@code quarkus.http.proxy.trusted-proxies} names that peer (the
 * gateway in front of a service, the ingress in front of the gateway), never a header taken at face value.
 * The key groups IPv6 clients by /64: one host is usually given a whole /64, so per-address keys would give
 * it 2^64 fresh counters.
 */
public final class ClientAddress {

    private static final Pattern LITERAL = Pattern.compile("[0-9.]{7,15}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[\\w.-]{1,32})?");

    private ClientAddress() {
    }

    /** The throttling key of the request's client: an IPv4 address, or an IPv6 /64 prefix. */
    public static String of(HttpServerRequest request) {
        return request.remoteAddress() == null ? "unknown" : key(request.remoteAddress().hostAddress());
    }

    /** The throttling key of an address literal: IPv4 as is (also when IPv4-mapped), IPv6 as its /64. */
    public static String key(String address) {
        if (address == null || !LITERAL.matcher(address).matches()) {
            return "unknown"; // never a name: getByName would resolve it
        }
        try {
            int zone = address.indexOf('%');
            InetAddress parsed = InetAddress.getByName(zone < 0 ? address : address.substring(0, zone));
            if (parsed instanceof Inet4Address) {
                return parsed.getHostAddress();
            }
            byte[] bytes = ((Inet6Address) parsed).getAddress();
            StringBuilder prefix = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
            }
            return prefix.append(":/64").toString();
        } catch (UnknownHostException | ClassCastException e) {
            return "unknown";
        }
    }
}
