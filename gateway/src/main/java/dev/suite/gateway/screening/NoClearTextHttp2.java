package dev.suite.gateway.screening;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * HTTP/2 over TLS (ALPN) stays on for browsers; clear-text HTTP/2 goes. Vert.x accepts it on the plain port by
 * default, by "Upgrade: h2c" or by prior knowledge, before any route runs, and a proxy that forwards the upgrade
 * leaves an HTTP/2 tunnel to the gateway it never inspects (h2c smuggling). quarkus.http.http2=false would switch
 * off HTTP/2 over TLS too; there is no setting for h2c alone, hence this customizer.
 */
@ApplicationScoped
public class NoClearTextHttp2 implements HttpServerOptionsCustomizer {

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        options.setHttp2ClearTextEnabled(false);
    }
}
