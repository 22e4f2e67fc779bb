package io.idgate.guardrails;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.idgate.netpol.LabelSyntax;
import io.idgate.yaml.Fields;
import io.idgate.yaml.StrictYamlReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** {@code issuers:}: the identity-token providers whose claims group members may name. */
final class IssuersSection implements GuardrailSection {

    private static final List<String> ISSUER_FIELDS = List.of("name", "issuer", "audience", "authorizedParty", "jwks", "jwksUrl", "refreshInterval",
            "algorithms", "clockSkew", "claims");

    /**
     * Values a key set written as YAML may hold. Real ones hold a few keys of about ten fields; the bound
     * matters because aliases are shared nodes: under SnakeYAML's limit of 50 aliases, three to a level
     * still write out to 14 million values (a minute and more of CPU, per refused apply).
     */
    static final int MAX_JWKS_VALUES = 10_000;

    @Override
    public String key() {
        return "issuers";
    }

    @Override
    public void read(Node node, DocumentContext doc) {
        StrictYamlReader yaml = doc.yaml();
        SequenceNode seq = yaml.sequence(node, "issuers");
        if (seq == null) {
            return;
        }
        Map<String, String> urls = new HashMap<>();
        for (int i = 0; i < seq.getValue().size(); i++) {
            String path = "issuers[" + i + "]";
            MappingNode m = yaml.mapping(seq.getValue().get(i), path);
            if (m == null) {
                continue;
            }
            TrustedIssuer issuer = issuer(m, path, doc);
            if (issuer == null) {
                continue;
            }
            if (doc.issuers.containsKey(issuer.name())) {
                yaml.error(issuer.line(), path + ".name", "issuer \"" + issuer.name() + "\" is defined twice (also line "
                        + doc.issuers.get(issuer.name()).line() + "); keep one");
            } else if (urls.putIfAbsent(issuer.issuer(), issuer.name()) != null) {
                yaml.error(issuer.line(), path + ".issuer", "issuer URL " + issuer.issuer() + " is already trusted as \""
                        + urls.get(issuer.issuer()) + "\"; keep one definition");
            } else {
                doc.issuers.put(issuer.name(), issuer);
            }
        }
    }

    private static TrustedIssuer issuer(MappingNode m, String path, DocumentContext doc) {
        StrictYamlReader yaml = doc.yaml();
        int before = yaml.errors().count();
        Fields f = yaml.fields(m, path, ISSUER_FIELDS);
        String name = f.requiredString("name", "every issuer needs a name, e.g. name: corp");
        if (name != null && !LabelSyntax.isDnsLabel(name)) {
            yaml.error(StrictYamlReader.line(f.node("name")), path + ".name", "\"" + name + "\" is not a valid issuer name; it becomes the value of"
                    + " the verified-by label, so use lower-case letters, digits and '-', at most 63 characters");
        }
        String iss = f.requiredString("issuer", "the iss claim of the provider's tokens, e.g. issuer: https://login.example.com/");
        String audience = f.requiredString("audience", "the aud tokens for idgate carry, e.g. audience: idgate");
        String authorizedParty = f.string("authorizedParty");
        String jwks = null;
        URI jwksUrl = null;
        if (f.has("jwks") == f.has("jwksUrl")) {
            yaml.error(StrictYamlReader.line(m), path, "needs exactly one of jwks (the key set inline, as JSON) and jwksUrl (where to fetch it)");
        } else if (f.has("jwks")) {
            jwks = jwks(f.node("jwks"), path + ".jwks", yaml);
        } else {
            jwksUrl = jwksUrl(f, path, yaml);
        }
        Duration refresh = f.duration("refreshInterval", TrustedIssuer.DEFAULT_REFRESH, Duration.ofSeconds(30), Duration.ofDays(1));
        Duration skew = f.duration("clockSkew", TrustedIssuer.DEFAULT_CLOCK_SKEW, Duration.ZERO, Duration.ofMinutes(5));
        List<String> algorithms = TrustedIssuer.DEFAULT_ALGORITHMS;
        if (f.has("algorithms")) {
            algorithms = f.stringList("algorithms", (v, n, p) -> {
                if (TrustedIssuer.ALGORITHMS.contains(v)) {
                    return true;
                }
                yaml.error(StrictYamlReader.line(n), p, "\"" + v + "\" is not accepted" + (v.equalsIgnoreCase("none")
                        || v.toUpperCase(Locale.ROOT).startsWith("HS")
                        ? ": unsigned and HMAC tokens can be forged by anyone who knows the (public) key" : "")
                        + "; use asymmetric algorithms: " + String.join(", ", TrustedIssuer.ALGORITHMS));
                return false;
            });
            if (algorithms != null && algorithms.isEmpty()) {
                yaml.error(StrictYamlReader.line(f.node("algorithms")), path + ".algorithms", "empty; omit it for the default "
                        + TrustedIssuer.DEFAULT_ALGORITHMS);
            }
        }
        TreeMap<String, List<String>> claims = f.has("claims") ? claims(f.node("claims"), path + ".claims", yaml) : new TreeMap<>();
        if (yaml.errors().count() > before || name == null || iss == null || audience == null || algorithms == null) {
            return null;
        }
        return new TrustedIssuer(name, iss, audience, authorizedParty, jwks, jwksUrl, refresh, algorithms, skew, claims, doc.source(), StrictYamlReader.line(m));
    }

