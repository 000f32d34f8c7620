package io.kopek.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Checks that each module's migrations touch only what that module owns. A migration lives in
 * {@code db/migration/<owner>/V<range>.<n>__<what>.sql}: every owner has a version range of its own (so no module
 * ever renumbers another's), all of an owner's migrations come from one Maven module, and what a migration creates
 * (tables, views, sequences, indexes, functions) belongs to its owner. A migration that alters, indexes, triggers
 * on, drops or writes rows of a table another owner created, or redefines another owner's function, is a
 * violation. Referencing another owner's table (a foreign key) or calling its function is reading it, and allowed.
 */
final class MigrationOwnership {

    /** One migration file: its owner (the folder), version, where it came from and its SQL. */
    record Migration(String owner, String version, String origin, String file, String sql) {

        int range() {
            return Integer.parseInt(version.split("\\.")[0]);
        }
    }

    private static final Pattern FILE = Pattern.compile("V(\\d+(?:\\.\\d+)*)__[A-Za-z0-9_]+\\.sql");
    private static final String NAME = "(?:\"?[a-z_][a-z0-9_]*\"?\\.)?\"?([a-z_][a-z0-9_]*)\"?";

    private static final Pattern CREATE_TABLE =
            statement("create\\s+(?:unlogged\\s+)?table\\s+(?:if\\s+not\\s+exists\\s+)?" + NAME);
    private static final Pattern CREATE_VIEW = statement(
            "create\\s+(?:or\\s+replace\\s+)?(?:materialized\\s+)?view\\s+(?:if\\s+not\\s+exists\\s+)?" + NAME);
    private static final Pattern CREATE_SEQUENCE =
            statement("create\\s+sequence\\s+(?:if\\s+not\\s+exists\\s+)?" + NAME);
    private static final Pattern CREATE_FUNCTION =
            statement("create\\s+(?:or\\s+replace\\s+)?(?:function|procedure)\\s+" + NAME);
    private static final Pattern CREATE_INDEX = statement("create\\s+(?:unique\\s+)?index\\s+(?:concurrently\\s+)?"
            + "(?:if\\s+not\\s+exists\\s+)?" + NAME + "\\s+on\\s+(?:only\\s+)?" + NAME);
    private static final Pattern CREATE_TRIGGER = statement(
            "create\\s+(?:or\\s+replace\\s+)?(?:constraint\\s+)?trigger\\s+" + NAME + "[^;]*?\\bon\\s+" + NAME);
    private static final Pattern ALTER = statement(
            "(?:alter|drop|comment\\s+on|truncate)\\s+(?:table|view|materialized\\s+view|sequence)\\s+(?:if\\s+exists\\s+)?"
                    + "(?:only\\s+)?" + NAME);
    private static final Pattern DROP_INDEX =
            statement("drop\\s+index\\s+(?:concurrently\\s+)?(?:if\\s+exists\\s+)?" + NAME);
    private static final Pattern DROP_FUNCTION =
            statement("(?:drop|alter)\\s+(?:function|procedure)\\s+(?:if\\s+exists\\s+)?" + NAME);
    /**
     * Rows written, also inside function bodies (matched on SQL whose white space is one space; {@code for update}
     * and {@code on conflict do update} are no writes of a table named after them). A module's functions write only its own tables too.
     */
    private static final Pattern WRITE = Pattern.compile(
            "\\b(?:insert into|(?<!for |do |or |before |after )update|delete from) (?:only )?" + NAME + "(?=[\\s(;])");

    private static final Set<String> NOT_NAMES =
            Set.of("set", "on", "of", "skip", "nowait", "or", "cascade", "restrict", "no");

    private static Pattern statement(String regex) {
        return Pattern.compile("(?:^|;|\\$\\$)\\s*" + regex);
    }

    private MigrationOwnership() {}

    /** Every migration on the class path, from every Maven module. */
    static List<Migration> onClassPath() {
        try {
            List<Migration> migrations = new ArrayList<>();
            for (Resource resource :
                    new PathMatchingResourcePatternResolver().getResources("classpath*:db/migration/**/*.sql")) {
                String url = resource.getURL().toString();
                int at = url.indexOf("db/migration/");
                String path = url.substring(at + "db/migration/".length());
                String[] parts = path.split("/");
                String owner = parts.length == 2 ? parts[0] : "";
                String file = parts[parts.length - 1];
                String sql = resource.getContentAsString(StandardCharsets.UTF_8);
                migrations.add(new Migration(owner, version(file), url.substring(0, at), path, sql));
            }
            return migrations;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String version(String file) {
        Matcher m = FILE.matcher(file);
        return m.matches() ? m.group(1) : "";
    }

    /** What is wrong with these migrations, one readable line each; empty when each owner keeps to its own. */
    static List<String> violations(List<Migration> migrations) {
        List<String> problems = new ArrayList<>();
        Map<String, String> tables = new HashMap<>();
        Map<String, String> functions = new HashMap<>();
        Map<String, String> indexes = new HashMap<>();
        Map<Integer, String> ranges = new TreeMap<>();
        Map<String, String> origins = new HashMap<>();
        Map<String, String> versions = new HashMap<>();
        for (Migration m : migrations) {
            if (m.owner().isEmpty()) {
                problems.add(m.file() + ": not in a folder of its owning module (db/migration/<owner>/)");
                continue;
            }
            if (m.version().isEmpty()) {
                problems.add(m.file() + ": not named V<range>.<n>__<what>.sql");
                continue;
            }
            String previous = versions.putIfAbsent(m.version(), m.file());
            if (previous != null) {
                problems.add(m.file() + ": version " + m.version() + " is taken by " + previous);
            }
            String rangeOwner = ranges.putIfAbsent(m.range(), m.owner());
            if (rangeOwner != null && !rangeOwner.equals(m.owner())) {
                problems.add(m.file() + ": range " + m.range() + " belongs to " + rangeOwner);
            }
            String origin = origins.putIfAbsent(m.owner(), m.origin());
            if (origin != null && !origin.equals(m.origin())) {
                problems.add(m.file() + ": comes from " + m.origin() + " but " + m.owner() + "'s migrations are in "
                        + origin);
            }
            String sql = normalized(m.sql());
            define(problems, m, "table", tables, CREATE_TABLE, sql, 1);
            define(problems, m, "view", tables, CREATE_VIEW, sql, 1);
            define(problems, m, "sequence", tables, CREATE_SEQUENCE, sql, 1);
            define(problems, m, "index", indexes, CREATE_INDEX, sql, 1);
            for (Matcher f = CREATE_FUNCTION.matcher(sql); f.find(); ) {
                String owner = functions.putIfAbsent(f.group(1), m.owner());
                if (owner != null && !owner.equals(m.owner())) {
                    problems.add(m.file() + ": (re)defines function " + f.group(1) + " of " + owner);
                }
            }
        }
        for (Migration m : migrations) {
            if (m.owner().isEmpty() || m.version().isEmpty()) {
                continue;
            }
            String sql = normalized(m.sql());
            touch(problems, m, "indexes", tables, CREATE_INDEX, sql, 2);
            touch(problems, m, "puts a trigger on", tables, CREATE_TRIGGER, sql, 2);
            touch(problems, m, "alters or drops", tables, ALTER, sql, 1);
            touch(problems, m, "writes rows of", tables, WRITE, sql, 1);
            touch(problems, m, "drops index", indexes, DROP_INDEX, sql, 1);
            touch(problems, m, "alters or drops function", functions, DROP_FUNCTION, sql, 1);
        }
        return problems;
    }

    private static void define(
            List<String> problems,
            Migration m,
            String kind,
            Map<String, String> owners,
            Pattern pattern,
            String sql,
            int group) {
        for (Matcher d = pattern.matcher(sql); d.find(); ) {
            String owner = owners.putIfAbsent(d.group(group), m.owner());
            if (owner != null && !owner.equals(m.owner())) {
                problems.add(m.file() + ": creates " + kind + " " + d.group(group) + ", which " + owner + " created");
            }
        }
    }

    private static void touch(
            List<String> problems,
            Migration m,
            String verb,
            Map<String, String> owners,
            Pattern pattern,
            String sql,
            int group) {
        for (Matcher t = pattern.matcher(sql); t.find(); ) {
            String name = t.group(group);
            if (NOT_NAMES.contains(name)) {
                continue; // "for update skip locked", "on conflict do update set", "before update on"
            }
            String owner = owners.get(name);
            if (owner != null && !owner.equals(m.owner())) {
                problems.add(m.file() + ": " + verb + " " + name + ", which belongs to " + owner);
            } else if (owner == null) {
                problems.add(m.file() + ": " + verb + " " + name + ", which no module's migration creates");
            }
        }
    }

    /** Each table the migrations create, with its owner (views are left out: they are there to be read). */
    static Map<String, String> tableOwners(List<Migration> migrations) {
        Map<String, String> tables = new HashMap<>();
        for (Migration m : migrations) {
            String sql = normalized(m.sql());
            for (Matcher t = CREATE_TABLE.matcher(sql); t.find(); ) {
                tables.putIfAbsent(t.group(1), m.owner());
            }
        }
        return tables;
    }

    private static final Pattern READ =
            Pattern.compile("\\b(?:from|join)\\s+(?:only\\s+|lateral\\s+)?" + NAME + "(?=[\\s);,]|$)");

    /**
     * Where code of {@code owner} (its SQL statements) reads or writes another owner's table instead of a view that
     * owner publishes; empty when it keeps to its own tables and others' views. Names its migrations do not create
     * (temporary tables, a statement's own subqueries) are its own business.
     */
    static List<String> foreignTablesUsed(String owner, Map<String, String> statements, Map<String, String> tables) {
        List<String> problems = new ArrayList<>();
        statements.forEach((name, statement) -> {
            String sql = normalized(statement);
            for (Pattern pattern : List.of(READ, WRITE)) {
                for (Matcher r = pattern.matcher(sql); r.find(); ) {
                    String table = r.group(1);
                    String tableOwner = tables.get(table);
                    if (tableOwner != null && !tableOwner.equals(owner)) {
                        problems.add(
                                name + ": uses " + table + " of " + tableOwner + " instead of a view it publishes");
                    }
                }
            }
        });
        return problems;
    }

    /**
     * Where code of {@code owner} names another owner's table as a whole literal (the table a kernel helper such as
     * {@code io.kopek.partition.DayPartitions} is given); empty when every table it names is its own.
     */
    static List<String> foreignTablesNamed(
            String owner, Map<String, List<String>> literals, Map<String, String> tables) {
        List<String> problems = new ArrayList<>();
        new TreeMap<>(literals).forEach((name, texts) -> {
            for (String text : texts) {
                String tableOwner = tables.get(text.strip());
                if (tableOwner != null && !tableOwner.equals(owner)) {
                    problems.add(name + ": names " + text.strip() + " of " + tableOwner);
                }
            }
        });
        return problems;
    }

    /** Lower case, comments and string literals out, so that names in them are not taken for statements. */
    private static String normalized(String sql) {
        return sql.replaceAll("--[^\\n]*", "")
                .replaceAll("'(?:[^']|'')*'", "''")
                .replaceAll("\\s+", " ")
                .toLowerCase(Locale.ROOT);
    }
}
