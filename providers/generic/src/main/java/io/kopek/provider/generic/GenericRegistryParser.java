package io.kopek.provider.generic;

import io.kopek.provider.registry.ColumnMappedRegistryParser;
import io.kopek.provider.registry.RegistrySettings;

/**
 * A processing centre's settlement registry described in configuration alone
 * ({@code kopek.generic-processors.<id>.registry}): a column-mapped CSV whose file pattern, encoding, separator,
 * decimal format, time format and zone, columns, operation values, totals line and policy are all settings.
 */
public class GenericRegistryParser extends ColumnMappedRegistryParser {

    public GenericRegistryParser(String id, RegistrySettings settings) {
        super(settings.format(id));
    }
}
