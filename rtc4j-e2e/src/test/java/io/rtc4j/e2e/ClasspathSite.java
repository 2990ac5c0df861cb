package io.rtc4j.e2e;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Route;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Map;

/**
 * Serves the web app's files from the classpath ({@code web/} of rtc4j-server) to a browser context by request
 * interception, with no server at all: for the SDK tests that need no signaling. The origin
 * {@code http://127.0.0.1:1} is a secure context, as WebRTC needs; nothing ever connects to it.
 */
final class ClasspathSite {
    static final String ORIGIN = "http://127.0.0.1:1";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8");

    private ClasspathSite() {}

    static void install(BrowserContext ctx, Map<String, String> extraPages) {
        ctx.route(ORIGIN + "/**", route -> serve(route, extraPages));
    }

    private static void serve(Route route, Map<String, String> extraPages) {
        String path = URI.create(route.request().url()).getPath();
        if (extraPages.containsKey(path)) {
            route.fulfill(new Route.FulfillOptions().setStatus(200).setContentType(TYPES.get("html")).setBody(extraPages.get(path)));
            return;
        }
        if (path.contains("..")) {
            route.fulfill(new Route.FulfillOptions().setStatus(404).setBody("not found"));
            return;
        }
        String resource = "web" + (path.endsWith("/") ? path + "index.html" : path);
        try (InputStream in = ClasspathSite.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                route.fulfill(new Route.FulfillOptions().setStatus(404).setBody("not found"));
                return;
            }
            String ext = resource.substring(resource.lastIndexOf('.') + 1);
            route.fulfill(new Route.FulfillOptions()
                    .setStatus(200)
                    .setContentType(TYPES.getOrDefault(ext, "application/octet-stream"))
                    .setBodyBytes(in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
