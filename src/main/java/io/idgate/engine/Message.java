package io.idgate.engine;

import io.idgate.guardrails.Action;
import io.idgate.guardrails.Violation;

/**
 * One line about one object, in the webhook's words.
 *
 * @param text      the line exactly as the webhook would answer it
 * @param violation the guardrail violation behind it, or null (identity messages)
 * @param problem   for an identity message, its kind (one of the constants here), so reports give each
 *                  kind a stable rule id; null for guardrail violations
 */
public record Message(Action severity, String text, Violation violation, String problem) {

    /** The pod's ServiceAccount cannot be read: refused, or admitted without keys (on-missing=allow). */
    public static final String SERVICE_ACCOUNT = "pod-service-account";
    /** An identity token on the ServiceAccount that does not verify. */
    public static final String IDENTITY_TOKEN = "pod-identity-token";
    /** The requester set an identity key idgate owns; the webhook replaces it. */
    public static final String IDENTITY_OVERRIDE = "pod-identity-override";
    /** A running pod without any identity key (audit). */
    public static final String IDENTITY_MISSING = "pod-identity-missing";
    /** A running pod whose identity key differs from a fresh derivation (audit). */
    public static final String IDENTITY_KEY = "pod-identity-key";
    /** A peer every other namespace, or every outside address on every port, reaches (audit). */
    public static final String REACH_OPEN_PEER = "reach-open-peer";
    /** A NetworkPolicy, or a peer of one of its rules, that selects no pod (audit). */
    public static final String REACH_SELECTS_NOTHING = "reach-selects-nothing";
    /** A rule every connection of which other rules allow too (audit). */
    public static final String REACH_SHADOWED_RULE = "reach-shadowed-rule";
    /** An edge into an identity an invariant protects that exists only through labels pod authors choose (audit). */
    public static final String REACH_SPOOFABLE_INTO_PROTECTED = "reach-spoofable-into-protected";
    /** A namespace with pods and no default-deny: what no policy selects is open (audit). */
    public static final String REACH_NO_DEFAULT_DENY = "reach-no-default-deny";
    /** A pod whose labels or annotations are not maps of strings. */
    public static final String POD_INVALID = "pod-invalid";

    public static Message of(Violation v) {
        return new Message(v.action(), v.line(), v, null);
    }

    /** An identity message of kind {@code problem}. */
    public static Message identity(Action severity, String problem, String text) {
        return new Message(severity, text, null, problem);
    }
}
