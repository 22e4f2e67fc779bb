package io.idgate.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The physical limit idgate is measured against: bare Vert.x (the version Quarkus ships) over HTTPS
 * with the same certificate, one event loop per core like Quarkus, reading the whole body and
 * answering a fixed body per path, recorded from idgate's own answer so both send the same bytes.
 * It offers HTTP/2 as idgate does (wrk and {@link RateLoad} speak HTTP/1.1 either way).
 *
 * <p>{@code --echo-uid}: the echo webhook of the pod-create bench, a webhook that decides nothing. Each
 * answer is the recorded one with the review's uid ({@link UidEcho}), as the API server requires. It
 * counts the reviews of each path and keeps the last one, so the bench can tell which server the
 * API server calls and record what it sends; {@code PUT /_bench/answer?path=P} replaces an answer.
 * {@code --client-ca=FILE}: asks callers for a client certificate from that CA, as idgate does with
 * {@code idgate.tls.client-ca}, so both pay the same handshake.
 *
 * <p>Usage: {@code BaselineServer PORT CERT KEY [--client-ca=FILE] [--echo-uid] PATH=FILE...}
 */
public final class BaselineServer {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BaselineServer() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        boolean echo = false;
        String clientCa = null;
        Map<String, byte[]> files = new TreeMap<>();
        for (int i = 3; i < args.length; i++) {
            if (args[i].equals("--echo-uid")) {
                echo = true;
            } else if (args[i].startsWith("--client-ca=")) {
                clientCa = args[i].substring("--client-ca=".length());
            } else {
                String[] pathAndFile = args[i].split("=", 2);
                files.put(pathAndFile[0], Files.readAllBytes(Path.of(pathAndFile[1])));
            }
        }
        int loops = Runtime.getRuntime().availableProcessors();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
        // the HTTP/2 and TLS engine settings Quarkus gives idgate's server: a fresh Http2Settings (no cap on
        // concurrent streams, where Vert.x's server default is 100) and pooled heap buffers
        HttpServerOptions options = new HttpServerOptions().setSsl(true).setUseAlpn(true).setInitialSettings(new Http2Settings())
                .setSslEngineOptions(new JdkSSLEngineOptions().setPooledHeapBuffers(true))
                .setHost("127.0.0.1").setPort(port)
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(args[1]).setKeyPath(args[2]));
        if (clientCa != null) {
            options.setTrustOptions(new PemTrustOptions().addCertPath(clientCa)).setClientAuth(ClientAuth.REQUEST);
        }
        Handler<HttpServerRequest> handler = echo ? new Echo(files)::handle : fixed(files);
        for (int i = 0; i < loops; i++) {
            // one server instance per event loop: Vert.x balances connections across them, as Quarkus does
            vertx.createHttpServer(options).requestHandler(handler).listen().toCompletionStage().toCompletableFuture().get();
        }
        System.out.println((echo ? "echo" : "baseline") + " listening on " + port);
    }

    private static Handler<HttpServerRequest> fixed(Map<String, byte[]> files) {
        Map<String, Buffer> answers = new HashMap<>();
        files.forEach((path, bytes) -> answers.put(path, Buffer.buffer(bytes)));
        return req -> req.body().onSuccess(body -> {
            Buffer answer = answers.get(req.path());
            if (answer == null) {
                req.response().setStatusCode(404).end();
            } else {
                req.response().putHeader("content-type", "application/json").end(answer);
            }
        });
    }

    /** The echo webhook: answers with the review's uid spliced in, counts and keeps reviews per path. */
    private static final class Echo {
        private final Map<String, UidEcho> answers = new ConcurrentHashMap<>();
        private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
        private final Map<String, Buffer> last = new ConcurrentHashMap<>();

        Echo(Map<String, byte[]> files) {
            files.forEach((path, bytes) -> {
                answers.put(path, UidEcho.of(bytes));
                counts.put(path, new LongAdder());
            });
        }

        void handle(HttpServerRequest req) {
            req.body().onSuccess(body -> {
                if (req.path().startsWith("/_bench/")) {
                    control(req, body);
                    return;
                }
                UidEcho echo = answers.get(req.path());
                byte[] answer = echo == null ? null : echo.answer(body.getBytes());
                if (answer == null) {
                    req.response().setStatusCode(echo == null ? 404 : 400).end();
                    return;
                }
                counts.get(req.path()).increment();
                last.put(req.path(), body);
                req.response().putHeader("content-type", "application/json").end(Buffer.buffer(answer));
            });
        }

        private void control(HttpServerRequest req, Buffer body) {
            String path = req.getParam("path");
            try {
                if (req.path().equals("/_bench/requests") && req.method() == HttpMethod.GET) {
                    Map<String, Long> snapshot = new TreeMap<>();
                    counts.forEach((p, n) -> snapshot.put(p, n.sum()));
                    req.response().putHeader("content-type", "application/json").end(JSON.writeValueAsString(snapshot));
                } else if (req.path().equals("/_bench/last") && req.method() == HttpMethod.GET && last.containsKey(path)) {
                    req.response().putHeader("content-type", "application/json").end(last.get(path));
                } else if (req.path().equals("/_bench/answer") && req.method() == HttpMethod.PUT && answers.containsKey(path)) {
                    answers.put(path, UidEcho.of(body.getBytes()));
                    req.response().setStatusCode(204).end();
                } else {
                    req.response().setStatusCode(404).end();
                }
            } catch (Exception e) {
                req.response().setStatusCode(400).end(String.valueOf(e.getMessage()));
            }
        }
    }
}
