package dev.suite.client;

import io.netty.util.NetUtil;
import io.vertx.core.http.HttpServerRequest;

/**
 * Who the client is, for throttles and rate limits. The address is the one Quarkus resolved: the TCP peer, or the
 * X-Forwarded-For of a trusted proxy when {@code quarkus.http.proxy.trusted-proxies} names that peer (the
 * gateway in front of a service, the ingress in front of the gateway), never a header taken at face value.
 * The key groups IPv6 clients by /64: one host is usually given a whole /64, so per-address keys would give
 * it 2^64 fresh counters.
 */
public final class ClientAddress {

    private ClientAddress() {
    }

    /** The throttling key of the request's client: an IPv4 address, or an IPv6 /64 prefix. */
    public static String of(HttpServerRequest request) {
        return request.remoteAddress() == null ? "unknown" : key(request.remoteAddress().hostAddress());
    }

    /** The throttling key of an address literal: IPv4 as is (also when IPv4-mapped), IPv6 as its /64; never a lookup. */
    public static String key(String address) {
        byte[] bytes = literal(address);
        if (bytes == null) {
            return "unknown";
        }
        if (bytes.length == 4 || isIpv4Mapped(bytes)) {
            return ipv4(bytes, bytes.length == 4 ? 0 : 12);
        }
        return ipv6Prefix(bytes, 64);
    }

    /**
     * Roughly where the request's client is, to show its owner (a list of their sessions), never to decide anything:
     * an IPv4 address as its /24, an IPv6 one as its /48 (a site), so the stored record does not pinpoint a person's
     * machine. The address is the one {@link #of} uses: the gateway's X-Forwarded-For only from a trusted proxy.
     */
    public static String approximate(HttpServerRequest request) {
        return request.remoteAddress() == null ? "unknown" : network(request.remoteAddress().hostAddress());
    }

    /** The /24 (IPv4, also when IPv4-mapped) or /48 (IPv6) an address literal lies in; "unknown" for anything else. */
    public static String network(String address) {
        byte[] bytes = literal(address);
        if (bytes == null) {
            return "unknown";
        }
        if (bytes.length == 4 || isIpv4Mapped(bytes)) {
            int from = bytes.length == 4 ? 0 : 12;
            return (bytes[from] & 0xff) + "." + (bytes[from + 1] & 0xff) + "." + (bytes[from + 2] & 0xff) + ".0/24";
        }
        return ipv6Prefix(bytes, 48);
    }

    /** An address literal's bytes (4 or 16), its zone dropped; null for anything that is not one. */
    private static byte[] literal(String address) {
        if (address == null || address.length() > 100) {
            return null;
        }
        int zone = address.indexOf('%');
        // A literal parser: unlike InetAddress.getByName, it never asks a resolver about something that is not one.
        return NetUtil.createByteArrayFromIpAddressString(zone < 0 ? address : address.substring(0, zone));
    }

    /** The first {@code bits} (a multiple of 16) of an IPv6 address, as "2001:db8:0:0::/64". */
    private static String ipv6Prefix(byte[] bytes, int bits) {
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < bits / 8; i += 2) {
            prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
        }
        return prefix.append(":/").append(bits).toString();
    }

    private static boolean isIpv4Mapped(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return (bytes[10] & 0xff) == 0xff && (bytes[11] & 0xff) == 0xff;
    }

    private static String ipv4(byte[] bytes, int from) {
        return (bytes[from] & 0xff) + "." + (bytes[from + 1] & 0xff) + "." + (bytes[from + 2] & 0xff) + "." + (bytes[from + 3] & 0xff);
    }
}
