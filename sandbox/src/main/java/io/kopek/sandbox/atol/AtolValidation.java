package io.kopek.sandbox.atol;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * What ATOL checks before it accepts a receipt (error 32 otherwise), written from the v5 protocol independently of
 * Kopek's own receipt code, so a shared misunderstanding cannot hide: required fields, value sets, item sum =
 * price × quantity, VAT sums, total = Σ items = Σ payments, all to the kopeck.
 */
final class AtolValidation {

    private static final Set<String> SNO = Set.of("osn", "usn_income", "usn_income_outcome", "envd", "esn", "patent");
    private static final Set<String> PAYMENT_METHODS = Set.of(
            "full_prepayment", "prepayment", "advance", "full_payment", "partial_payment", "credit", "credit_payment");
    private static final Set<String> PREPAYMENTS = Set.of("full_prepayment", "prepayment", "advance");
    private static final BigDecimal MAX_QUANTITY = new BigDecimal("99999999");
    private static final Set<Integer> MEASURES =
            Set.of(0, 10, 11, 12, 20, 21, 22, 30, 31, 32, 40, 41, 42, 50, 51, 70, 71, 72, 73, 80, 81, 82, 83, 255);
    /** VAT type → rate in per cent (the calculated rates 10/110 etc. extract the same share as the plain ones). */
    private static final Map<String, Integer> VAT = Map.ofEntries(
            Map.entry("none", -1),
            Map.entry("vat0", 0),
            Map.entry("vat5", 5),
            Map.entry("vat7", 7),
            Map.entry("vat10", 10),
            Map.entry("vat20", 20),
            Map.entry("vat22", 22),
            Map.entry("vat105", 5),
            Map.entry("vat107", 7),
            Map.entry("vat110", 10),
            Map.entry("vat120", 20),
            Map.entry("vat122", 22));

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd.MM.yyyy");
    private static final BigDecimal MAX_SUM = new BigDecimal("42949672.95");

    private AtolValidation() {}

    static List<String> problems(String operation, JsonNode request) {
        List<String> problems = new ArrayList<>();
        String externalId = request.path("external_id").asString("");
        if (externalId.isBlank() || externalId.length() > 128) {
            problems.add("external_id: обязательное поле, не длиннее 128 символов");
        }
        try {
            LocalDateTime.parse(request.path("timestamp").asString(""), AtolSimulator.TIMESTAMP);
        } catch (DateTimeParseException e) {
            problems.add("timestamp: ожидается формат dd.MM.yyyy HH:mm:ss");
        }
        boolean correction = operation.endsWith("_correction");
        JsonNode document = request.path(correction ? "correction" : "receipt");
        if (!document.isObject()) {
            problems.add((correction ? "correction" : "receipt") + ": обязательное поле");
            return problems;
        }
        company(document.path("company"), problems);
        // v5, "Описание объекта correction": a correction's client is required only with internet = true.
        if (!correction || document.path("internet").asBoolean(false) || document.has("client")) {
            client(document.path("client"), problems);
        }
        if (document.has("internet") && !document.path("internet").isBoolean()) {
            // v5 3.8: receipt.internet is a boolean (tag 1125).
            problems.add("internet: ожидается true или false");
        }
        if (correction) {
            correctionInfo(document.path("correction_info"), problems);
        }
        BigDecimal items = items(document.path("items"), problems);
        BigDecimal payments = payments(document.path("payments"), problems);
        BigDecimal total = amount(document.path("total"));
        if (total == null || total.signum() < 0) {
            problems.add("total: обязательное неотрицательное число с не более чем 2 знаками");
        } else {
            if (items != null && total.compareTo(items) != 0) {
                problems.add("Сумма чека не равняется сумме всех позиций: total " + total + ", позиции " + items);
            }
            if (payments != null && total.compareTo(payments) != 0) {
                problems.add("Сумма чека не равняется сумме оплат: total " + total + ", оплаты " + payments);
            }
        }
        return problems;
    }

    private static void company(JsonNode company, List<String> problems) {
        if (!company.isObject()) {
            problems.add("company: обязательное поле");
            return;
        }
        if (!company.path("inn").asString("").matches("[0-9]{10}|[0-9]{12}")) {
            problems.add("company.inn: 10 или 12 цифр");
        }
        if (company.has("sno") && !SNO.contains(company.path("sno").asString(""))) {
            problems.add("company.sno: недопустимое значение " + company.path("sno"));
        }
        if (company.path("payment_address").asString("").isBlank()) {
            problems.add("company.payment_address: обязательное поле");
        }
        if (company.path("email").asString("").isBlank()) {
            problems.add("company.email: обязательное поле");
        }
    }

    private static void client(JsonNode client, List<String> problems) {
        String email = client.path("email").asString("");
        String phone = client.path("phone").asString("");
        if (email.isBlank() && phone.isBlank()) {
            problems.add("client: должен быть заполнен email или phone");
        }
        if (!email.isBlank() && !email.matches("[^@\\s]+@[^@\\s]+")) {
            problems.add("client.email: некорректный адрес " + email);
        }
        if (!phone.isBlank() && !phone.matches("\\+?[0-9]{1,19}")) {
            problems.add("client.phone: некорректный номер " + phone);
        }
    }

    private static void correctionInfo(JsonNode info, List<String> problems) {
        String type = info.path("type").asString("");
        if (!type.equals("self") && !type.equals("instruction")) {
            problems.add("correction_info.type: self или instruction");
        }
        try {
            LocalDate.parse(info.path("base_date").asString(""), DATE);
        } catch (DateTimeParseException e) {
            problems.add("correction_info.base_date: ожидается формат dd.MM.yyyy");
        }
        if (type.equals("instruction") && info.path("base_number").asString("").isBlank()) {
            problems.add("correction_info.base_number: обязательное поле для коррекции по предписанию");
        }
        if (info.path("base_number").asString("").length() > 32) {
            problems.add("correction_info.base_number: не длиннее 32 символов");
        }
    }

