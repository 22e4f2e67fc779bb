package io.idgate.guardrails;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parser tables' one assertion: a document is refused with an error at this line and field that says this. */
final class ParseErrors {

    private ParseErrors() {}

    /** One case of a parser table: {@code yaml} is refused at {@code line} and {@code path} with an error containing {@code message}. */
    record Row(String name, String yaml, int line, String path, String message) {
        @Override
        public String toString() {
            return name;
        }

        void assertRefused() {
            ParseErrors.assertRefused(yaml, line, path, message);
        }
    }

    static void assertRefused(String yaml, int line, String path, String message) {
        var result = assertInstanceOf(ParseResult.Invalid.class, GuardrailParser.parse("idgate-system", "g", "a.yaml", yaml));
        ParseError error = result.errors().stream().filter(e -> e.fieldPath().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError("no error at " + path + ": " + result.errors()));
        assertEquals(line, error.line(), error.text());
        assertTrue(error.message().contains(message), error.text());
    }
}
