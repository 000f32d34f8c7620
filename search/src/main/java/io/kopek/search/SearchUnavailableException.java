package io.kopek.search;

/** The search engine could not be reached, or kept refusing, within the retries: the caller tries again later. */
public class SearchUnavailableException extends RuntimeException {

    public SearchUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
