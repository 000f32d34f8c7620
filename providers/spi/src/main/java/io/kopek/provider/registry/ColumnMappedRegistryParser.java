package io.kopek.provider.registry;

import com.opencsv.CSVReader;
import com.opencsv.CSVReaderBuilder;
import com.opencsv.RFC4180ParserBuilder;
import com.opencsv.exceptions.CsvException;
import com.opencsv.exceptions.CsvMultilineLimitBrokenException;
import io.kopek.money.Money;
import io.kopek.pan.Pans;
import io.kopek.provider.RegistryLimits;
import io.kopek.provider.RegistryLine;
import io.kopek.provider.RegistryOperation;
import io.kopek.provider.RegistryParser;
import io.kopek.provider.RegistryRejectedException;
import io.kopek.provider.RegistrySink;
import io.kopek.provider.RegistrySummary;
import io.kopek.provider.RegistryTotals;
import io.kopek.provider.RejectedLine;
import io.kopek.provider.registry.RegistryFormat.Field;
import io.kopek.provider.registry.RegistryFormat.Layout;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.FilterReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.Arrays;
import java.util.Currency;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.stream.Collectors;

/**
 * A registry parser driven by a {@link RegistryFormat}: CSV (OpenCSV, RFC 4180 quoting, {@code ;} or {@code ,}, CRLF
 * or LF, blank lines ignored) or XLSX (POI streaming), told apart by the file's first bytes. Providers extend it
 * with their format; the generic processor configures it from YAML.
 */
public class ColumnMappedRegistryParser implements RegistryParser {

    private static final int SNIFF = 64 * 1024;

    private final RegistryFormat format;

    public ColumnMappedRegistryParser(RegistryFormat format) {
        this.format = format;
    }

    public RegistryFormat format() {
        return format;
    }

    @Override
    public String provider() {
        return format.provider();
    }

    @Override
    public boolean accepts(String fileName) {
        return format.fileName().matcher(baseName(fileName)).matches();
    }

    /** The date in the file's name, as {@link #parse} reads it. */
    @Override
    public Optional<LocalDate> businessDate(String fileName) {
        try {
            return Optional.of(dateInName(fileName));
        } catch (RegistryRejectedException e) {
            return Optional.empty();
        }
    }

    @Override
    public RegistrySummary parse(InputStream in, String fileName, RegistrySink sink) {
        return parse(in, fileName, sink, RegistryLimits.DEFAULTS);
    }

    @Override
    public RegistrySummary parse(InputStream in, String fileName, RegistrySink sink, RegistryLimits limits) {
        Reading reading = new Reading(fileName, dateInName(fileName), sink);
        try {
            BufferedInputStream buffered = new BufferedInputStream(Bounded.bytes(in, limits.maxFileBytes()), SNIFF);
            buffered.mark(4);
            byte[] magic = buffered.readNBytes(4);
            buffered.reset();
            if (magic.length == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4) {
                readXlsx(buffered, reading, limits);
            } else {
                readCsv(buffered, reading, limits);
            }
        } catch (Bounded.LimitExceeded e) {
            throw reading.reject(e.getMessage(), e);
        } catch (IOException e) {
            throw reading.reject("cannot be read: " + e.getMessage(), e);
        }
        return reading.finish();
    }

