package io.idgate.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A TCP proxy on 127.0.0.1 in front of the API server, for fault tests: closed (nothing listens: what
 * idgate sees while its API server is unreachable), open, or open and slow (every byte the API server
 * sends arrives {@code delay} late, in order: a slow or distant API server, TLS untouched).
 */
final class TcpProxy implements AutoCloseable {

    /** One chunk read from the API server and when it may be passed on. */
    private record Chunk(byte[] bytes, long dueNanos) {}

    private static final Chunk END = new Chunk(new byte[0], 0);

    private final int port;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile Duration delay = Duration.ZERO;
    private volatile ServerSocket listener;

    /** A closed proxy on a free port of 127.0.0.1, forwarding to 127.0.0.1:{@code targetPort} once opened. */
    TcpProxy(int targetPort) {
        this.targetPort = targetPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            this.port = probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return port;
    }

    /** Delays what the API server sends on every connection, from now on. */
    void delay(Duration delay) {
        this.delay = delay;
    }

    /** Starts listening on {@link #port()}: the API server becomes reachable. */
    synchronized void open() {
        try {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            listener = server;
            daemon("proxy-accept-" + port, () -> accept(server));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops listening and cuts every connection. */
    @Override
    public synchronized void close() {
        closeQuietly(listener);
        listener = null;
        sockets.forEach(TcpProxy::closeQuietly);
        sockets.clear();
    }

    private void accept(ServerSocket server) {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(upstream);
                daemon("proxy-up-" + port, () -> pump(client, upstream));
                BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
                daemon("proxy-read-" + port, () -> read(upstream, client, queue));
                daemon("proxy-down-" + port, () -> write(queue, client, upstream));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** Client to API server, as it comes. */
    private static void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // either side closed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    /** API server to the queue, each chunk stamped with the time it may be passed on. */
    private void read(Socket from, Socket to, BlockingQueue<Chunk> queue) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                queue.add(new Chunk(Arrays.copyOf(buffer, n), System.nanoTime() + delay.toNanos()));
            }
        } catch (IOException e) {
            // either side closed
        } finally {
            queue.add(END);
        }
    }

    private static void write(BlockingQueue<Chunk> queue, Socket to, Socket from) {
        try (OutputStream out = to.getOutputStream()) {
            for (Chunk chunk = queue.take(); chunk != END; chunk = queue.take()) {
                long wait = chunk.dueNanos() - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                out.write(chunk.bytes());
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // closed
        } finally {
            closeQuietly(to);
            closeQuietly(from);
        }
    }

    private static void daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                // already closed
            }
        }
    }
}
