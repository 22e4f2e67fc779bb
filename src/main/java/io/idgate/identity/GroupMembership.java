package io.idgate.identity;

import java.util.Set;

/** Which guardrail groups an identity belongs to (the guardrail snapshot in force answers it). */
@FunctionalInterface
public interface GroupMembership {

    /** Membership of no group: what a pod gets when no guardrail defines groups. */
    GroupMembership NONE = identity -> Set.of();

    /** Names of the groups {@code identity} is a member of. */
    Set<String> groupsOf(WorkloadIdentity identity);
}
