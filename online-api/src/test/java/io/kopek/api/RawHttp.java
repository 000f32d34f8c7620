package io.kopek.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * HTTP/1.1 over a plain socket, for what a well-behaved client refuses to send: malformed request lines and URLs,
 * over-long headers, and bodies streamed for as long as the server keeps reading them.
 */
final class RawHttp {

    private RawHttp() {}

    /** An answer as read off the wire; {@code bodyBytesSent} is how much of the request body went out first. */
    record Answer(int status, Map<String, String> headers, String body, long bodyBytesSent) {

        String contentType() {
            return headers.getOrDefault("content-type", "");
        }
    }

    /** Sends {@code head} (request line and headers, without the blank line) and no body. */
    static Answer send(int port, String head) {
        return stream(port, head, 0, false);
    }

    /**
     * Sends {@code head}, then up to {@code bodyBytes} bytes of body (chunked when asked) from one small buffer, so
     * nothing of the size is held in memory, stopping as soon as the server answers or closes the connection.
     */
    static Answer stream(int port, String head, long bodyBytes, boolean chunked) {
        return stream(InetAddress.getLoopbackAddress(), port, head, bodyBytes, chunked);
    }

    /** As {@link #stream(int, String, long, boolean)}, from the local address {@code from}. */
    static Answer stream(InetAddress from, int port, String head, long bodyBytes, boolean chunked) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port, from, 0)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((head + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            CompletableFuture<Answer> answer = CompletableFuture.supplyAsync(() -> read(socket));
            long sent = 0;
            byte[] buffer = new byte[64 * 1024];
            java.util.Arrays.fill(buffer, (byte) 'a');
            try {
                while (sent < bodyBytes && !answer.isDone()) {
                    int n = (int) Math.min(buffer.length, bodyBytes - sent);
                    if (chunked) {
                        out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    }
                    out.write(buffer, 0, n);
                    if (chunked) {
                        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    }
                    sent += n;
                }
                if (chunked && !answer.isDone()) {
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                }
                out.flush();
            } catch (IOException closedByTheServer) {
                // it answered (or gave up) before the body was through: what we came to see
            }
            Answer got = answer.get(15, TimeUnit.SECONDS);
            return new Answer(got.status(), got.headers(), got.body(), sent);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("no answer", e);
        }
    }

    private static Answer read(Socket socket) {
        try {
            InputStream in = socket.getInputStream();
            String statusLine = line(in);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                int colon = header.indexOf(':');
                headers.put(
                        header.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        header.substring(colon + 1).strip());
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (headers.containsKey("content-length")) {
                body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
            } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                for (int size = Integer.parseInt(line(in).strip(), 16);
                        size > 0;
                        size = Integer.parseInt(line(in), 16)) {
                    body.write(in.readNBytes(size));
                    line(in);
                }
            }
            return new Answer(
                    Integer.parseInt(statusLine.split(" ")[1]), headers, body.toString(StandardCharsets.UTF_8), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed in the middle of the answer");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }
}
