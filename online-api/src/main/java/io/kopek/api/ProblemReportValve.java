package io.kopek.api;

import java.io.IOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tomcat's error page, for what it refuses before Spring sees a request (a URL it cannot decode, a header or a
 * query past its limits, a request line that is not HTTP), as an RFC 9457 problem instead of its HTML page. It
 * says nothing of the server and nothing of the exception: the status, a stable type and a fixed sentence.
 */
public class ProblemReportValve extends ErrorReportValve {

    private static final JsonMapper JSON = new JsonMapper();

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        HttpStatus known = HttpStatus.resolve(status);
        String type = ProblemWriter.typeOf(status);
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", ProblemWriter.TYPE_BASE + type);
        problem.put("title", ProblemWriter.title(type));
        problem.put("status", status);
        problem.put(
                "detail",
                switch (status) {
                    case 400 -> "the server could not read this request (its URL, request line or headers)";
                    case 414, 431 -> "the request line or its headers are longer than the server takes";
                    default -> known == null ? "HTTP " + status : known.getReasonPhrase();
                });
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("utf-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(JSON.writeValueAsString(problem));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the connection is gone or the response was taken: nothing more to tell
        }
    }

    /** Puts this valve in the place of Tomcat's own error report valve (and the one Spring Boot adds). */
    @Component
    static class Installer implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

        @Override
        public void customize(TomcatServletWebServerFactory factory) {
            factory.addContextCustomizers(context -> {
                var host = (org.apache.catalina.core.StandardHost) context.getParent();
                for (Valve valve : host.getPipeline().getValves()) {
                    if (valve instanceof ErrorReportValve && !(valve instanceof ProblemReportValve)) {
                        host.getPipeline().removeValve(valve);
                    }
                }
                host.setErrorReportValveClass(ProblemReportValve.class.getName());
            });
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE; // after Spring Boot's, which adds an ErrorReportValve of its own
        }
    }
}
