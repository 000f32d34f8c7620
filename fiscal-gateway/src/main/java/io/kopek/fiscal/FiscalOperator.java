package io.kopek.fiscal;

/**
 * A fiscal data operator's cloud cash register (ATOL Online, OFD.ru, Orange Data, ...). Implementations are Spring
 * beans; {@code kopek.fiscal.operator} names the one in use. Both calls throw {@link FiscalOperatorException}.
 */
public interface FiscalOperator {

    /** The id in {@code kopek.fiscal.operator} and in each receipt's {@code operator} column. */
    String id();

    /**
     * Hands the receipt over for registration and returns the operator's id of it. Sending the same
     * {@code externalId} again must not register a second receipt: it returns the id of the first.
     */
    String register(OperatorReceipt receipt);

    /** Where the receipt is: still waiting, done with its fiscal attributes, or failed. */
    OperatorReport report(String operatorId);
}