    /** The sum of the items, or null when they are missing. */
    private static BigDecimal items(JsonNode items, List<String> problems) {
        if (!items.isArray() || items.isEmpty() || items.size() > 100) {
            problems.add("items: от 1 до 100 позиций");
            return null;
        }
        BigDecimal total = BigDecimal.ZERO;
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String at = "items[" + i + "].";
            String name = item.path("name").asString("");
            if (name.isBlank() || name.length() > 128) {
                problems.add(at + "name: обязательное поле, не длиннее 128 символов");
            }
            BigDecimal price = amount(item.path("price"));
            BigDecimal quantity =
                    item.path("quantity").isNumber() ? item.path("quantity").decimalValue() : null;
            BigDecimal sum = amount(item.path("sum"));
            if (price == null || price.signum() < 0) {
                problems.add(at + "price: неотрицательное число с не более чем 2 знаками");
            }
            if (quantity == null
                    || quantity.signum() <= 0
                    || quantity.stripTrailingZeros().scale() > 6
                    || quantity.compareTo(MAX_QUANTITY) > 0) {
                // v5: multipleOf 0.000001, maximum 99999999.
                problems.add(at + "quantity: положительное число не больше 99999999 с не более чем 6 знаками");
            }
            if (sum == null || sum.signum() < 0 || sum.compareTo(MAX_SUM) > 0) {
                problems.add(at + "sum: неотрицательное число с не более чем 2 знаками");
            } else {
                total = total.add(sum);
            }
            if (price != null && quantity != null && sum != null) {
                BigDecimal expected = price.multiply(quantity).setScale(2, RoundingMode.HALF_UP);
                if (expected.compareTo(sum) != 0) {
                    problems.add(at + "sum: " + sum + " не равна цене × количество = " + expected);
                }
            }
            if (!item.path("measure").isInt()
                    || !MEASURES.contains(item.path("measure").asInt())) {
                problems.add(at + "measure: недопустимое значение " + item.path("measure"));
            }
            String method = item.path("payment_method").asString("");
            if (!PAYMENT_METHODS.contains(method)) {
                problems.add(at + "payment_method: недопустимое значение " + item.path("payment_method"));
            }
            // The calculated rates (…/110, …/120, …/122) are for advances and prepayments; a settlement carries the
            // plain rate (v5 table of vat.type).
            boolean calculatedRate = vatType(item).matches("vat1[0-2][0-9]");
            boolean taxed = VAT.getOrDefault(vatType(item), 0) > 0;
            if (taxed && PAYMENT_METHODS.contains(method) && calculatedRate != PREPAYMENTS.contains(method)) {
                problems.add(at + "vat.type: " + vatType(item) + " не применяется с payment_method " + method);
            }
            int object = item.path("payment_object").isInt()
                    ? item.path("payment_object").asInt()
                    : -1;
            if (object < 1 || object > 33 || (object > 27 && object < 30)) {
                problems.add(at + "payment_object: недопустимое значение " + item.path("payment_object"));
            }
            vat(item.path("vat"), sum, at, problems);
        }
        return total;
    }

    private static String vatType(JsonNode item) {
        return item.path("vat").path("type").asString("");
    }

    private static void vat(JsonNode vat, BigDecimal sum, String at, List<String> problems) {
        Integer rate = VAT.get(vat.path("type").asString(""));
        if (rate == null) {
            problems.add(at + "vat.type: недопустимое значение " + vat.path("type"));
            return;
        }
        if (!vat.has("sum") || sum == null) {
            return; // the cash register computes it
        }
        BigDecimal given = amount(vat.path("sum"));
        BigDecimal expected = rate <= 0
                ? BigDecimal.ZERO.setScale(2)
                : sum.multiply(BigDecimal.valueOf(rate))
                        .divide(BigDecimal.valueOf(100L + rate), 2, RoundingMode.HALF_UP);
        if (given == null || given.compareTo(expected) != 0) {
            problems.add(at + "vat.sum: " + vat.path("sum") + " не соответствует ставке, ожидается " + expected);
        }
    }

    /** The sum of the payments, or null when they are missing. */
    private static BigDecimal payments(JsonNode payments, List<String> problems) {
        if (!payments.isArray() || payments.isEmpty() || payments.size() > 10) {
            problems.add("payments: от 1 до 10 оплат");
            return null;
        }
        BigDecimal total = BigDecimal.ZERO;
        for (int i = 0; i < payments.size(); i++) {
            JsonNode payment = payments.get(i);
            int type = payment.path("type").isInt() ? payment.path("type").asInt() : -1;
            if (type < 0 || type > 9) {
                problems.add("payments[" + i + "].type: от 0 до 9");
            }
            BigDecimal sum = amount(payment.path("sum"));
            if (sum == null || sum.signum() <= 0) {
                problems.add("payments[" + i + "].sum: положительное число с не более чем 2 знаками");
            } else {
                total = total.add(sum);
            }
        }
        return total;
    }

    /** A money amount in rubles with at most 2 decimals, or null. */
    private static BigDecimal amount(JsonNode node) {
        if (!node.isNumber()) {
            return null;
        }
        BigDecimal value = node.decimalValue();
        return value.stripTrailingZeros().scale() > 2 ? null : value;
    }
}
