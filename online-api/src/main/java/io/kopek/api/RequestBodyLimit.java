package io.kopek.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every request body is capped before anyone reads it: a declared {@code Content-Length} over the cap is a 413 at
 * once, unread; a body without one (chunked) is read through a counting stream that fails at the first byte past
 * the cap, and the failure is answered 413 wherever it surfaces (a filter here, a handler through {@link Problems}).
 * Without it a callback, which anyone may send, was read whole into memory before any check.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
@EnableConfigurationProperties(RequestBodyLimit.Limits.class)
class RequestBodyLimit extends OncePerRequestFilter {

    static final String PROBLEM = "request-too-large";
    static final String CALLBACKS = "/api/v1/callbacks/";

    /**
     * {@code kopek.api.max-body.*}.
     *
     * @param callbacks the largest body a provider's callback may have; a notification is a few KiB
     * @param api the largest body of any other request (an order of 100 items is about 10 KiB)
     */
    @ConfigurationProperties("kopek.api.max-body")
    record Limits(
            @DefaultValue("64KB") DataSize callbacks,
            @DefaultValue("1MB") DataSize api) {}

    /** A body that went past its cap while being read. */
    static final class TooLargeException extends IOException {
        TooLargeException(long limit) {
            super("the request body is larger than " + limit + " bytes");
        }
    }

    private final Limits limits;
    private final ProblemWriter problems;

    RequestBodyLimit(Limits limits, ProblemWriter problems) {
        this.limits = limits;
        this.problems = problems;
    }

    /** The cause that tells a body was cut at its cap, anywhere in a chain of wrapped exceptions. */
    static Optional<TooLargeException> tooLarge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TooLargeException tooLarge) {
                return Optional.of(tooLarge);
            }
        }
        return Optional.empty();
    }

    long limitOf(HttpServletRequest request) {
        return (request.getRequestURI().startsWith(CALLBACKS) ? limits.callbacks() : limits.api()).toBytes();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long limit = limitOf(request);
        if (request.getContentLengthLong() > limit) {
            refuse(response, limit);
            return;
        }
        try {
            chain.doFilter(new Bounded(request, limit), response);
        } catch (IOException | ServletException | RuntimeException e) {
            if (tooLarge(e).isEmpty() || response.isCommitted()) {
                throw e;
            }
            response.resetBuffer();
            refuse(response, limit);
        }
    }

    /** 413, and the connection closed after it: the rest of the body is not worth reading. */
    private void refuse(HttpServletResponse response, long limit) throws IOException {
        response.setHeader("Connection", "close");
        problems.write(
                response,
                HttpStatus.CONTENT_TOO_LARGE,
                PROBLEM,
                "the request body is larger than this endpoint takes (" + limit + " bytes)");
    }

    /** The request with its body readable up to {@code limit} bytes. */
    private static final class Bounded extends HttpServletRequestWrapper {

        private final long limit;
        private ServletInputStream in;

        Bounded(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (in == null) {
                in = new Counting(super.getInputStream(), limit);
            }
            return in;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }
    }

    private static final class Counting extends ServletInputStream {

        private final ServletInputStream in;
        private final long limit;
        private long read;

        Counting(ServletInputStream in, long limit) {
            this.in = in;
            this.limit = limit;
        }

        private int count(int n) throws TooLargeException {
            if (n > 0) {
                read += n;
                if (read > limit) {
                    throw new TooLargeException(limit);
                }
            }
            return n;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            // Never more than one byte past the cap, however large the caller's buffer.
            long room = limit - read + 1;
            return count(in.read(b, off, (int) Math.min(len, Math.max(room, 1))));
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
