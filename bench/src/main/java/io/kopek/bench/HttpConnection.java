package io.kopek.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One kept-alive HTTP/1.1 connection for one load client: requests written as bytes, answers read by
 * {@code Content-Length} or chunks. The JDK's {@code HttpClient} costs the load client about a quarter of a
 * millisecond of CPU per request, taken from the same two cores that the application and PostgreSQL share; this
 * costs a few microseconds, so the benchmark measures the application rather than its client.
 */
final class HttpConnection implements AutoCloseable {

    /** An answer: its status and its body as text. */
    record Answer(int status, String body) {}

    private final InetSocketAddress address;
    private final byte[] head;
    private Socket socket;
    private OutputStream out;
    private InputStream in;

    /** {@code authorization}: the header's value, sent with every request. */
    HttpConnection(String host, int port, String authorization) throws IOException {
        address = new InetSocketAddress(host, port);
        head = ("Host: " + host + ":" + port + "\r\nAuthorization: " + authorization
                        + "\r\nContent-Type: application/json\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        open();
    }

    private void open() throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(address, 5_000);
        socket.setSoTimeout(30_000);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
    }

    Answer post(String path, String idempotencyKey, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream request = new ByteArrayOutputStream(512);
        request.writeBytes(("POST " + path + " HTTP/1.1\r\n").getBytes(StandardCharsets.US_ASCII));
        request.writeBytes(head);
        request.writeBytes(("Idempotency-Key: " + idempotencyKey + "\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        request.writeBytes(body);
        request.writeTo(out);
        out.flush();
        return read();
    }

    private Answer read() throws IOException {
        String statusLine = line();
        if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12) {
            throw new IOException("not an HTTP/1.1 status line: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        int length = -1;
        boolean chunked = false;
        boolean close = false;
        for (String header = line(); !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = header.substring(0, colon).trim();
            String value = header.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                length = Integer.parseInt(value);
            } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked")) {
                chunked = true;
            } else if (name.equalsIgnoreCase("Connection") && value.equalsIgnoreCase("close")) {
                close = true; // Tomcat ends a connection after maxKeepAliveRequests (100) answers
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(Math.max(length, 256));
        if (chunked) {
            for (int size = chunkSize(); size > 0; size = chunkSize()) {
                body.writeBytes(in.readNBytes(size));
                line();
            }
            while (!line().isEmpty()) {
                // trailers
            }
        } else if (length >= 0) {
            byte[] bytes = in.readNBytes(length);
            if (bytes.length < length) {
                throw new IOException("the connection closed within a body of " + length + " bytes");
            }
            body.writeBytes(bytes);
        } else {
            throw new IOException("an answer with neither Content-Length nor chunks (" + statusLine + ")");
        }
        if (close) {
            socket.close();
            open();
        }
        return new Answer(status, body.toString(StandardCharsets.UTF_8));
    }

    /** The size line before each chunk, in hex, perhaps with extensions after a ';'. */
    private int chunkSize() throws IOException {
        return Integer.parseInt(line().split(";", 2)[0].trim(), 16);
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder(64);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the connection closed mid-answer");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
