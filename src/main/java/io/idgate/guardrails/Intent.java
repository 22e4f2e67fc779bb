package io.idgate.guardrails;

import io.idgate.netpol.Cidr;
import io.idgate.netpol.Connections;

/**
 * One entry of {@code intents:} (design section 10): {@code from} may reach {@code to} on {@code ports}.
 *
 * @param from  who opens the connection
 * @param to    who accepts it
 * @param ports the connections allowed ({@link Connections#ALL} when {@code ports} is omitted)
 * @param source the intents file, or {@code configmap <ns>/<name> key <key>}
 * @param path  where it was written, e.g. {@code intents[2]}
 * @param line  its line there
 */
public record Intent(End from, End to, Connections ports, String source, String path, int line) {

    /** {@code <source> line <n>: <path>.<field>}, how messages point at one of its fields. */
    public String at(String field) {
        return source + " line " + line + ": " + path + "." + field;
    }

    /** One side of an intent: an identity, every pod ({@code *}) or an address block ({@code cidr:}). */
    public sealed interface End {
        /** As written, for messages. */
        String text();
    }

    /** An identity reference of section 3 ({@code group:}, {@code serviceAccount:}, {@code namespace:}, {@code spiffe://}). */
    public record Identity(IdentityRef ref) implements End {
        @Override
        public String text() {
            return ref.text();
        }
    }

    /** {@code *}: every pod of every namespace (no address outside the cluster). */
    public record Every() implements End {
        @Override
        public String text() {
            return "*";
        }
    }

    /** {@code cidr:<CIDR>}: addresses outside the cluster. */
    public record Block(Cidr cidr) implements End {
        @Override
        public String text() {
            return "cidr:" + cidr.text();
        }
    }

    /** {@code from: group:checkout to: group:payments ports: TCP 8443}, for messages. */
    public String summary() {
        return "from: " + from.text() + " to: " + to.text() + (ports.isAll() ? "" : " ports: " + ports);
    }
}
