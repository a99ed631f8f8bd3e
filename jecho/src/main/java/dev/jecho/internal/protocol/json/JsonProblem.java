package dev.jecho.internal.protocol.json;

/**
 * A message that is not acceptable JSON: the {@code code} of its error object and a human detail.
 * The connection stays usable (except for {@link JsonErrors#LINE_TOO_LONG}).
 */
public final class JsonProblem extends Exception {

    private final String code;

    public JsonProblem(String code, String detail) {
        super(detail, null, false, false);
        this.code = code;
    }

    public String code() {
        return code;
    }

    public String detail() {
        return getMessage();
    }
}