    private void readXlsx(InputStream in, Reading reading, RegistryLimits limits) throws IOException {
        try {
            XlsxRows.read(in, limits, (row, cells) -> reading.row(row, cells, false));
        } catch (RegistryRejectedException e) {
            throw e;
        } catch (Bounded.LimitExceeded | XlsxRows.RowTooLong e) {
            throw reading.reject(e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            if (e.getCause() instanceof Bounded.LimitExceeded limit) {
                throw reading.reject(limit.getMessage(), e);
            }
            throw reading.reject("not a readable XLSX workbook (truncated or damaged): " + e.getMessage(), e);
        }
    }

    private void readCsv(InputStream in, Reading reading, RegistryLimits limits) throws IOException {
        Decoding.Decoded decoded;
        try {
            decoded = Decoding.open(in, format.encoding());
        } catch (IllegalArgumentException e) {
            throw reading.reject(e.getMessage(), e);
        }
        Tail tail = new Tail(Bounded.lines(decoded.reader(), limits.maxLineChars()));
        BufferedReader lines = new BufferedReader(tail, SNIFF);
        long line = 1;
        CSVReader csv = null;
        try {
            char separator = format.separator() != null ? format.separator() : sniffSeparator(lines);
            csv = new CSVReaderBuilder(lines)
                    .withCSVParser(
                            new RFC4180ParserBuilder().withSeparator(separator).build())
                    // a quote never closed would gather the rest of the file into one field
                    .withMultilineLimit(limits.maxFieldLines())
                    .build();
            String[] current = csv.readNext();
            while (current != null) {
                long nextLine = csv.getLinesRead() + 1;
                String[] next = csv.readNext();
                reading.row(line, current, next == null && !tail.endsWithLineBreak());
                current = next;
                line = nextLine;
            }
        } catch (Bounded.LimitExceeded e) {
            throw reading.reject(
                    e.getMessage() + " (at line " + (csv == null ? line : csv.getLinesRead() + 1) + ")", e);
        } catch (CsvMultilineLimitBrokenException e) {
            throw reading.reject(
                    "a record opened at line " + line + " spans more than " + limits.maxFieldLines()
                            + " lines (a quoted field never closed?)",
                    e);
        } catch (CharacterCodingException e) {
            throw reading.reject(
                    "wrong encoding: not valid " + name(decoded.charset()) + " (near line " + line + ")", e);
        } catch (com.opencsv.exceptions.CsvMalformedLineException e) {
            throw reading.reject(
                    "truncated or malformed: a quoted field opened at line " + line + " is never closed", e);
        } catch (CsvException e) {
            throw reading.reject("malformed CSV at line " + line + ": " + e.getMessage(), e);
        }
    }

    private static char sniffSeparator(BufferedReader lines) throws IOException {
        lines.mark(SNIFF);
        String header = "";
        for (String l = lines.readLine(); l != null; l = lines.readLine()) {
            if (!l.isBlank()) {
                header = l;
                break;
            }
        }
        lines.reset();
        int semicolons = 0, commas = 0;
        boolean quoted = false;
        for (char c : header.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == ';') {
                semicolons++;
            } else if (!quoted && c == ',') {
                commas++;
            }
        }
        return commas > semicolons ? ',' : ';';
    }

    private LocalDate dateInName(String fileName) {
        Matcher m = format.fileName().matcher(baseName(fileName));
        if (!m.matches()) {
            throw new RegistryRejectedException(
                    provider(), fileName, "not a registry file name (expected " + format.fileName() + ")", null);
        }
        try {
            return LocalDate.parse(m.group("date"), format.fileDate());
        } catch (IllegalArgumentException | DateTimeException e) {
            throw new RegistryRejectedException(
                    provider(), fileName, "no business date in the file name: " + e.getMessage(), e);
        }
    }

