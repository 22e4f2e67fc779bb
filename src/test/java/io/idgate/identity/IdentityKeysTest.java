package io.idgate.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class IdentityKeysTest {

    record Row(String name, String prefix, String key, boolean owned) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> keys() {
        return Stream.of(
                new Row("a key under the prefix is owned", "idgate.io", "idgate.io/service-account", true),
                new Row("a made-up name under the prefix is owned", "idgate.io", "idgate.io/anything", true),
                new Row("a groups subdomain key is owned", "idgate.io", "groups.idgate.io/payments", true),
                new Row("any subdomain of the prefix is owned", "idgate.io", "a.b.idgate.io/x", true),
                new Row("upper-case spelling is owned", "idgate.io", "IDGATE.IO/service-account", true),
                new Row("a look-alike domain is not owned", "idgate.io", "notidgate.io/x", false),
                new Row("a key without prefix is not owned", "idgate.io", "idgate.io", false),
                new Row("an app label is not owned", "idgate.io", "app", false),
                new Row("a parent domain is not owned", "idgate.io", "io/x", false),
                new Row("a custom prefix is honoured", "ids.example.com", "groups.ids.example.com/x", true),
                new Row("the default prefix is not owned under a custom one", "ids.example.com", "idgate.io/x", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keys")
    void ownership(Row row) {
        assertEquals(row.owned(), new IdentityKeys(row.prefix()).isOwned(row.key()));
    }
}
