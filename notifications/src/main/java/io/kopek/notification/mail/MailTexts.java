package io.kopek.notification.mail;

import io.kopek.customer.Language;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The words of the mails, per language: {@code mail_ru.properties} and {@code mail_en.properties} beside this class.
 * Each notified event type has its texts there by its type name ({@code invoice.issued.subject}, {@code .body},
 * {@code .facts}, and for staff {@code .item}), with named placeholders ({@code {number}}, {@code {total}}) filled from
 * the values {@link MailValues} reads from the event's payload and subject.
 */
final class MailTexts {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z][A-Za-z0-9]*)}");
    private static final Map<Language, ResourceBundle> BUNDLES = new EnumMap<>(Language.class);

    static {
        for (Language language : Language.values()) {
            // No fallback to the JVM's default locale: each language has all of its words.
            BUNDLES.put(
                    language,
                    ResourceBundle.getBundle(
                            "io.kopek.notification.mail.mail",
                            language.locale(),
                            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES)));
        }
    }

    private final ResourceBundle bundle;

    MailTexts(Language language) {
        this.bundle = BUNDLES.get(language);
        if (!bundle.getLocale().getLanguage().equals(language.locale().getLanguage())) {
            throw new IllegalStateException("no mail texts in " + language);
        }
    }

    boolean has(String key) {
        return bundle.containsKey(key);
    }

    String get(String key) {
        try {
            return bundle.getString(key);
        } catch (MissingResourceException e) {
            throw new IllegalStateException("mail text " + key + " is missing in " + bundle.getLocale(), e);
        }
    }

    /** The text of {@code key} with its placeholders filled; a value the event does not have is a dash. */
    String fill(String key, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(get(key));
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(value == null || value.isEmpty() ? "—" : value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The facts a mail lists under its text: {@code <type>.facts}, a comma-separated list of value names. */
    List<Fact> facts(String type, Map<String, String> values) {
        if (!has(type + ".facts")) {
            return List.of();
        }
        return java.util.Arrays.stream(get(type + ".facts").split(","))
                .map(String::strip)
                .filter(name -> values.get(name) != null && !values.get(name).isEmpty())
                .map(name -> new Fact(get("fact." + name), values.get(name)))
                .toList();
    }

    /** A label and its value, one row of a mail's table. */
    record Fact(String label, String value) {}
}
