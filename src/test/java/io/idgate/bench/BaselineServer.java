package io.idgate.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The physical limit idgate is measured against: bare Vert.x (the version Quarkus ships) over HTTPS
 * with the same certificate, one event loop per core like Quarkus, reading the whole body and
 * answering a fixed body per path, recorded from idgate's own answer so both send the same bytes.
 *
 * <p>Usage: {@code BaselineServer PORT CERT KEY PATH=FILE...}
 */
public final class BaselineServer {

    private BaselineServer() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Map<String, Buffer> answers = new HashMap<>();
        for (int i = 3; i < args.length; i++) {
            String[] pathAndFile = args[i].split("=", 2);
            answers.put(pathAndFile[0], Buffer.buffer(Files.readAllBytes(Path.of(pathAndFile[1]))));
        }
        int loops = Runtime.getRuntime().availableProcessors();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
        HttpServerOptions options = new HttpServerOptions().setSsl(true).setHost("127.0.0.1").setPort(port)
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(args[1]).setKeyPath(args[2]));
        for (int i = 0; i < loops; i++) {
            // one server instance per event loop: Vert.x balances connections across them, as Quarkus does
            vertx.createHttpServer(options).requestHandler(req -> req.body().onSuccess(body -> {
                Buffer answer = answers.get(req.path());
                if (answer == null) {
                    req.response().setStatusCode(404).end();
                } else {
                    req.response().putHeader("content-type", "application/json").end(answer);
                }
            })).listen().toCompletionStage().toCompletableFuture().get();
        }
        System.out.println("baseline listening on " + port);
    }
}
