package io.kopek.notification.mail;

import io.kopek.customer.Language;
import java.util.List;
import java.util.Map;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/**
 * Lays out a mail's words in its two parts, HTML and plain text, with Thymeleaf's own engine and templates from the
 * class path ({@code templates/*.html}, {@code *.txt} beside this class). Not Spring Boot's Thymeleaf starter: that
 * would add a view resolver to the API's MVC.
 */
final class MailRenderer {

    private static final String PREFIX = "io/kopek/notification/mail/templates/";

    private final TemplateEngine html = engine(TemplateMode.HTML, ".html");
    private final TemplateEngine text = engine(TemplateMode.TEXT, ".txt");

    private static TemplateEngine engine(TemplateMode mode, String suffix) {
        ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver(MailRenderer.class.getClassLoader());
        resolver.setPrefix(PREFIX);
        resolver.setSuffix(suffix);
        resolver.setTemplateMode(mode);
        resolver.setCharacterEncoding("UTF-8");
        resolver.setCacheable(true);
        TemplateEngine engine = new TemplateEngine();
        engine.setTemplateResolver(resolver);
        return engine;
    }

    /** A customer's mail: a greeting, the event's text, a table of its facts. */
    Rendered customer(Language language, String subject, String greeting, String body, List<MailTexts.Fact> facts) {
        MailTexts texts = new MailTexts(language);
        Context context = new Context(language.locale());
        context.setVariables(Map.of(
                "lang", language.code(),
                "subject", subject,
                "greeting", greeting,
                "body", body,
                "facts", facts,
                "footer", texts.get("footer")));
        return new Rendered(subject, text.process("customer", context), html.process("customer", context));
    }

    /** A staff group's digest: counts per kind, the first items, how many more. */
    Rendered digest(
            Language language,
            String subject,
            String intro,
            List<MailTexts.Fact> counts,
            List<String> items,
            String more) {
        MailTexts texts = new MailTexts(language);
        Context context = new Context(language.locale());
        context.setVariable("lang", language.code());
        context.setVariable("subject", subject);
        context.setVariable("intro", intro);
        context.setVariable("counts", counts);
        context.setVariable("items", items);
        context.setVariable("more", more);
        context.setVariable("footer", texts.get("footer.staff"));
        return new Rendered(subject, text.process("digest", context), html.process("digest", context));
    }

    /** A mail's subject and its two parts. */
    record Rendered(String subject, String text, String html) {}
}
