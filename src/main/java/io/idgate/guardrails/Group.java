package io.idgate.guardrails;

import io.idgate.identity.WorkloadIdentity;
import java.util.List;

/**
 * A guardrail group: pods whose identity matches any member get label {@code groups.P/<name>: "true"}.
 *
 * @param name    valid as the name part of a label key (the parser guarantees it)
 * @param members at least one
 * @param source  where it is defined
 * @param line    line of its definition in {@code source}
 */
public record Group(String name, List<GroupMember> members, Source source, int line) {

    public Group {
        members = List.copyOf(members);
    }

    /** True when any member matches {@code identity}. */
    public boolean contains(WorkloadIdentity identity) {
        for (GroupMember member : members) { // a loop: asked for every group on every pod review
            if (member.matches(identity)) {
                return true;
            }
        }
        return false;
    }
}
