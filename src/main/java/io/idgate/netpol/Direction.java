package io.idgate.netpol;

/** The two directions a NetworkPolicy isolates, with the field names they use in a manifest. */
public enum Direction {
    INGRESS("Ingress", "ingress", "from"),
    EGRESS("Egress", "egress", "to");

    private final String policyType;
    private final String field;
    private final String peersField;

    Direction(String policyType, String field, String peersField) {
        this.policyType = policyType;
        this.field = field;
        this.peersField = peersField;
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
