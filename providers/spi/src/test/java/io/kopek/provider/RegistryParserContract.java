package io.kopek.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.kopek.sandbox.registry.Settled;
import io.kopek.sandbox.registry.SettlementRegistry;
import io.kopek.sandbox.registry.Ugliness;
import io.kopek.sandbox.registry.WrittenRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every provider's registry parser owes Kopek, checked against the files the provider's simulator writes after
 * it has really processed a day of payments: the test of a provider module extends this, makes the payments through
 * its provider in {@link #settleADay}, and adds what is particular to its format.
 *
 * <p>The simulator's clock is set so that the day's operations happen at 21:30 UTC, already the next day in Moscow
 * (and further east): a parser that ignores the provider's zone dates them wrong.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class RegistryParserContract {

    /** When the simulated day's operations happen: 00:30 on 16 March 2026 in Moscow. */
    protected static final Instant OPERATIONS_AT = Instant.parse("2026-03-15T21:30:00Z");

    @TempDir
    protected Path dir;

    /** The parser under test, configured as in production. */
    protected abstract RegistryParser parser();

    /** The simulator's registries. */
    protected abstract SettlementRegistry registry();

    /**
     * Starts the simulator with {@code clock} and makes at least three payments (one of them a partial capture of a
     * hold where the provider has holds) and a partial refund through the provider.
     */
    protected abstract void settleADay(Clock clock) throws Exception;

    /** A clock that ticks from {@link #OPERATIONS_AT}. */
    protected static Clock clockAtOperationsTime() {
        return Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), OPERATIONS_AT));
    }

    protected LocalDate day() {
        return LocalDate.ofInstant(OPERATIONS_AT, registry().zone());
    }

    @BeforeAll
    void settle() throws Exception {
        settleADay(clockAtOperationsTime());
        assertThat(registry().settledOn(day()))
                .as("the simulator settled a day of payments and a refund")
                .hasSizeGreaterThanOrEqualTo(4);
    }

    protected List<WrittenRegistry> write(Ugliness... ugliness) {
        Set<Ugliness> asked = ugliness.length == 0 ? Set.of() : EnumSet.of(ugliness[0], ugliness);
        for (Ugliness u : asked) {
            assumeThat(registry().supports(u))
                    .as(registry().provider() + " registries cannot have " + u)
                    .isTrue();
        }
        try {
            Path into = Files.createTempDirectory(dir, "registry");
            return registry().write(day(), into, asked);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected ParsedRegistry parse(WrittenRegistry file) {
        try (InputStream in = Files.newInputStream(file.path())) {
            return parser().parse(in, file.fileName());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lines of every file written with this ugliness (in the first), with their line numbers. */
    protected List<RegistryLine> lines(List<WrittenRegistry> files) {
        List<RegistryLine> lines = new ArrayList<>();
        for (WrittenRegistry file : files) {
            lines.addAll(parse(file).lines());
        }
        return lines;
    }

    /** What is compared: everything but the line number. */
    record Seen(
            String paymentId,
            String orderNumber,
            RegistryOperation operation,
            long amount,
            long commission,
            long settlement,
            Instant time,
            String cardMask) {

        static Seen of(RegistryLine l) {
            return new Seen(
                    l.providerPaymentId(),
                    l.orderNumber(),
                    l.operation(),
                    l.amount().minor(),
                    l.commission().minor(),
                    l.settlement().minor(),
                    l.operationTime(),
                    l.cardMask());
        }

        static Seen of(Settled s, boolean hasCardMask) {
            return new Seen(
                    s.paymentId(),
                    s.orderNumber(),
                    RegistryOperation.valueOf(s.kind().name()),
                    s.amount(),
                    s.commission(),
                    s.settlement(),
                    s.at(),
                    hasCardMask ? s.cardMask() : null);
        }
    }

    protected List<Seen> seen(List<RegistryLine> lines) {
        return lines.stream()
                .map(Seen::of)
                .sorted(Comparator.comparing(Seen::paymentId).thenComparing(Seen::operation))
                .toList();
    }

    protected List<Seen> clean() {
        return seen(lines(write()));
    }

    @Test
    void everyOperationOfTheDayIsReadWithItsAmountsCommissionAndTime() {
        List<WrittenRegistry> files = write();
        boolean masks = registry().settledOn(day()).stream().anyMatch(s -> s.cardMask() != null);
        List<Seen> expected = registry().settledOn(day()).stream()
                .map(s -> Seen.of(s, masks))
                .sorted(Comparator.comparing(Seen::paymentId).thenComparing(Seen::operation))
                .toList();

        List<ParsedRegistry> parsed = files.stream().map(this::parse).toList();

        assertThat(seen(parsed.stream().flatMap(p -> p.lines().stream()).toList()))
                .containsExactlyElementsOf(expected);
        assertThat(parsed).allSatisfy(p -> {
            assertThat(p.rejected()).isEmpty();
            assertThat(p.summary().businessDate()).isEqualTo(day());
            assertThat(p.summary().provider()).isEqualTo(parser().provider());
            assertThat(p.summary().importable()).isTrue();
        });
    }

    @Test
    void timesAreReadInTheProvidersZone() {
        List<RegistryLine> lines = lines(write());

        assertThat(lines).allSatisfy(line -> {
            assertThat(LocalDate.ofInstant(line.operationTime(), registry().zone()))
                    .isEqualTo(day());
            assertThat(LocalDate.ofInstant(line.operationTime(), ZoneOffset.UTC))
                    .isEqualTo(day().minusDays(1));
        });
    }

    @Test
    void theParserRecognisesItsOwnFilesOnly() {
        assertThat(write())
                .allSatisfy(
                        file -> assertThat(parser().accepts(file.fileName())).isTrue());
        assertThat(parser().accepts("statement_2026-03-16.txt")).isFalse();
    }

    @Test
    void linesStreamToTheSinkAsTheSummaryCounts() throws IOException {
        WrittenRegistry file = write(Ugliness.BAD_AMOUNT).getFirst();
        AtomicLong lines = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        RegistrySummary summary;
        try (InputStream in = Files.newInputStream(file.path())) {
            summary = parser().parse(in, file.fileName(), new RegistrySink() {
                @Override
                public void line(RegistryLine line) {
                    lines.incrementAndGet();
                }

                @Override
                public void rejected(RejectedLine line) {
                    rejected.incrementAndGet();
                }
            });
        }

        assertThat(summary.accepted()).isEqualTo(lines.get()).isEqualTo(file.operations() - 1);
        assertThat(summary.rejected()).isEqualTo(rejected.get()).isEqualTo(1);
    }

    @Test
    void aByteOrderMarkAndCrlfLineEndsChangeNothing() {
        assertThat(seen(lines(write(Ugliness.BOM, Ugliness.CRLF)))).isEqualTo(clean());
    }

    @Test
    void trailingEmptyLinesAreIgnored() {
        assertThat(seen(lines(write(Ugliness.TRAILING_EMPTY_LINES)))).isEqualTo(clean());
    }

    @Test
    void windows1251IsDecoded() {
        assertThat(seen(lines(write(Ugliness.CP1251)))).isEqualTo(clean());
    }

    @Test
    void separatorsInsideQuotedFieldsStayInTheirField() {
        assertThat(seen(lines(write(Ugliness.QUOTED_SEPARATORS)))).isEqualTo(clean());
    }

    @Test
    void aFullCardNumberIsMaskedAndItsLineFlagged() {
        WrittenRegistry file = write(Ugliness.FULL_PAN).getFirst();
        long line = file.lineOf().get(Ugliness.FULL_PAN);

        ParsedRegistry parsed = parse(file);

        assertThat(parsed.lines())
                .filteredOn(RegistryLine::panMasked)
                .singleElement()
                .satisfies(flagged -> {
                    assertThat(flagged.lineNumber()).isEqualTo(line);
                    if (flagged.cardMask() != null) {
                        assertThat(flagged.cardMask()).isEqualTo("427638******5679");
                    }
                });
        assertThat(parsed.toString()).doesNotContain(Ugliness.FULL_PAN_NUMBER);
    }

    @Test
    void aTruncatedFileIsQuarantinedWhole() {
        WrittenRegistry file = write(Ugliness.TRUNCATED).getFirst();

        assertThatThrownBy(() -> parse(file))
                .isInstanceOfSatisfying(
                        RegistryRejectedException.class,
                        e -> assertThat(e.reason()).containsIgnoringCase("truncated"));
    }

    @Test
    void aBadAmountRejectsItsLineOnly() {
        WrittenRegistry file = write(Ugliness.BAD_AMOUNT).getFirst();

        ParsedRegistry parsed = parse(file);

        assertThat(parsed.rejected()).singleElement().satisfies(rejected -> {
            assertThat(rejected.lineNumber()).isEqualTo(file.lineOf().get(Ugliness.BAD_AMOUNT));
            assertThat(rejected.reason()).contains("amount");
        });
        assertThat(parsed.lines()).hasSize(file.operations() - 1);
    }

    @Test
    void anImpossibleDateRejectsItsLineInsteadOfBecomingAnotherDay() {
        WrittenRegistry file = write(Ugliness.IMPOSSIBLE_DATE).getFirst();

        ParsedRegistry parsed = parse(file);

        assertThat(parsed.rejected()).singleElement().satisfies(rejected -> {
            assertThat(rejected.lineNumber()).isEqualTo(file.lineOf().get(Ugliness.IMPOSSIBLE_DATE));
            assertThat(rejected.reason()).contains("time");
        });
        assertThat(parsed.lines()).hasSize(file.operations() - 1);
    }

    @Test
    void anUnknownOperationRejectsItsLineOnly() {
        WrittenRegistry file = write(Ugliness.UNKNOWN_OPERATION).getFirst();

        ParsedRegistry parsed = parse(file);

        assertThat(parsed.rejected()).singleElement().satisfies(rejected -> {
            assertThat(rejected.lineNumber()).isEqualTo(file.lineOf().get(Ugliness.UNKNOWN_OPERATION));
            assertThat(rejected.reason()).contains("unknown operation");
        });
        assertThat(parsed.lines()).hasSize(file.operations() - 1);
    }

    @Test
    void aTotalsLineThatDisagreesWithTheLinesQuarantinesTheFile() {
        WrittenRegistry file = write(Ugliness.WRONG_TRAILER_TOTAL).getFirst();

        assertThatThrownBy(() -> parse(file))
                .isInstanceOfSatisfying(
                        RegistryRejectedException.class,
                        e -> assertThat(e.reason()).contains("declares"));
    }

    @Test
    void aFileWithAnotherStructureIsQuarantined() throws IOException {
        WrittenRegistry file = write().getFirst();
        Path other = dir.resolve("other").resolve(file.fileName());
        Files.createDirectories(other.getParent());
        Files.writeString(other, "id;sum;when\n1;100;yesterday\n", StandardCharsets.UTF_8);

        assertThatThrownBy(() -> parse(new WrittenRegistry(other, 1, java.util.Map.of())))
                .isInstanceOfSatisfying(
                        RegistryRejectedException.class,
                        e -> assertThat(e.reason()).contains("header"));
    }

    @Test
    void anEmptyFileIsQuarantined() throws IOException {
        WrittenRegistry file = write().getFirst();
        Path empty = dir.resolve("empty").resolve(file.fileName());
        Files.createDirectories(empty.getParent());
        Files.write(empty, new byte[0]);

        assertThatThrownBy(() -> parse(new WrittenRegistry(empty, 0, java.util.Map.of())))
                .isInstanceOfSatisfying(
                        RegistryRejectedException.class,
                        e -> assertThat(e.reason()).contains("empty"));
    }
}
