package io.idgate.netpol;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The fields of a NetworkPolicy the API server would refuse at {@code kubectl apply}, one problem per
 * bad field, following {@code ValidateNetworkPolicySpec} of kubernetes/pkg/apis/networking/validation:
 * selectors (label key and value syntax, operators, values present exactly for In/NotIn), policyTypes
 * ({@code Ingress}/{@code Egress}), ports (protocol TCP/UDP/SCTP, number 1-65535, a port name that is an
 * IANA service name, {@code endPort} only with a numeric {@code port} and not below it), peers (at least
 * one of podSelector/namespaceSelector/ipBlock, ipBlock alone), ipBlocks (valid CIDR, each
 * {@code except} a valid CIDR and a strict subset of {@code cidr}).
 *
 * <p>Not refused by the API server, hence not here: a named port in a rule whose peers are all ipBlocks
 * (meaningful for ingress, where the port is the selected pod's; the reachability engine warns for egress),
 * a CIDR with host bits set ({@code 10.0.0.1/8}).
 */
public final class NetworkPolicyProblems {

    /** IANA service name, as {@code validation.IsValidPortName}: at most 15 of [a-z0-9-], a letter, no "--", no hyphen at either end. */
    private static final Pattern PORT_NAME = Pattern.compile("(?!-)(?!.*--)(?=.*[a-z])[a-z0-9-]{1,15}(?<!-)");

    private NetworkPolicyProblems() {}

    /** Every problem of {@code np}, in field order; empty when the API server would accept it. */
    public static List<FieldProblem> of(NetworkPolicy np) {
        List<FieldProblem> out = new ArrayList<>();
        var spec = np.getSpec();
        if (spec == null) {
            return out; // an empty spec is the deny-all-ingress policy: podSelector {} and no rule
        }
        selector(out, "spec.podSelector", spec.getPodSelector());
        List<String> types = spec.getPolicyTypes() == null ? List.of() : spec.getPolicyTypes();
        if (types.size() > 2) {
            out.add(new FieldProblem("spec.policyTypes", "lists " + types.size() + " types; list at most Ingress and Egress, each once"));
        }
        for (int i = 0; i < types.size(); i++) {
            String t = types.get(i);
            if (!"Ingress".equals(t) && !"Egress".equals(t)) {
                out.add(new FieldProblem("spec.policyTypes[" + i + "]", quote(t) + " is not a policy type; write Ingress or Egress"));
            }
        }
        if (spec.getIngress() != null) {
            for (int i = 0; i < spec.getIngress().size(); i++) {
                NetworkPolicyIngressRule r = spec.getIngress().get(i);
                if (r != null) {
                    rule(out, "spec.ingress[" + i + "]", "from", r.getFrom(), r.getPorts());
                }
            }
        }
        if (spec.getEgress() != null) {
            for (int i = 0; i < spec.getEgress().size(); i++) {
                NetworkPolicyEgressRule r = spec.getEgress().get(i);
                if (r != null) {
                    rule(out, "spec.egress[" + i + "]", "to", r.getTo(), r.getPorts());
                }
            }
        }
        return out;
    }

    private static void rule(List<FieldProblem> out, String path, String peersField, List<NetworkPolicyPeer> peers, List<NetworkPolicyPort> ports) {
        if (ports != null) {
            for (int j = 0; j < ports.size(); j++) {
                if (ports.get(j) != null) {
                    port(out, path + ".ports[" + j + "]", ports.get(j));
                }
            }
        }
        if (peers != null) {
            for (int j = 0; j < peers.size(); j++) {
                peer(out, path + "." + peersField + "[" + j + "]", peers.get(j));
            }
        }
    }

    private static void port(List<FieldProblem> out, String path, NetworkPolicyPort p) {
        if (p.getProtocol() != null && Protocol.fromWire(p.getProtocol()).isEmpty()) {
            out.add(new FieldProblem(path + ".protocol", quote(p.getProtocol()) + " is not a protocol NetworkPolicy supports; write TCP, UDP or SCTP (upper case)"));
        }
        IntOrString port = p.getPort();
        boolean named = port != null && port.getStrVal() != null;
        if (named && !PORT_NAME.matcher(port.getStrVal()).matches()) {
            out.add(new FieldProblem(path + ".port", quote(port.getStrVal()) + " is not a valid port name: at most 15 of a-z, 0-9 and '-',"
                    + " with a letter, no '--' and no '-' at either end; write a container port's name or a number 1-65535"));
        }
        if (port != null && !named && port.getIntVal() != null && !validPort(port.getIntVal())) {
            out.add(new FieldProblem(path + ".port", port.getIntVal() + " is not a port number; write 1-65535"));
        }
        Integer end = p.getEndPort();
        if (end != null) {
            if (port == null || (!named && port.getIntVal() == null)) {
                out.add(new FieldProblem(path + ".endPort", "endPort " + end + " needs a numeric port where the range starts; add port"));
            } else if (named) {
                out.add(new FieldProblem(path + ".endPort", "endPort " + end + " cannot follow the named port " + quote(port.getStrVal())
                        + "; write a numeric port, or drop endPort"));
            } else if (end < port.getIntVal()) {
                out.add(new FieldProblem(path + ".endPort", "endPort " + end + " is below port " + port.getIntVal()
                        + "; write an endPort of at least " + port.getIntVal()));
            } else if (!validPort(end)) {
                out.add(new FieldProblem(path + ".endPort", end + " is not a port number; write 1-65535"));
            }
        }
    }

    private static boolean validPort(int n) {
        return n >= 1 && n <= 65535;
    }

    private static void peer(List<FieldProblem> out, String path, NetworkPolicyPeer peer) {
        if (peer == null || (peer.getPodSelector() == null && peer.getNamespaceSelector() == null && peer.getIpBlock() == null)) {
            out.add(new FieldProblem(path, "an empty peer {} selects nothing and the API server refuses it; write podSelector: {} for every pod"
                    + " of the namespace, namespaceSelector: {} for every pod, or an ipBlock"));
            return;
        }
        if (peer.getIpBlock() != null && (peer.getPodSelector() != null || peer.getNamespaceSelector() != null)) {
            out.add(new FieldProblem(path, "a peer may not have both ipBlock and " + (peer.getPodSelector() != null ? "podSelector" : "namespaceSelector")
                    + "; put the ipBlock in a list item of its own"));
        }
        selector(out, path + ".podSelector", peer.getPodSelector());
        selector(out, path + ".namespaceSelector", peer.getNamespaceSelector());
        if (peer.getIpBlock() != null) {
            ipBlock(out, path + ".ipBlock", peer.getIpBlock());
        }
    }

    private static void ipBlock(List<FieldProblem> out, String path, IPBlock block) {
        Cidr cidr = null;
        if (block.getCidr() == null || block.getCidr().isEmpty()) {
            out.add(new FieldProblem(path + ".cidr", "cidr is missing; write address/prefix such as 10.20.0.0/16"));
        } else {
            try {
                cidr = Cidr.parse(block.getCidr());
            } catch (IllegalArgumentException e) {
                out.add(new FieldProblem(path + ".cidr", e.getMessage()));
            }
        }
        List<String> except = block.getExcept() == null ? List.of() : block.getExcept();
        for (int i = 0; i < except.size(); i++) {
            String p = path + ".except[" + i + "]";
            Cidr e;
            try {
                e = Cidr.parse(except.get(i));
            } catch (IllegalArgumentException ex) {
                out.add(new FieldProblem(p, ex.getMessage()));
                continue;
            }
            if (cidr != null && (!cidr.contains(e) || e.prefix() <= cidr.prefix())) {
                out.add(new FieldProblem(p, quote(except.get(i)) + " is not a strict subset of cidr " + quote(block.getCidr())
                        + "; write a smaller block inside it, or remove it"));
            }
        }
    }

    private static void selector(List<FieldProblem> out, String path, io.fabric8.kubernetes.api.model.LabelSelector s) {
        if (s == null) {
            return;
        }
        if (s.getMatchLabels() != null) {
            for (Map.Entry<String, String> e : s.getMatchLabels().entrySet()) {
                LabelSyntax.keyProblem(e.getKey()).ifPresent(m -> out.add(new FieldProblem(path + ".matchLabels", m + "; fix the key")));
                String v = e.getValue() == null ? "" : e.getValue();
                LabelSyntax.valueProblem(v).ifPresent(m -> out.add(new FieldProblem(path + ".matchLabels." + e.getKey(), m + "; fix the value")));
            }
        }
        if (s.getMatchExpressions() != null) {
            for (int i = 0; i < s.getMatchExpressions().size(); i++) {
                LabelSelectorRequirement r = s.getMatchExpressions().get(i);
                String p = path + ".matchExpressions[" + i + "]";
                if (r == null) {
                    out.add(new FieldProblem(p, "an empty expression; write key, operator and values"));
                    continue;
                }
                LabelSyntax.keyProblem(r.getKey()).ifPresent(m -> out.add(new FieldProblem(p + ".key", m + "; fix the key")));
                var op = LabelSelector.Operator.fromWire(r.getOperator());
                List<String> values = r.getValues() == null ? List.of() : r.getValues();
                if (op.isEmpty()) {
                    out.add(new FieldProblem(p + ".operator", quote(r.getOperator()) + " is not an operator; write In, NotIn, Exists or DoesNotExist"));
                } else if (op.get().takesValues() && values.isEmpty()) {
                    out.add(new FieldProblem(p + ".values", op.get().wire() + " needs at least one value; list the values"));
                } else if (!op.get().takesValues() && !values.isEmpty()) {
                    out.add(new FieldProblem(p + ".values", op.get().wire() + " takes no values; remove values"));
                }
                for (int j = 0; j < values.size(); j++) {
                    String v = values.get(j) == null ? "" : values.get(j);
                    int jj = j;
                    LabelSyntax.valueProblem(v).ifPresent(m -> out.add(new FieldProblem(p + ".values[" + jj + "]", m + "; fix the value")));
                }
            }
        }
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }
}