    private static String baseName(String fileName) {
        return fileName.substring(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
    }

    private static String name(Charset charset) {
        return charset.name().equalsIgnoreCase("windows-1251") ? "Windows-1251" : charset.name();
    }

    /** A line that cannot be read; the message says why. */
    private static final class LineProblem extends Exception {
        LineProblem(String message) {
            super(message, null, false, false);
        }
    }

    /** Whether the fields from {@code from} on are all blank. */
    private static boolean blank(String[] fields, int from) {
        for (int i = from; i < fields.length; i++) {
            if (!fields[i].isBlank()) {
                return false;
            }
        }
        return true;
    }

    /** The state of one file being read. */
    private final class Reading {

        final String fileName;
        final LocalDate businessDate;
        final RegistrySink sink;
        Layout layout;
        List<String> headers;
        Map<Field, Integer> index;
        int width;
        RegistryTotals declared;
        long trailerLine;
        long dataLines;
        long accepted;
        long rejected;
        long amountWritten;
        long commissionWritten;
        boolean amountsComplete = true;
        boolean commissionsComplete = true;
        Currency currencySeen;
        String lastTimeText;
        Instant lastTime;

        Reading(String fileName, LocalDate businessDate, RegistrySink sink) {
            this.fileName = fileName;
            this.businessDate = businessDate;
            this.sink = sink;
        }

        RegistryRejectedException reject(String reason, Throwable cause) {
            // reasons quote the file (a header, a totals line): never a card number
            return new RegistryRejectedException(provider(), fileName, Pans.mask(reason), cause);
        }

        void row(long line, String[] raw, boolean cutShort) {
            if (blank(raw, 0)) {
                return; // empty lines, trailing ones included
            }
            if (layout == null) {
                header(raw);
                return;
            }
            if (declared != null) {
                throw reject("line " + line + " comes after the totals line " + trailerLine, null);
            }
            if (format.trailer() != null
                    && raw[0].strip().equalsIgnoreCase(format.trailer().marker())) {
                trailer(line, raw);
                return;
            }
            boolean panMasked = false;
            String[] fields = new String[raw.length];
            for (int i = 0; i < raw.length; i++) {
                fields[i] = Pans.mask(raw[i]);
                panMasked |= !fields[i].equals(raw[i]);
            }
            if (fields.length < width && cutShort) {
                throw reject(
                        "truncated: the last line " + line + " has " + fields.length + " of " + width
                                + " columns and no line end",
                        null);
            }
            dataLines++;
            try {
                if (fields.length < width || !blank(fields, width)) {
                    throw new LineProblem(fields.length + " columns where the header has " + width);
                }
                nulCharacters(fields);
                sink.line(line(line, fields, panMasked));
                accepted++;
            } catch (LineProblem problem) {
                sink.rejected(new RejectedLine(line, problem.getMessage(), panMasked));
                rejected++;
            }
        }

        /** PostgreSQL cannot store the NUL character (0x00) in a text: the line is refused, not the file. */
        void nulCharacters(String[] fields) throws LineProblem {
            for (int i = 0; i < fields.length; i++) {
                if (fields[i].indexOf('\0') >= 0) {
                    throw new LineProblem("a NUL character (0x00) in column " + column(i) + ", which cannot be stored");
                }
            }
        }

        /** A column's header, quoted, or its number when it has none. */
        String column(int at) {
            return at < headers.size() && !headers.get(at).isBlank() ? "\"" + headers.get(at) + "\"" : "" + (at + 1);
        }

        void header(String[] raw) {
            List<String> names = Arrays.stream(raw)
                    .map(h -> h.strip().toLowerCase(Locale.ROOT))
                    .toList();
            for (Layout candidate : format.layouts()) {
                Map<Field, Integer> found = new EnumMap<>(Field.class);
                candidate.columns().forEach((field, header) -> {
                    int at = names.indexOf(header.strip().toLowerCase(Locale.ROOT));
                    if (at >= 0) {
                        found.put(field, at);
                    }
                });
                if (found.size() == candidate.columns().size()) {
                    headers = Arrays.stream(raw).map(String::strip).toList();
                    layout = candidate;
                    index = found;
                    width = raw.length;
                    return;
                }
            }
            throw reject(
                    "unexpected header " + Arrays.toString(raw) + "; expected the columns of "
                            + format.layouts().stream()
                                    .map(l -> l.name() + " " + l.columns().values())
                                    .collect(Collectors.joining(" or ")),
                    null);
        }

        void trailer(long line, String[] raw) {
            RegistryFormat.Trailer t = format.trailer();
            Currency currency = currencySeen == null ? format.currency() : currencySeen;
            try {
                long lines = t.lines() > 0 ? Long.parseLong(cell(raw, t.lines()).strip()) : dataLines;
                Money amount = t.amount() > 0 ? new Money(money(cell(raw, t.amount()), currency), currency) : null;
                Money commission =
                        t.commission() > 0 ? new Money(money(cell(raw, t.commission()), currency), currency) : null;
                declared = new RegistryTotals(lines, amount, commission);
                trailerLine = line;
            } catch (IllegalArgumentException | LineProblem e) {
                throw reject("unreadable totals line " + line + ": " + e.getMessage(), e);
            }
        }

        String cell(String[] raw, int position) throws LineProblem {
            if (position > raw.length) {
                throw new LineProblem("it has no column " + position);
            }
            return raw[position - 1];
        }

        RegistrySummary finish() {
            if (layout == null) {
                throw reject("empty: no header line", null);
            }
            if (format.trailer() != null) {
                if (declared == null) {
                    throw reject(
                            "truncated: no totals line (" + format.trailer().marker() + ") at the end", null);
                }
                if (declared.lines() != dataLines) {
                    throw reject(
                            "the totals line " + trailerLine + " declares " + declared.lines() + " lines, the file has "
                                    + dataLines,
                            null);
                }
                if (declared.amount() != null
                        && amountsComplete
                        && declared.amount().minor() != amountWritten) {
                    throw reject(
                            "the totals line " + trailerLine + " declares an amount of " + declared.amount()
                                    + ", the lines add up to "
                                    + new Money(amountWritten, declared.amount().currency()),
                            null);
                }
                if (declared.commission() != null
                        && commissionsComplete
                        && index.containsKey(Field.COMMISSION)
                        && declared.commission().minor() != commissionWritten) {
                    throw reject(
                            "the totals line " + trailerLine + " declares a commission of " + declared.commission()
                                    + ", the lines add up to "
                                    + new Money(
                                            commissionWritten,
                                            declared.commission().currency()),
                            null);
                }
            }
            return new RegistrySummary(
                    provider(),
                    fileName,
                    businessDate,
                    format.policy(),
                    Optional.ofNullable(declared),
                    accepted,
                    rejected);
        }

        RegistryLine line(long line, String[] fields, boolean panMasked) throws LineProblem {
            String paymentId = value(fields, Field.PAYMENT_ID);
            if (paymentId == null) {
                throw new LineProblem("no payment id in column " + quoted(Field.PAYMENT_ID));
            }
            Currency currency =
                    index.containsKey(Field.CURRENCY) ? currency(value(fields, Field.CURRENCY)) : format.currency();
            currencySeen = currency;
            // every money column is read (and summed for the totals line) before any problem rejects the line
            LineProblem problem = null;
            Long written = null;
            try {
                written = money(value(fields, Field.AMOUNT), currency);
                amountWritten += written;
            } catch (LineProblem e) {
                amountsComplete = false;
                problem = e;
            }
            Long commissionWrittenHere = null;
            if (index.containsKey(Field.COMMISSION)) {
                try {
                    commissionWrittenHere = money(value(fields, Field.COMMISSION), currency);
                    commissionWritten += commissionWrittenHere;
                } catch (LineProblem e) {
                    commissionsComplete = false;
                    problem = problem == null ? e : problem;
                }
            }
            if (problem != null) {
                throw problem;
            }
            RegistryOperation operation = operation(fields);
            int direction = operation.direction();
            if (written < 0 && direction > 0) {
                throw new LineProblem("negative amount \"" + value(fields, Field.AMOUNT) + "\" for a "
                        + operation.name().toLowerCase(Locale.ROOT));
            }
            long amount = Math.abs(written);
            long settlement;
            long commission;
            if (commissionWrittenHere != null) {
                commission = commissionWrittenHere;
                settlement = index.containsKey(Field.SETTLEMENT)
                        ? direction * Math.abs(money(value(fields, Field.SETTLEMENT), currency))
                        : direction * amount - commission;
            } else if (index.containsKey(Field.SETTLEMENT)) {
                settlement = direction * Math.abs(money(value(fields, Field.SETTLEMENT), currency));
                commission = direction * amount - settlement;
            } else {
                commission = 0;
                settlement = direction * amount;
            }
            return new RegistryLine(
                    line,
                    paymentId,
                    value(fields, Field.ORDER_NUMBER),
                    operation,
                    new Money(amount, currency),
                    new Money(commission, currency),
                    new Money(settlement, currency),
                    time(value(fields, Field.TIME)),
                    index.containsKey(Field.CARD_MASK) ? value(fields, Field.CARD_MASK) : null,
                    panMasked);
        }

        RegistryOperation operation(String[] fields) throws LineProblem {
            if (!index.containsKey(Field.OPERATION)) {
                return layout.fixedOperation();
            }
            String value = value(fields, Field.OPERATION);
            RegistryOperation operation =
                    value == null ? null : layout.operations().get(value.toUpperCase(Locale.ROOT));
            if (operation == null) {
                throw new LineProblem("unknown operation \"" + (value == null ? "" : value) + "\" in column "
                        + quoted(Field.OPERATION));
            }
            return operation;
        }

        long money(String value, Currency currency) throws LineProblem {
            try {
                return Amounts.minor(value, format.decimalMark(), Math.max(currency.getDefaultFractionDigits(), 0));
            } catch (IllegalArgumentException e) {
                throw new LineProblem(e.getMessage());
            }
        }

        Currency currency(String value) throws LineProblem {
            if (value == null) {
                return format.currency();
            }
            String code = value.strip().toUpperCase(Locale.ROOT);
            if (code.equals("RUR") || code.equals("643") || code.equals("810")) {
                return Money.RUB;
            }
            try {
                return Currency.getInstance(code);
            } catch (IllegalArgumentException e) {
                throw new LineProblem("unknown currency \"" + value + "\"");
            }
        }

        Instant time(String value) throws LineProblem {
            if (value == null) {
                throw new LineProblem("no operation time in column " + quoted(Field.TIME));
            }
            // Registries run in time order, a busy day many lines to the second: parsing is the dearest part of a line.
            if (value.equals(lastTimeText)) {
                return lastTime;
            }
            try {
                TemporalAccessor parsed = format.time().parse(value);
                Instant time = parsed.query(TemporalQueries.zone()) != null
                        ? ZonedDateTime.from(parsed).toInstant()
                        : LocalDateTime.from(parsed).atZone(format.zone()).toInstant();
                lastTimeText = value;
                lastTime = time;
                return time;
            } catch (DateTimeException e) {
                throw new LineProblem("unparsable time \"" + value + "\" in column " + quoted(Field.TIME));
            }
        }

        String value(String[] fields, Field field) {
            Integer at = index.get(field);
            if (at == null || at >= fields.length) {
                return null;
            }
            String value = fields[at].strip();
            return value.isEmpty() ? null : value;
        }

        String quoted(Field field) {
            return "\"" + layout.columns().get(field) + "\"";
        }
    }

    /** Remembers the last character read, to tell a file cut in the middle of a line from one that ends cleanly. */
    private static final class Tail extends FilterReader {

        private int last = -1;

        Tail(Reader in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            if (c >= 0) {
                last = c;
            }
            return c;
        }

        @Override
        public int read(char[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                last = buffer[offset + n - 1];
            }
            return n;
        }

        boolean endsWithLineBreak() {
            return last == '\n' || last == '\r' || last == -1;
        }
    }
}
