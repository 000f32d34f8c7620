package io.kopek.provider;

/**
 * How much a registry file may hold before it is not a registry but a hostile or broken file: quarantined with
 * the reason, instead of read until memory runs out. A registry of a million lines is about 200 MB with lines of
 * a few hundred characters; the defaults leave room for that and nothing near a heap.
 *
 * @param maxFileBytes the file's size
 * @param maxLineChars a physical line of a CSV file, or the text of a spreadsheet row
 * @param maxFieldLines the physical lines one CSV record may span (a quoted field with line breaks; a quote never
 *     closed would otherwise run to the end of the file)
 * @param maxSharedStringsBytes an XLSX workbook's shared-strings part, which is read whole into memory (its
 *     inflated bytes are counted, whatever the zip's headers claim)
 */
public record RegistryLimits(long maxFileBytes, int maxLineChars, int maxFieldLines, long maxSharedStringsBytes) {

    public static final RegistryLimits DEFAULTS = new RegistryLimits(1L << 30, 64 * 1024, 100, 64L << 20);

    public RegistryLimits {
        if (maxFileBytes <= 0 || maxLineChars <= 0 || maxFieldLines <= 0 || maxSharedStringsBytes <= 0) {
            throw new IllegalArgumentException("registry limits are positive: " + maxFileBytes + ", " + maxLineChars
                    + ", " + maxFieldLines + ", " + maxSharedStringsBytes);
        }
    }
}
