package io.kopek.provider;

/** Where a {@link RegistryParser} hands each line as it reads it, in file order. */
public interface RegistrySink {

    void line(RegistryLine line);

    void rejected(RejectedLine line);
}
