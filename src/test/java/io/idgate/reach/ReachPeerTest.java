package io.idgate.reach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.idgate.netpol.Cidr;
import io.idgate.netpol.ContainerPort;
import io.idgate.netpol.Protocol;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** {@link ReachPeer} is a value (it stopped being a record only to keep its id): equal exactly when every field is. */
class ReachPeerTest {

    private static final List<ContainerPort> PORTS = List.of(new ContainerPort("http", 8080, Protocol.TCP));
    private static final List<Cidr> IPS = List.of(Cidr.parse("10.0.0.7/32"));

    private static ReachPeer peer(String ns, String name, String kind, Map<String, String> labels, String sa, List<ContainerPort> ports,
            List<Cidr> ips, boolean hostNetwork) {
        return new ReachPeer(ns, name, kind, new TreeMap<>(labels), sa, ports, ips, hostNetwork);
    }

    private static final ReachPeer BASE = peer("shop", "web", "Deployment", Map.of("app", "web"), "web", PORTS, IPS, false);

    @Test
    void thePeerOfTheSameFieldsIsEqualWithTheSameHash() {
        ReachPeer same = peer("shop", "web", "Deployment", Map.of("app", "web"), "web", List.copyOf(PORTS), List.copyOf(IPS), false);
        assertEquals(BASE, same);
        assertEquals(BASE.hashCode(), same.hashCode());
        assertEquals(BASE.toString(), same.toString());
        assertTrue(BASE.sameObject(same));
    }

    @Test
    void aPeerThatDiffersInAnyFieldIsNotEqual() {
        List<ReachPeer> others = List.of(
                peer("ops", "web", "Deployment", Map.of("app", "web"), "web", PORTS, IPS, false),
                peer("shop", "api", "Deployment", Map.of("app", "web"), "web", PORTS, IPS, false),
                peer("shop", "web", "StatefulSet", Map.of("app", "web"), "web", PORTS, IPS, false),
                peer("shop", "web", "Deployment", Map.of("app", "api"), "web", PORTS, IPS, false),
                peer("shop", "web", "Deployment", Map.of("app", "web"), "api", PORTS, IPS, false),
                peer("shop", "web", "Deployment", Map.of("app", "web"), "web", List.of(), IPS, false),
                peer("shop", "web", "Deployment", Map.of("app", "web"), "web", PORTS, List.of(), false),
                peer("shop", "web", "Deployment", Map.of("app", "web"), "web", PORTS, IPS, true));
        for (ReachPeer other : others) {
            assertNotEquals(BASE, other, other.toString());
            assertNotEquals(other, BASE, other.toString());
        }
        // the same object (namespace, name, kind) with other labels is still the same object
        assertTrue(BASE.sameObject(others.get(3)));
        assertFalse(BASE.sameObject(others.get(0)));
        assertFalse(BASE.sameObject(others.get(1)));
        assertFalse(BASE.sameObject(others.get(2)));
    }

    @Test
    void itsIdIsBuiltOnceAndNamesTheObject() {
        assertEquals("shop/web[Deployment]", BASE.id());
        assertEquals(ReachPeer.id("shop", "web", "Deployment"), BASE.id());
        assertSame(BASE.id(), BASE.id());
        assertEquals("shop/web[ServiceAccount]", BASE.identityId());
    }
}
