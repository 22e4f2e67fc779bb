package io.idgate.netpol;

import java.util.Optional;

/** The protocols a NetworkPolicy port may name, in the order connection sets are printed. */
public enum Protocol {
    TCP,
    UDP,
    SCTP;

    /** The protocol spelled exactly {@code text} (Kubernetes is case-sensitive here), else empty. */
    public static Optional<Protocol> fromWire(String text) {
        for (Protocol p : values()) {
            if (p.name().equals(text)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
