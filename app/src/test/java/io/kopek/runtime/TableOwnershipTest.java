package io.kopek.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.runtime.MigrationOwnership.Migration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class TableOwnershipTest {

    @Test
    void everyModulesMigrationsTouchOnlyWhatThatModuleOwns() {
        List<Migration> migrations = MigrationOwnership.onClassPath();

        assertThat(migrations)
                .extracting(Migration::owner)
                .contains(
                        "kernel",
                        "ledger",
                        "customer",
                        "catalog",
                        "pricing",
                        "billing",
                        "api",
                        "cardpayment",
                        "fiscal",
                        "ingest",
                        "batch",
                        "reconciliation");
        assertThat(MigrationOwnership.violations(migrations)).isEmpty();
    }

    @Test
    void aMigrationIndexingAnotherModulesTableIsCaught() {
        List<Migration> migrations = List.of(
                migration("billing", "6.1", "create table payment (id bigint primary key, provider text);"),
                migration("reconciliation", "12.1", "create index payment_day on payment (provider);"));

        assertThat(MigrationOwnership.violations(migrations))
                .containsExactly("reconciliation/V12.1__x.sql: indexes payment, which belongs to billing");
    }

    @Test
    void alteringDroppingOrWritingAnotherModulesTableIsCaught() {
        List<Migration> migrations = List.of(
                migration(
                        "ledger",
                        "2.1",
                        "create table ledger_account (id bigint);\n"
                                + "create index ledger_account_id on ledger_account (id);"),
                migration(
                        "billing",
                        "6.1",
                        "alter table ledger_account add column note text;\n"
                                + "drop index ledger_account_id;\n"
                                + "-- insert into ledger_account is only a comment here\n"
                                + "create function f() returns void language sql as $$ insert into ledger_account values (1) $$;"));

        assertThat(MigrationOwnership.violations(migrations))
                .containsExactlyInAnyOrder(
                        "billing/V6.1__x.sql: alters or drops ledger_account, which belongs to ledger",
                        "billing/V6.1__x.sql: drops index ledger_account_id, which belongs to ledger",
                        "billing/V6.1__x.sql: writes rows of ledger_account, which belongs to ledger");
    }

    @Test
    void aTableOrFunctionDefinedByTwoModulesOrARangeSharedIsCaught() {
        List<Migration> migrations = List.of(
                migration(
                        "ledger",
                        "2.1",
                        "create table account (id bigint);\n"
                                + "create function ledger_post() returns void language sql as $$ select 1 $$;"),
                migration(
                        "billing",
                        "2.2",
                        "create table account (id bigint);\n"
                                + "create or replace function ledger_post() returns void language sql as $$ select 2 $$;"));

        assertThat(MigrationOwnership.violations(migrations))
                .containsExactlyInAnyOrder(
                        "billing/V2.2__x.sql: range 2 belongs to ledger",
                        "billing/V2.2__x.sql: creates table account, which ledger created",
                        "billing/V2.2__x.sql: (re)defines function ledger_post of ledger");
    }

    @Test
    void readingAnotherModulesTableIsAllowed() {
        List<Migration> migrations = List.of(
                migration("billing", "6.1", "create table invoice (id bigint primary key);"),
                migration(
                        "fiscal",
                        "9.1",
                        "create table receipt (invoice_id bigint references invoice (id));\n"
                                + "create view receipt_invoice as select r.* from receipt r join invoice i on i.id = r.invoice_id;\n"
                                + "insert into receipt (invoice_id) select id from invoice for update skip locked;"));

        assertThat(MigrationOwnership.violations(migrations)).isEmpty();
    }

    /**
     * The SQL in every module's code (its string literals, file by file: the reconciliation's among them) uses only
     * its own tables and the views other modules publish. A module's code is its Java package: the kernel's packages own the kernel's tables.
     */
    @Test
    void everyModulesSqlUsesItsOwnTablesAndOnlyTheViewsOfOthers() throws IOException {
        Map<String, String> tables = MigrationOwnership.tableOwners(MigrationOwnership.onClassPath());
        List<String> problems = new ArrayList<>();
        int files = 0;
        try (Stream<Path> sources = Files.walk(ROOT)) {
            for (Path source : sources.filter(
                            p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/io/kopek/"))
                    .toList()) {
                String text = Files.readString(source);
                Matcher pkg = PACKAGE.matcher(text);
                if (!pkg.find() || pkg.group(1).equals("bench")) {
                    continue; // the benchmarks write their floors' data straight into the tables, on purpose
                }
                files++;
                String file = ROOT.relativize(source).toString();
                problems.addAll(MigrationOwnership.foreignTablesUsed(
                        owner(pkg.group(1)), Map.of(file, literals(text)), tables));
                if (text.contains("io.kopek.partition.")) {
                    problems.addAll(MigrationOwnership.foreignTablesNamed(
                            owner(pkg.group(1)), Map.of(file, literalList(text)), tables));
                }
            }
        }

        assertThat(files).isGreaterThan(100);
        assertThat(problems).isEmpty();
    }

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern PACKAGE = Pattern.compile("^package io\\.kopek\\.([a-z]+)", Pattern.MULTILINE);
    private static final Pattern LITERAL = Pattern.compile("\"\"\"([\\s\\S]*?)\"\"\"|\"((?:[^\"\\\\\\n]|\\\\.)*)\"");
    private static final Set<String> KERNEL = Set.of(
            "money",
            "outbox",
            "calendar",
            "errors",
            "deployment",
            "exchange",
            "pan",
            "installation",
            "schedule",
            "partition");

    /** The migrations' owner that a top-level package's code belongs to. */
    private static String owner(String topPackage) {
        return KERNEL.contains(topPackage) ? "kernel" : topPackage;
    }

    /** A source file's string literals, text blocks included, one after the other. */
    private static String literals(String source) {
        return String.join(" ", literalList(source)) + ' ';
    }

    /** A source file's string literals, text blocks included, each on its own. */
    private static List<String> literalList(String source) {
        List<String> all = new ArrayList<>();
        for (Matcher m = LITERAL.matcher(source); m.find(); ) {
            all.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return all;
    }

    /**
     * The kernel's day partitions take a table's name, not SQL: in code that uses them, a literal that is a table's
     * name is that table used, and a module names only its own.
     */
    @Test
    void aTableNamedToTheDayPartitionsByAnotherModuleIsCaught() {
        List<Migration> migrations = List.of(
                migration("ingest", "10.1", "create table registry_line (file_id bigint);"),
                migration("reconciliation", "12.1", "create table reconciliation_result (run_id bigint);"));

        assertThat(MigrationOwnership.foreignTablesNamed(
                        "reconciliation",
                        Map.of(
                                "OWN", List.of("reconciliation_result"),
                                "OTHERS", List.of("registry_line"),
                                "TEXT", List.of("the registry_line of a file", "analyze ")),
                        MigrationOwnership.tableOwners(migrations)))
                .containsExactly("OTHERS: names registry_line of ingest");
    }

    @Test
    void readingAnotherModulesTableInsteadOfItsViewIsCaught() {
        List<Migration> migrations = List.of(
                migration(
                        "billing",
                        "6.1",
                        "create table payment (id bigint);\n"
                                + "create view billing_card_payment as select * from payment;"),
                migration("reconciliation", "12.1", "create table reconciliation_result (id bigint);"));

        assertThat(MigrationOwnership.foreignTablesUsed(
                        "reconciliation",
                        Map.of(
                                "THROUGH_VIEW", "insert into reconciliation_result select id from billing_card_payment",
                                "DIRECT", "select p.id from rec_reg g\njoin payment p on p.id = g.id"),
                        MigrationOwnership.tableOwners(migrations)))
                .containsExactly("DIRECT: uses payment of billing instead of a view it publishes");
    }

    private static Migration migration(String owner, String version, String sql) {
        return new Migration(owner, version, "classes/", owner + "/V" + version + "__x.sql", sql);
    }
}
