package io.kopek.report.onec;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code kopek.reports.onec.*}: what the 1C bank statement ({@link BankStatement1C}) knows only from configuration.
 *
 * @param sender the file's {@code Отправитель}
 * @param providers by provider code ({@code yookassa}): the payer of its settlements, each key checked when a
 *     statement is made, not at start-up, so that a provider nobody exports for needs none
 */
@ConfigurationProperties("kopek.reports.onec")
record OneCProperties(@DefaultValue("Kopek") String sender, Map<String, ProviderDetails> providers) {

    OneCProperties {
        providers = providers == null ? Map.of() : Map.copyOf(providers);
    }

    /**
     * A payment provider as its payment orders name it, and whose account its settlements reach.
     *
     * @param merchant the code of the merchant whose settlement account the provider pays ({@code DEMO}): its
     *     settlements are in that merchant's statements alone
     * @param legalName the provider's legal name as on its payment orders
     * @param inn its ИНН
     * @param kpp its КПП (a company's; none for a sole proprietor)
     * @param settlementAccount the account it pays from, 20 digits keyed to the БИК
     * @param bankName its bank's name
     * @param bik its bank's БИК
     * @param correspondentAccount its bank's correspondent account
     * @param series the first two digits of its documents' numbers (10 to 99); by default derived from the code, to
     *     be set when two providers of one merchant would share one
     */
    record ProviderDetails(
            String merchant,
            String legalName,
            String inn,
            String kpp,
            String settlementAccount,
            String bankName,
            String bik,
            String correspondentAccount,
            Integer series) {}
}
