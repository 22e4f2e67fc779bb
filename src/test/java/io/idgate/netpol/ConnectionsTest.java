package io.idgate.netpol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ConnectionsTest {

    record Case(String name, Connections set, String text) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Connections tcp(int a, int b) {
        return Connections.of(Protocol.TCP, a, b);
    }

    static Stream<Case> texts() {
        return Stream.of(
                new Case("every port of every protocol is All Connections", Connections.ALL, "All Connections"),
                new Case("the three full protocols are All Connections",
                        Connections.allOf(Protocol.TCP).union(Connections.allOf(Protocol.UDP)).union(Connections.allOf(Protocol.SCTP)), "All Connections"),
                new Case("two full protocols are listed", Connections.allOf(Protocol.TCP).union(Connections.allOf(Protocol.UDP)), "TCP 1-65535,UDP 1-65535"),
                new Case("protocols in the order TCP, UDP, SCTP and ports sorted",
                        Connections.of(Protocol.UDP, 53).union(Connections.of(Protocol.SCTP, 9)).union(tcp(8080, 8090)).union(tcp(80, 80)),
                        "TCP 80,8080-8090,UDP 53,SCTP 9"),
                new Case("adjacent ranges merge", tcp(80, 89).union(tcp(90, 99)), "TCP 80-99"),
                new Case("overlapping ranges merge", tcp(80, 95).union(tcp(90, 99)).union(tcp(85, 86)), "TCP 80-99"),
                new Case("ranges with a gap stay apart", tcp(80, 88).union(tcp(90, 99)), "TCP 80-88,90-99"),
                new Case("intersection keeps the common part", tcp(80, 100).intersect(tcp(90, 200).union(tcp(1, 81))), "TCP 80-81,90-100"),
                new Case("intersection across protocols is empty", tcp(53, 53).intersect(Connections.of(Protocol.UDP, 53)), "No Connections"),
                new Case("All intersected with a set is that set", Connections.ALL.intersect(Connections.of(Protocol.UDP, 53)), "UDP 53"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("texts")
    void text(Case c) {
        assertEquals(c.text(), c.set().toString());
    }

    @Test
    void emptinessAndContainment() {
        assertTrue(Connections.NONE.isEmpty());
        assertTrue(tcp(10, 5).isEmpty());
        assertFalse(tcp(1, 1).isEmpty());
        assertTrue(tcp(80, 90).contains(Protocol.TCP, 85));
        assertFalse(tcp(80, 90).contains(Protocol.UDP, 85));
        assertTrue(Connections.ALL.containsAll(tcp(1, 5)));
        assertFalse(tcp(1, 5).containsAll(tcp(1, 6)));
    }

    /** Union and intersection agree with a bitmap of ports on random sets. */
    @Test
    void setAlgebraAgreesWithABitmap() {
        Random rnd = new Random(42);
        for (int round = 0; round < 300; round++) {
            Connections a = random(rnd);
            Connections b = random(rnd);
            Connections u = a.union(b);
            Connections i = a.intersect(b);
            assertEquals(u, b.union(a));
            assertEquals(i, b.intersect(a));
            for (Protocol p : Protocol.values()) {
                for (int port = 1; port <= 120; port++) {
                    boolean inA = a.contains(p, port);
                    boolean inB = b.contains(p, port);
                    assertEquals(inA || inB, u.contains(p, port));
                    assertEquals(inA && inB, i.contains(p, port));
                }
            }
        }
    }

    static Connections random(Random rnd) {
        Connections c = Connections.NONE;
        for (int k = rnd.nextInt(5); k > 0; k--) {
            int lo = 1 + rnd.nextInt(110);
            c = c.union(Connections.of(Protocol.values()[rnd.nextInt(3)], lo, lo + rnd.nextInt(10)));
        }
        return c;
    }

    /** The protocol-group text reads back as the set it prints, and bad specs say what to write. */
    @Test
    void protocolGroupsParseBack() {
        for (Case c : texts().toList()) {
            if (!c.set().isEmpty()) {
                assertEquals(c.set(), Connections.parse(c.text()), c.name());
            }
        }
        assertEquals(Connections.allOf(Protocol.UDP), Connections.parse("UDP"));
        assertEquals(Connections.of(Protocol.TCP, 80).union(Connections.of(Protocol.UDP, 53)), Connections.parse(" TCP 80 , UDP 53 "));
        for (String bad : new String[] {"", "8443", "tcp 80", "TCP 0", "TCP 70000", "TCP 90-80", "TCP http", "TCP 80 81", "TCP 80,,"}) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Connections.parse(bad), bad);
            assertTrue(e.getMessage().contains("write protocol groups such as"), e.getMessage());
        }
    }
}
