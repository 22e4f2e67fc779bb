package io.idgate.netpol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CidrTest {

    record ContainsCase(String name, String outer, String inner, boolean contains) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<ContainsCase> containsCases() {
        return Stream.of(
                new ContainsCase("a /16 contains a /24 inside it", "10.20.0.0/16", "10.20.3.0/24", true),
                new ContainsCase("a block contains itself", "10.20.0.0/16", "10.20.0.0/16", true),
                new ContainsCase("a /16 does not contain the /8 around it", "10.20.0.0/16", "10.0.0.0/8", false),
                new ContainsCase("a /16 does not contain a neighbouring /24", "10.20.0.0/16", "10.21.0.0/24", false),
                new ContainsCase("0.0.0.0/0 contains every IPv4 block", "0.0.0.0/0", "192.168.1.1/32", true),
                new ContainsCase("0.0.0.0/0 contains no IPv6 block", "0.0.0.0/0", "fd00::/8", false),
                new ContainsCase("::/0 contains no IPv4 block", "::/0", "10.0.0.0/8", false),
                new ContainsCase("::/0 contains no IPv4-mapped block", "::/0", "::ffff:10.0.0.0/104", false),
                new ContainsCase("an IPv6 /32 contains a /48 inside it", "fd00:20::/32", "fd00:20:1::/48", true),
                new ContainsCase("an IPv6 /32 does not contain a sibling", "fd00:20::/32", "fd00:21::/48", false),
                new ContainsCase("a mapped IPv6 block is its IPv4 block", "10.20.0.0/16", "::ffff:10.20.3.0/120", true),
                new ContainsCase("a mapped IPv6 allowed block contains IPv4", "::ffff:10.0.0.0/104", "10.1.0.0/16", true),
                new ContainsCase("upper-case hex and full form parse alike", "FD00:0020:0:0:0:0:0:0/32", "fd00:20::1/128", true),
                new ContainsCase("a trailing dotted quad in IPv6 works", "64:ff9b::/96", "64:ff9b::10.0.0.1/128", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("containsCases")
    void contains(ContainsCase c) {
        assertEquals(c.contains(), Cidr.parse(c.outer()).contains(Cidr.parse(c.inner())));
    }

    static Stream<String> invalid() {
        return Stream.of("10.0.0.0", "10.0.0.0/33", "10.0.0/8", "10.0.0.256/32", "010.0.0.0/8", "10.0.0.0/08", "fd00::/129",
                "fd00:::1/64", "1::2::3/64", "fd00::g/8", "fe80::1%eth0/64", "[fd00::]/8", "1:2:3:4:5:6:7:8:9/128", "/8", "");
    }

    @ParameterizedTest(name = "{0} is not a CIDR")
    @MethodSource("invalid")
    void rejects(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cidr.parse(text));
        assertTrue(e.getMessage().contains("write address/prefix"), e.getMessage());
    }

    @ParameterizedTest(name = "{0} is canonically {1}")
    @MethodSource("canonical")
    void canonicalForm(String text, String canonical, boolean hostBits) {
        Cidr c = Cidr.parse(text);
        assertEquals(canonical, c.canonical());
        assertEquals(hostBits, c.hostBits());
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> canonical() {
        return Stream.of(
                org.junit.jupiter.params.provider.Arguments.of("10.20.0.1/16", "10.20.0.0/16", true),
                org.junit.jupiter.params.provider.Arguments.of("::ffff:10.20.0.0/112", "10.20.0.0/16", false),
                org.junit.jupiter.params.provider.Arguments.of("fd00::/8", "fd00:0:0:0:0:0:0:0/8", false),
                org.junit.jupiter.params.provider.Arguments.of("::/0", "0:0:0:0:0:0:0:0/0", false));
    }
}