    private static URI jwksUrl(Fields f, String path, StrictYamlReader yaml) {
        String url = f.string("jwksUrl");
        if (url == null) {
            return null;
        }
        try {
            URI uri = new URI(url);
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new URISyntaxException(url, "not an http(s) URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            yaml.error(StrictYamlReader.line(f.node("jwksUrl")), path + ".jwksUrl", "\"" + url
                    + "\" is not an http(s) URL; write the provider's key set address, e.g. https://login.example.com/keys");
            return null;
        }
    }

    /** {@code claims:}: claim reference (a top-level name, or a JSON Pointer) to the allow-list of its value globs. */
    private static TreeMap<String, List<String>> claims(Node node, String path, StrictYamlReader yaml) {
        TreeMap<String, List<String>> claims = new TreeMap<>();
        MappingNode cm = yaml.mapping(node, path);
        if (cm == null) {
            return claims;
        }
        for (NodeTuple t : cm.getValue()) {
            String claim = yaml.keyText(t, path);
            if (claim == null) {
                continue;
            }
            String cp = path + "." + claim;
            Optional<String> badReference = ClaimMapping.problem(claim);
            if (badReference.isPresent()) {
                yaml.error(StrictYamlReader.line(t.getKeyNode()), cp, badReference.get());
                continue;
            }
            List<String> values = yaml.stringList(t.getValueNode(), cp, (v, n, p) -> Globs.problem(v).map(problem -> {
                yaml.error(StrictYamlReader.line(n), p, problem);
                return false;
            }).orElse(true));
            if (values != null && values.isEmpty()) {
                yaml.error(StrictYamlReader.line(t.getValueNode()), cp, "an empty allow-list accepts nothing; list the values to accept");
            } else if (values != null) {
                claims.put(claim, values);
            }
        }
        return claims;
    }

    /** The key set as JSON: a JSON string, or the same structure written as YAML (every scalar a string, as in a JWK). */
    private static String jwks(Node node, String path, StrictYamlReader yaml) {
        try {
            var mapper = new ObjectMapper();
            JsonNode tree;
            if (node instanceof ScalarNode scalar) {
                tree = mapper.readTree(scalar.getValue());
            } else {
                Optional<Object> plain = StrictYamlReader.plainTree(node, MAX_JWKS_VALUES);
                if (plain.isEmpty()) {
                    yaml.error(StrictYamlReader.line(node), path, "over " + MAX_JWKS_VALUES + " values once its aliases are written out;"
                            + " paste the provider's key set ({\"keys\": [...]}) as a string, or use jwksUrl");
                    return null;
                }
                tree = mapper.valueToTree(plain.get());
            }
            if (tree == null || !tree.path("keys").isArray() || tree.path("keys").isEmpty()) {
                yaml.error(StrictYamlReader.line(node), path, "not a JSON Web Key Set: expected {\"keys\": [ ... ]} with at least one key");
                return null;
            }
            return mapper.writeValueAsString(tree);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            yaml.error(StrictYamlReader.line(node), path, "not valid JSON; paste the provider's key set ({\"keys\": [...]}) as a string, or use jwksUrl");
            return null;
        }
    }
}
