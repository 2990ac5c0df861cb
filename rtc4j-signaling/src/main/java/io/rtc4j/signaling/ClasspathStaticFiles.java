package io.rtc4j.signaling;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Static files from a classpath folder ({@code web/}): {@code /} is {@code index.html}, {@code /sdk/x.js} is
 * {@code web/sdk/x.js}. Only files with a known extension are served (so never a directory, never a listing).
 * Contents are read once and kept.
 */
public final class ClasspathStaticFiles implements StaticFiles {
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json"),
            Map.entry("map", "application/json"),
            Map.entry("webmanifest", "application/manifest+json"),
            Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("webp", "image/webp"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("wasm", "application/wasm"));
    private static final int MAX_FILE_BYTES = 32 << 20;

    private final ClassLoader loader;
    private final String root;
    private final Map<String, StaticFile> cache = new ConcurrentHashMap<>();

    /** @param root classpath folder without leading slash, e.g. "web/" */
    public ClasspathStaticFiles(ClassLoader loader, String root) {
        this.loader = loader;
        this.root = root.endsWith("/") ? root : root + "/";
    }

    @Override
    public Optional<StaticFile> find(String path) {
        if (!path.startsWith("/") || path.contains("..") || path.contains("\\") || path.indexOf('\0') >= 0
                || path.contains("//")) {
            return Optional.empty();
        }
        String name = path.endsWith("/") ? path + "index.html" : path;
        int dot = name.lastIndexOf('.');
        if (dot < 0 || dot < name.lastIndexOf('/')) {
            return Optional.empty();
        }
        String type = TYPES.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
        if (type == null) {
            return Optional.empty();
        }
        StaticFile cached = cache.get(name);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<StaticFile> loaded = load(root + name.substring(1), type);
        loaded.ifPresent(f -> cache.put(name, f)); // misses are not kept: the key space is the client's
        return loaded;
    }

    private Optional<StaticFile> load(String resource, String type) {
        URL url = loader.getResource(resource);
        if (url == null) {
            return Optional.empty();
        }
        try {
            if ("file".equals(url.getProtocol()) && Files.isDirectory(Path.of(url.toURI()))) {
                return Optional.empty();
            }
            byte[] content;
            try (InputStream in = url.openStream()) {
                content = in.readNBytes(MAX_FILE_BYTES + 1);
            }
            if (content.length > MAX_FILE_BYTES) {
                return Optional.empty();
            }
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content);
            String etag = "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
            return Optional.of(new StaticFile(content, type, etag));
        } catch (IOException | URISyntaxException | NoSuchAlgorithmException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
