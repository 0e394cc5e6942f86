package dev.sysext.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/** Serves one directory over http://127.0.0.1:PORT/, like any static web server would publish it. */
final class StaticServer implements AutoCloseable {
    private final HttpServer server;

    StaticServer(Path root) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> serve(root, exchange));
        // Like a redirector in front of GitHub release assets: every file answers with a redirect.
        server.createContext("/redirect/", exchange -> {
            try (exchange) {
                String name = exchange.getRequestURI().getPath().substring("/redirect/".length());
                exchange.getResponseHeaders().set("Location", "/" + name);
                exchange.sendResponseHeaders(302, -1);
            }
        });
        server.start();
    }

    /** The URL of a view of the directory where every file is a redirect to its real URL. */
    String redirectingUrl() {
        return url() + "redirect";
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    private static void serve(Path root, HttpExchange exchange) throws IOException {
        try (exchange) {
            String name = exchange.getRequestURI().getPath().substring(1);
            Path file = root.resolve(name).normalize();
            if (name.isEmpty() || name.contains("/") || !file.startsWith(root) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            long size = Files.size(file);
            if (exchange.getRequestMethod().equals("HEAD")) {
                exchange.getResponseHeaders().set("Content-Length", Long.toString(size));
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, size == 0 ? -1 : size);
            try (OutputStream out = exchange.getResponseBody()) {
                Files.copy(file, out);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
