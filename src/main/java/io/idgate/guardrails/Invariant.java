package io.idgate.guardrails;

import io.idgate.netpol.Cidr;
import io.idgate.netpol.Direction;
import java.util.List;

/**
 * One entry of {@code invariants:} (design section 8): who alone may reach a protected identity
 * ({@code to} + {@code onlyFrom}), or whom alone a protected identity may reach ({@code from} +
 * {@code onlyTo}). Members of the protected identity always reach each other: an invariant guards the
 * boundary, not the inside.
 *
 * @param name         unique across all guardrail ConfigMaps
 * @param description  free text, may be empty
 * @param action       what a change that breaks it gets
 * @param guarded      {@link Direction#INGRESS} for {@code to}/{@code onlyFrom} (what may come in),
 *                     {@link Direction#EGRESS} for {@code from}/{@code onlyTo} (where it may go)
 * @param protectedRef the protected identity ({@code to:} or {@code from:})
 * @param allowed      the identities of {@code onlyFrom} / {@code onlyTo}
 * @param allowedCidrs the {@code cidr:} entries of {@code onlyFrom} / {@code onlyTo}
 * @param source       where it was defined
 * @param line         its line there
 */
public record Invariant(String name, String description, Action action, Direction guarded, IdentityRef protectedRef, List<IdentityRef> allowed,
                        List<Cidr> allowedCidrs, Source source, int line) {

    public Invariant {
        allowed = List.copyOf(allowed);
        allowedCidrs = List.copyOf(allowedCidrs);
    }

    /** The field naming the protected identity: {@code to} or {@code from}. */
    public String protectedField() {
        return guarded == Direction.INGRESS ? "to" : "from";
    }

    /** The field listing who else may take part: {@code onlyFrom} or {@code onlyTo}. */
    public String allowedField() {
        return guarded == Direction.INGRESS ? "onlyFrom" : "onlyTo";
    }

    /** What the invariant says, for messages: {@code only group:checkout, cidr:10.0.0.0/8 may reach group:payments}. */
    public String summary() {
        List<String> others = new java.util.ArrayList<>(allowed.stream().map(IdentityRef::text).toList());
        allowedCidrs.forEach(c -> others.add("cidr:" + c.text()));
        String who = others.isEmpty() ? "nothing outside it" : String.join(", ", others);
        return guarded == Direction.INGRESS ? "only " + who + " may reach " + protectedRef.text()
                : protectedRef.text() + " may reach only " + who;
    }
}
