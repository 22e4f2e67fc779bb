package io.idgate.netpol;

/** The two directions a NetworkPolicy isolates, with the field names they use in a manifest. */
public enum Direction {
    INGRESS("Ingress", "ingress", "from", "source"),
    EGRESS("Egress", "egress", "to", "destination");

    private final String policyType;
    private final String field;
    private final String peersField;
    private final String noun;

    Direction(String policyType, String field, String peersField, String noun) {
        this.policyType = policyType;
        this.field = field;
        this.peersField = peersField;
        this.noun = noun;
    }

    /** The other side of the traffic, in messages: {@code source} (ingress) or {@code destination} (egress). */
    public String noun() {
        return noun;
    }

    /** The {@code policyTypes} spelling: {@code Ingress} or {@code Egress}. */
    public String policyType() {
        return policyType;
    }

    /** The spec field: {@code ingress} or {@code egress}. */
    public String field() {
        return field;
    }

    /** The rule's peer list field: {@code from} or {@code to}. */
    public String peersField() {
        return peersField;
    }
}
