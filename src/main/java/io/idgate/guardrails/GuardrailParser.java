package io.idgate.guardrails;

import io.idgate.netpol.LabelSyntax;
import io.idgate.netpol.Cidr;
import io.idgate.netpol.LabelSelector;
import io.idgate.guardrails.GroupMember.Kind;
import io.idgate.netpol.LabelSelector.Operator;
import io.idgate.netpol.LabelSelector.Requirement;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Parses one data value of a guardrail ConfigMap (README "Guardrails: identity rules for NetworkPolicies") into a {@link GuardrailDocument}, or into
 * every {@link ParseError} found, each with its line and field path and a message that says how to fix it.
 *
 * <p>Strict on purpose: unknown fields (with the nearest valid name suggested), duplicate fields, wrong
 * types (a string where a boolean belongs, {@code yes}/{@code no} instead of {@code true}/{@code false},
 * an unquoted number or boolean where a string belongs), invalid globs, CIDRs, selectors, label keys and
 * values, unknown actions, group names that cannot be the name part of {@code groups.P/<name>},
 * duplicate rule names and references to groups not defined in the same document are all errors.
 * A guardrail that silently means less than its author wrote is worse than one that is rejected.
 *
 * <p>Uses SnakeYAML's node API (composition only, no object construction, so no tags are ever
 * instantiated; SnakeYAML's limit of 50 collection aliases guards against alias bombs).
 */
public final class GuardrailParser {

    private static final List<String> ROOT_FIELDS = List.of("issuers", "groups", "rules");
    private static final List<String> ISSUER_FIELDS = List.of("name", "issuer", "audience", "jwks", "jwksUrl", "refreshInterval",
            "algorithms", "clockSkew", "claims");
    private static final List<String> GROUP_FIELDS = List.of("members");
    private static final List<String> RULE_FIELDS = List.of("name", "description", "action", "match", "require");
    private static final List<String> MATCH_FIELDS = List.of("namespaces", "excludeNamespaces", "podSelector");
    private static final List<String> SELECTOR_FIELDS = List.of("matchLabels", "matchExpressions");
    private static final List<String> EXPRESSION_FIELDS = List.of("key", "operator", "values");
    private static final List<String> REQUIRE_FIELDS = List.of("identityPeers", "ingressFrom", "egressTo", "ipBlocks",
            "noAllowAll", "ports", "defaultDeny", "immutableNamespaceSelectors");
    private static final List<String> IPBLOCK_FIELDS = List.of("ingress", "egress");
    private static final List<String> MEMBER_FIELDS =
            java.util.Arrays.stream(Kind.values()).map(Kind::field).toList();

    private final Source source;
    private final List<ParseError> errors = new ArrayList<>();
    private final List<PendingGroupRef> groupRefs = new ArrayList<>();

    private record PendingGroupRef(String group, String path, int line) {}

    /** A claim member, checked once the document's issuers are known. */
    private record PendingClaimRef(GroupMember.ClaimRef claim, String value, String path, int line) {}

    private final List<PendingClaimRef> claimRefs = new ArrayList<>();

    private GuardrailParser(Source source) {
        this.source = source;
    }

    /**
     * Parses {@code yaml}, the value of data key {@code key} of ConfigMap
     * {@code configMapNamespace/configMapName}.
     */
    public static ParseResult parse(String configMapNamespace, String configMapName, String key, String yaml) {
        return new GuardrailParser(new Source(configMapNamespace, configMapName, key)).run(yaml);
    }

    private ParseResult run(String yaml) {
        String text = yaml == null ? "" : yaml;
        Node root;
        LoaderOptions options = new LoaderOptions();
        try {
            options.setAllowRecursiveKeys(false);
            root = new Yaml(new SafeConstructor(options)).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() != null ? e.getProblem() : "syntax error";
            error(mark == null ? 0 : mark.getLine() + 1, "", "not valid YAML (" + problem.strip()
                    + "); check the indentation and quoting around this line");
            return new ParseResult.Invalid(errors);
        } catch (ReaderException e) {
            // a character YAML does not allow (a control character, a lone surrogate): SnakeYAML gives its offset
            int offset = Math.min(Math.max(e.getPosition(), 0), text.length());
            error((int) text.substring(0, offset).chars().filter(c -> c == '\n').count() + 1, "",
                    String.format("character U+%04X is not allowed in YAML; remove it, or write it escaped in a double-quoted string", e.getCodePoint()));
            return new ParseResult.Invalid(errors);
        } catch (YAMLException e) {
            // SnakeYAML gives no position for its limits and some scanner errors: find the line
            String problem = String.valueOf(e.getMessage());
            error(problemLine(text, options), "", limitProblem(e, options).orElse("not valid YAML"
                    + (problem.matches("[A-Za-z][A-Za-z0-9 ,.'()-]*") && !problem.contains("Exception") ? " (" + problem + ")" : "")
                    + "; check the indentation and quoting around this line"));
            return new ParseResult.Invalid(errors);
        }
        if (root == null || (root instanceof MappingNode m && m.getValue().isEmpty())) {
            error(1, "", "the document is empty; define groups: and/or rules:");
            return new ParseResult.Invalid(errors);
        }
        MappingNode rootMap = mapping(root, "");
        if (rootMap == null) {
            return new ParseResult.Invalid(errors);
        }
        Map<String, NodeTuple> fields = fields(rootMap, "", ROOT_FIELDS);
        TreeMap<String, TrustedIssuer> issuers = new TreeMap<>();
        if (fields.containsKey("issuers")) {
            parseIssuers(fields.get("issuers").getValueNode(), issuers);
        }
        TreeMap<String, Group> groups = new TreeMap<>();
        if (fields.containsKey("groups")) {
            parseGroups(fields.get("groups").getValueNode(), groups);
        }
        List<Rule> rules = new ArrayList<>();
        if (fields.containsKey("rules")) {
            parseRules(fields.get("rules").getValueNode(), rules);
        }
        for (PendingGroupRef ref : groupRefs) {
            if (!groups.containsKey(ref.group())) {
                error(ref.line(), ref.path(), "group \"" + ref.group() + "\" is not defined in this document; define it under"
                        + " groups: here" + (groups.isEmpty() ? "" : " or use one of " + String.join(", ", groups.keySet())));
            }
        }
        for (PendingClaimRef ref : claimRefs) {
            TrustedIssuer issuer = issuers.get(ref.claim().issuer());
            if (issuer == null) {
                error(ref.line(), ref.path(), "issuer \"" + ref.claim().issuer() + "\" is not defined in this document; define it under"
                        + " issuers: here" + (issuers.isEmpty() ? "" : " or use one of " + String.join(", ", issuers.keySet())));
            } else if (!issuer.claims().containsKey(ref.claim().name())) {
                error(ref.line(), ref.path(), "issuer \"" + issuer.name() + "\" maps no claim \"" + ref.claim().name() + "\"; add it under"
                        + " its claims: with the values to accept" + (issuer.claims().isEmpty() ? "" : " (mapped: "
                        + String.join(", ", issuer.claims().keySet()) + ")"));
            } else if (!ref.value().contains("*") && !issuer.allows(ref.claim().name(), ref.value())) {
                error(ref.line(), ref.path(), "value \"" + ref.value() + "\" is not in the allow-list of claim " + ref.claim().name()
                        + " of issuer \"" + issuer.name() + "\" (" + String.join(", ", issuer.claims().get(ref.claim().name()))
                        + "), so no token could ever match; add it there or fix the value");
            }
        }
        if (!errors.isEmpty()) {
            errors.sort(Comparator.comparingInt(ParseError::line).thenComparing(ParseError::fieldPath));
            return new ParseResult.Invalid(errors);
        }
        return new ParseResult.Parsed(new GuardrailDocument(source, groups, rules, issuers));
    }

    /**
     * The reader's limits, which SnakeYAML reports without a position: a document that breaks one is
     * refused as a whole (line 0), with the limit named.
     */
    private static Optional<String> limitProblem(YAMLException e, LoaderOptions options) {
        String message = String.valueOf(e.getMessage());
        if (message.startsWith("Number of aliases")) {
            return Optional.of("more than " + options.getMaxAliasesForCollections() + " aliases (*name) of lists or mappings, the limit"
                    + " that stops alias bombs; write the document out without anchors (&name) and aliases");
        }
        if (message.startsWith("Nesting Depth")) {
            return Optional.of("lists and mappings nested deeper than " + options.getNestingDepthLimit() + " levels, the limit;"
                    + " a guardrail document nests about 8 deep, check the indentation and brackets");
        }
        if (message.contains("exceeds the limit")) {
            return Optional.of("the document is over the limit of " + options.getCodePointLimit() + " characters; split it into several keys or ConfigMaps");
        }
        return Optional.empty();
    }

    /**
     * The line of a problem SnakeYAML reports without a position. For the nesting and alias limits,
     * the parser's events are walked again and counted the composer's way; for an error of the reader
     * or scanner, the line of the last event read before it.
     */
    private static int problemLine(String text, LoaderOptions options) {
        int line = 1;
        int depth = 0;
        int aliases = 0;
        java.util.Set<String> collectionAnchors = new java.util.HashSet<>();
        try {
            for (Event e : new Yaml(new SafeConstructor(options)).parse(new StringReader(text))) {
                line = e.getStartMark() == null ? line : e.getStartMark().getLine() + 1;
                if (e instanceof CollectionStartEvent start) {
                    if (start.getAnchor() != null) {
                        collectionAnchors.add(start.getAnchor());
                    }
                    if (++depth > options.getNestingDepthLimit()) {
                        return e.getStartMark().getLine() + 1;
                    }
                } else if (e instanceof CollectionEndEvent) {
                    depth--;
                } else if (e instanceof AliasEvent alias && collectionAnchors.contains(alias.getAnchor())
                        && ++aliases > options.getMaxAliasesForCollections()) {
                    return e.getStartMark().getLine() + 1;
                }
            }
        } catch (YAMLException e) {
            // the problem is at or after the last event read
        }
        return line;
    }

    // ---- groups

    private void parseGroups(Node node, Map<String, Group> out) {
        MappingNode map = mapping(node, "groups");
        if (map == null) {
            return;
        }
        Map<String, Integer> seen = new HashMap<>();
        for (NodeTuple t : map.getValue()) {
            String name = keyText(t, "groups");
            if (name == null) {
                continue;
            }
            String path = "groups." + name;
            int line = line(t.getKeyNode());
            if (seen.putIfAbsent(name, line) != null) {
                error(line, path, "group \"" + name + "\" is defined twice (also line " + seen.get(name) + "); merge the members into one");
                continue;
            }
            boolean nameOk = LabelSyntax.isName(name);
            if (!nameOk) {
                error(line, path, "group name \"" + name + "\" cannot be used: it becomes the label key groups.<prefix>/" + name
                        + ", so it must be at most 63 characters of [A-Za-z0-9._-], beginning and ending with a letter or digit");
            }
            MappingNode body = mapping(t.getValueNode(), path);
            if (body == null) {
                continue;
            }
            Map<String, NodeTuple> f = fields(body, path, GROUP_FIELDS);
            if (!f.containsKey("members")) {
                error(line(body), path + ".members", "missing; list the group's members, e.g. - serviceAccount: payments/*");
                continue;
            }
            List<GroupMember> members = parseMembers(f.get("members").getValueNode(), path + ".members");
            if (members != null && nameOk) {
                out.put(name, new Group(name, members, source, line));
            }
        }
    }

    private List<GroupMember> parseMembers(Node node, String path) {
        SequenceNode seq = sequence(node, path);
        if (seq == null) {
            return null;
        }
        if (seq.getValue().isEmpty()) {
            error(line(seq), path, "a group needs at least one member, e.g. - serviceAccount: payments/*");
            return null;
        }
        List<GroupMember> members = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < seq.getValue().size(); i++) {
            String p = path + "[" + i + "]";
            MappingNode m = mapping(seq.getValue().get(i), p);
            if (m == null) {
                ok = false;
                continue;
            }
            Map<String, NodeTuple> f = fields(m, p, MEMBER_FIELDS);
            if (f.size() != 1) {
                if (m.getValue().size() == f.size()) { // no unknown-field error was given
                    error(line(m), p, (f.isEmpty() ? "has no identity" : "has " + f.size() + " identities (" + String.join(", ", f.keySet()) + ")")
                            + "; a member has exactly one of " + String.join(", ", MEMBER_FIELDS) + " (use one list entry each)");
                }
                ok = false;
                continue;
            }
            Map.Entry<String, NodeTuple> e = f.entrySet().iterator().next();
            Kind kind = Kind.fromField(e.getKey()).orElseThrow();
            String fp = p + "." + e.getKey();
            Node valueNode = e.getValue().getValueNode();
            if (kind == Kind.CLAIM) {
                GroupMember claim = claimMember(valueNode, fp);
                if (claim == null) {
                    ok = false;
                } else {
                    members.add(claim);
                }
                continue;
            }
            String value = string(valueNode, fp);
            if (value == null) {
                ok = false;
                continue;
            }
            Optional<String> problem = switch (kind) {
                case SERVICE_ACCOUNT -> serviceAccountPatternProblem(value, "<namespace>/<name>, e.g. payments/* or */web");
                case NAMESPACE -> Globs.namespaceProblem(value);
                default -> Globs.problem(value);
            };
            if (problem.isPresent()) {
                error(line(valueNode), fp, problem.get());
                ok = false;
                continue;
            }
            members.add(new GroupMember(kind, value));
        }
        return ok ? members : null;
    }

    /** {@code claim: {issuer: corp, groups: payments}}: the issuer, and one claim with a value glob. */
    private GroupMember claimMember(Node node, String path) {
        MappingNode m = mapping(node, path);
        if (m == null) {
            return null;
        }
        String issuer = null;
        String claim = null;
        String value = null;
        int valueLine = line(m);
        for (NodeTuple t : m.getValue()) {
            String k = keyText(t, path);
            if (k == null) {
                return null;
            }
            String v = string(t.getValueNode(), path + "." + k);
            if (v == null) {
                return null;
            }
            if (k.equals("issuer")) {
                issuer = v;
            } else if (claim != null) {
                error(line(t.getKeyNode()), path + "." + k, "a claim member names one claim (already " + claim
                        + "); use one member per claim");
                return null;
            } else {
                claim = k;
                value = v;
                valueLine = line(t.getValueNode());
            }
        }
        if (issuer == null || claim == null) {
            error(line(m), path, "needs the issuer and one claim, e.g. claim: {issuer: corp, groups: payments}");
            return null;
        }
        Optional<String> problem = Globs.problem(value);
        if (problem.isPresent()) {
            error(valueLine, path + "." + claim, problem.get());
            return null;
        }
        var ref = new GroupMember.ClaimRef(issuer, claim);
        claimRefs.add(new PendingClaimRef(ref, value, path + "." + claim, valueLine));
        return new GroupMember(Kind.CLAIM, value, ref);
    }

    // ---- issuers

    private void parseIssuers(Node node, Map<String, TrustedIssuer> out) {
        SequenceNode seq = sequence(node, "issuers");
        if (seq == null) {
            return;
        }
        Map<String, String> urls = new HashMap<>();
        for (int i = 0; i < seq.getValue().size(); i++) {
            String path = "issuers[" + i + "]";
            MappingNode m = mapping(seq.getValue().get(i), path);
            if (m == null) {
                continue;
            }
            TrustedIssuer issuer = parseIssuer(m, path);
            if (issuer == null) {
                continue;
            }
            if (out.containsKey(issuer.name())) {
                error(issuer.line(), path + ".name", "issuer \"" + issuer.name() + "\" is defined twice (also line "
                        + out.get(issuer.name()).line() + "); keep one");
            } else if (urls.putIfAbsent(issuer.issuer(), issuer.name()) != null) {
                error(issuer.line(), path + ".issuer", "issuer URL " + issuer.issuer() + " is already trusted as \""
                        + urls.get(issuer.issuer()) + "\"; keep one definition");
            } else {
                out.put(issuer.name(), issuer);
            }
        }
    }

    private TrustedIssuer parseIssuer(MappingNode m, String path) {
        int before = errors.size();
        Map<String, NodeTuple> f = fields(m, path, ISSUER_FIELDS);
        String name = requiredString(f, "name", path, m, "every issuer needs a name, e.g. name: corp");
        if (name != null && !LabelSyntax.isDnsLabel(name)) {
            error(line(f.get("name").getValueNode()), path + ".name", "\"" + name + "\" is not a valid issuer name; it becomes the value of"
                    + " the verified-by label, so use lower-case letters, digits and '-', at most 63 characters");
        }
        String iss = requiredString(f, "issuer", path, m, "the iss claim of the provider's tokens, e.g. issuer: https://login.example.com/");
        String audience = requiredString(f, "audience", path, m, "the aud tokens for idgate carry, e.g. audience: idgate");
        String jwks = null;
        java.net.URI jwksUrl = null;
        if (f.containsKey("jwks") == f.containsKey("jwksUrl")) {
            error(line(m), path, "needs exactly one of jwks (the key set inline, as JSON) and jwksUrl (where to fetch it)");
        } else if (f.containsKey("jwks")) {
            jwks = jwks(f.get("jwks").getValueNode(), path + ".jwks");
        } else {
            String url = string(f.get("jwksUrl").getValueNode(), path + ".jwksUrl");
            if (url != null) {
                try {
                    jwksUrl = new java.net.URI(url);
                    if (!"https".equals(jwksUrl.getScheme()) && !"http".equals(jwksUrl.getScheme()) || jwksUrl.getHost() == null) {
                        throw new java.net.URISyntaxException(url, "not an http(s) URL");
                    }
                } catch (java.net.URISyntaxException e) {
                    error(line(f.get("jwksUrl").getValueNode()), path + ".jwksUrl", "\"" + url
                            + "\" is not an http(s) URL; write the provider's key set address, e.g. https://login.example.com/keys");
                }
            }
        }
        java.time.Duration refresh = duration(f, "refreshInterval", path, TrustedIssuer.DEFAULT_REFRESH,
                java.time.Duration.ofSeconds(30), java.time.Duration.ofDays(1));
        java.time.Duration skew = duration(f, "clockSkew", path, TrustedIssuer.DEFAULT_CLOCK_SKEW,
                java.time.Duration.ZERO, java.time.Duration.ofMinutes(5));
        List<String> algorithms = TrustedIssuer.DEFAULT_ALGORITHMS;
        if (f.containsKey("algorithms")) {
            algorithms = stringList(f.get("algorithms").getValueNode(), path + ".algorithms", (v, n, p) -> {
                if (TrustedIssuer.ALGORITHMS.contains(v)) {
                    return true;
                }
                error(line(n), p, "\"" + v + "\" is not accepted" + (v.equalsIgnoreCase("none") || v.toUpperCase(Locale.ROOT).startsWith("HS")
                        ? ": unsigned and HMAC tokens can be forged by anyone who knows the (public) key" : "")
                        + "; use asymmetric algorithms: " + String.join(", ", TrustedIssuer.ALGORITHMS));
                return false;
            });
            if (algorithms != null && algorithms.isEmpty()) {
                error(line(f.get("algorithms").getValueNode()), path + ".algorithms", "empty; omit it for the default "
                        + TrustedIssuer.DEFAULT_ALGORITHMS);
            }
        }
        TreeMap<String, List<String>> claims = new TreeMap<>();
        if (f.containsKey("claims")) {
            MappingNode cm = mapping(f.get("claims").getValueNode(), path + ".claims");
            if (cm != null) {
                for (NodeTuple t : cm.getValue()) {
                    String claim = keyText(t, path + ".claims");
                    if (claim == null) {
                        continue;
                    }
                    String cp = path + ".claims." + claim;
                    List<String> values = stringList(t.getValueNode(), cp, (v, n, p) -> Globs.problem(v).map(problem -> {
                        error(line(n), p, problem);
                        return false;
                    }).orElse(true));
                    if (values != null && values.isEmpty()) {
                        error(line(t.getValueNode()), cp, "an empty allow-list accepts nothing; list the values to accept");
                    } else if (values != null) {
                        claims.put(claim, values);
                    }
                }
            }
        }
        if (errors.size() > before || name == null || iss == null || audience == null || algorithms == null) {
            return null;
        }
        return new TrustedIssuer(name, iss, audience, jwks, jwksUrl, refresh, algorithms, skew, claims, source, line(m));
    }

    private String requiredString(Map<String, NodeTuple> f, String field, String path, MappingNode m, String hint) {
        if (!f.containsKey(field)) {
            error(line(m), path + "." + field, "missing; " + hint);
            return null;
        }
        return string(f.get(field).getValueNode(), path + "." + field);
    }

    /** The key set as JSON: a JSON string, or the same structure written as YAML. */
    private String jwks(Node node, String path) {
        try {
            var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
            var tree = node instanceof ScalarNode scalar ? mapper.readTree(scalar.getValue()) : toJson(node, new int[] {MAX_JWKS_VALUES});
            if (tree == null || !tree.path("keys").isArray() || tree.path("keys").isEmpty()) {
                error(line(node), path, "not a JSON Web Key Set: expected {\"keys\": [ ... ]} with at least one key");
                return null;
            }
            return mapper.writeValueAsString(tree);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            error(line(node), path, "not valid JSON; paste the provider's key set ({\"keys\": [...]}) as a string, or use jwksUrl");
            return null;
        } catch (KeySetTooLarge e) {
            error(line(node), path, "over " + MAX_JWKS_VALUES + " values once its aliases are written out; paste the provider's key set"
                    + " ({\"keys\": [...]}) as a string, or use jwksUrl");
            return null;
        }
    }

    /**
     * Values a key set written as YAML may hold. Real ones hold a few keys of about ten fields; the bound
     * matters because aliases are shared nodes: under SnakeYAML's limit of 50 aliases, three to a level
     * still write out to 14 million values (a minute and more of CPU, per refused apply).
     */
    private static final int MAX_JWKS_VALUES = 10_000;

    /** Stops {@link #toJson} at {@link #MAX_JWKS_VALUES}. */
    private static final class KeySetTooLarge extends RuntimeException {
        KeySetTooLarge() {
            super(null, null, false, false);
        }
    }

    /** A YAML structure as JSON; every scalar is a string (a JWK holds only strings and string arrays). */
    private static com.fasterxml.jackson.databind.JsonNode toJson(Node node, int[] budget) {
        if (--budget[0] < 0) {
            throw new KeySetTooLarge();
        }
        var nodes = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
        if (node instanceof MappingNode m) {
            var out = nodes.objectNode();
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k) {
                    out.set(k.getValue(), toJson(t.getValueNode(), budget));
                }
            }
            return out;
        }
        if (node instanceof SequenceNode seq) {
            var out = nodes.arrayNode();
            for (Node n : seq.getValue()) {
                out.add(toJson(n, budget));
            }
            return out;
        }
        return nodes.textNode(((ScalarNode) node).getValue());
    }

    private java.time.Duration duration(Map<String, NodeTuple> f, String field, String path, java.time.Duration dflt,
            java.time.Duration min, java.time.Duration max) {
        if (!f.containsKey(field)) {
            return dflt;
        }
        Node n = f.get(field).getValueNode();
        String v = string(n, path + "." + field);
        if (v == null) {
            return dflt;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)").matcher(v);
        if (!m.matches()) {
            error(line(n), path + "." + field, "\"" + v + "\" is not a duration; write a number and a unit, e.g. 30s, 10m or 1h");
            return dflt;
        }
        long amount = Long.parseLong(m.group(1));
        java.time.Duration d = switch (m.group(2)) {
            case "ms" -> java.time.Duration.ofMillis(amount);
            case "s" -> java.time.Duration.ofSeconds(amount);
            case "m" -> java.time.Duration.ofMinutes(amount);
            default -> java.time.Duration.ofHours(amount);
        };
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            error(line(n), path + "." + field, "\"" + v + "\" is out of range; use between " + min + " and " + max);
            return dflt;
        }
        return d;
    }

    private static Optional<String> serviceAccountPatternProblem(String value, String form) {
        int slash = value.indexOf('/');
        if (slash < 0 || slash != value.lastIndexOf('/')) {
            return Optional.of("\"" + value + "\" must be " + form);
        }
        return Globs.namespaceProblem(value.substring(0, slash))
                .or(() -> Globs.serviceAccountNameProblem(value.substring(slash + 1)));
    }

    // ---- rules

    private void parseRules(Node node, List<Rule> out) {
        SequenceNode seq = sequence(node, "rules");
        if (seq == null) {
            return;
        }
        Map<String, String> names = new HashMap<>();
        for (int i = 0; i < seq.getValue().size(); i++) {
            String path = "rules[" + i + "]";
            MappingNode m = mapping(seq.getValue().get(i), path);
            if (m == null) {
                continue;
            }
            Rule rule = parseRule(m, path, names);
            if (rule != null) {
                out.add(rule);
            }
        }
    }

    private Rule parseRule(MappingNode m, String path, Map<String, String> names) {
        int before = errors.size();
        Map<String, NodeTuple> f = fields(m, path, RULE_FIELDS);
        String name = null;
        if (!f.containsKey("name")) {
            error(line(m), path + ".name", "missing; every rule needs a unique name, e.g. name: pci-ingress-by-identity");
        } else {
            Node n = f.get("name").getValueNode();
            name = string(n, path + ".name");
            if (name != null && !LabelSyntax.isDnsLabel(name)) {
                error(line(n), path + ".name", "\"" + name + "\" is not a valid rule name; use lower-case letters, digits and '-',"
                        + " at most 63 characters, starting and ending with a letter or digit");
                name = null;
            } else if (name != null) {
                String first = names.putIfAbsent(name, path + " (line " + line(n) + ")");
                if (first != null) {
                    error(line(n), path + ".name", "rule name \"" + name + "\" is already used by " + first
                            + "; rule names must be unique, rename one");
                    name = null;
                }
            }
        }
        String description = "";
        if (f.containsKey("description")) {
            String d = string(f.get("description").getValueNode(), path + ".description");
            description = d == null ? "" : d;
        }
        Action action = Action.DENY;
        if (f.containsKey("action")) {
            Node n = f.get("action").getValueNode();
            String a = string(n, path + ".action");
            if (a != null) {
                Optional<Action> parsed = Action.fromWire(a);
                if (parsed.isEmpty()) {
                    error(line(n), path + ".action", "\"" + a + "\" is not an action; use deny (the default), warn or audit");
                } else {
                    action = parsed.get();
                }
            }
        }
        Match match = Match.ALL;
        if (f.containsKey("match")) {
            match = parseMatch(f.get("match").getValueNode(), path + ".match");
        }
        Requirements require = null;
        if (!f.containsKey("require")) {
            error(line(m), path + ".require", "missing; a rule needs at least one requirement, e.g. require: {identityPeers: true}");
        } else {
            require = parseRequire(f.get("require").getValueNode(), path + ".require");
        }
        if (errors.size() > before || name == null || match == null || require == null) {
            return null;
        }
        return new Rule(name, description, action, match, require, source, line(m));
    }

    private Match parseMatch(Node node, String path) {
        MappingNode m = mapping(node, path);
        if (m == null) {
            return null;
        }
        Map<String, NodeTuple> f = fields(m, path, MATCH_FIELDS);
        List<String> namespaces = List.of("*");
        if (f.containsKey("namespaces")) {
            namespaces = namespaceGlobs(f.get("namespaces").getValueNode(), path + ".namespaces");
            if (namespaces != null && namespaces.isEmpty()) {
                error(line(f.get("namespaces").getValueNode()), path + ".namespaces",
                        "an empty list matches no namespace; omit namespaces to match all of them");
                namespaces = null;
            }
        }
        List<String> excluded = List.of();
        if (f.containsKey("excludeNamespaces")) {
            excluded = namespaceGlobs(f.get("excludeNamespaces").getValueNode(), path + ".excludeNamespaces");
        }
        LabelSelector podSelector = LabelSelector.ALL;
        if (f.containsKey("podSelector")) {
            podSelector = parseSelector(f.get("podSelector").getValueNode(), path + ".podSelector");
        }
        if (namespaces == null || excluded == null || podSelector == null) {
            return null;
        }
        return new Match(namespaces, excluded, podSelector);
    }

    private List<String> namespaceGlobs(Node node, String path) {
        return stringList(node, path, (value, n, p) -> {
            Optional<String> problem = Globs.namespaceProblem(value);
            problem.ifPresent(msg -> error(line(n), p, msg));
            return problem.isEmpty();
        });
    }

    private LabelSelector parseSelector(Node node, String path) {
        MappingNode m = mapping(node, path);
        if (m == null) {
            return null;
        }
        int before = errors.size();
        Map<String, NodeTuple> f = fields(m, path, SELECTOR_FIELDS);
        TreeMap<String, String> labels = new TreeMap<>();
        if (f.containsKey("matchLabels")) {
            String lp = path + ".matchLabels";
            MappingNode lm = mapping(f.get("matchLabels").getValueNode(), lp);
            if (lm != null) {
                for (NodeTuple t : lm.getValue()) {
                    String k = keyText(t, lp);
                    if (k == null) {
                        continue;
                    }
                    String kp = lp + "[" + k + "]";
                    Optional<String> kProblem = LabelSyntax.keyProblem(k);
                    if (kProblem.isPresent()) {
                        error(line(t.getKeyNode()), kp, kProblem.get());
                        continue;
                    }
                    if (labels.containsKey(k)) {
                        error(line(t.getKeyNode()), kp, "label key appears twice; keep one");
                        continue;
                    }
                    String v = string(t.getValueNode(), kp);
                    if (v != null) {
                        LabelSyntax.valueProblem(v).ifPresent(msg -> error(line(t.getValueNode()), kp, msg));
                        labels.put(k, v);
                    }
                }
            }
        }
        List<Requirement> expressions = new ArrayList<>();
        if (f.containsKey("matchExpressions")) {
            String ep = path + ".matchExpressions";
            SequenceNode seq = sequence(f.get("matchExpressions").getValueNode(), ep);
            for (int i = 0; seq != null && i < seq.getValue().size(); i++) {
                Requirement r = parseExpression(seq.getValue().get(i), ep + "[" + i + "]");
                if (r != null) {
                    expressions.add(r);
                }
            }
        }
        return errors.size() > before ? null : new LabelSelector(labels, expressions);
    }

    private Requirement parseExpression(Node node, String path) {
        MappingNode m = mapping(node, path);
        if (m == null) {
            return null;
        }
        int before = errors.size();
        Map<String, NodeTuple> f = fields(m, path, EXPRESSION_FIELDS);
        String key = null;
        if (!f.containsKey("key")) {
            error(line(m), path + ".key", "missing; name the label key the expression tests");
        } else {
            Node n = f.get("key").getValueNode();
            key = string(n, path + ".key");
            if (key != null) {
                Optional<String> problem = LabelSyntax.keyProblem(key);
                if (problem.isPresent()) {
                    error(line(n), path + ".key", problem.get());
                }
            }
        }
        Operator op = null;
        if (!f.containsKey("operator")) {
            error(line(m), path + ".operator", "missing; use In, NotIn, Exists or DoesNotExist");
        } else {
            Node n = f.get("operator").getValueNode();
            String text = string(n, path + ".operator");
            if (text != null) {
                op = Operator.fromWire(text).orElse(null);
                if (op == null) {
                    String suggestion = suggest(text, List.of("In", "NotIn", "Exists", "DoesNotExist"));
                    error(line(n), path + ".operator", "\"" + text + "\" is not an operator; use In, NotIn, Exists or DoesNotExist"
                            + (suggestion == null ? "" : " (did you mean " + suggestion + "?)"));
                }
            }
        }
        List<String> values = List.of();
        Node valuesNode = f.containsKey("values") ? f.get("values").getValueNode() : null;
        if (valuesNode != null) {
            values = stringList(valuesNode, path + ".values", (v, n, p) -> {
                Optional<String> problem = LabelSyntax.valueProblem(v);
                problem.ifPresent(msg -> error(line(n), p, msg));
                return problem.isEmpty();
            });
        }
        if (op != null && values != null) {
            if (op.takesValues() && values.isEmpty()) {
                error(valuesNode == null ? line(m) : line(valuesNode), path + ".values",
                        op.wire() + " needs at least one value; list them, e.g. values: [pci]");
            } else if (!op.takesValues() && !values.isEmpty()) {
                error(line(valuesNode), path + ".values", op.wire() + " takes no values; remove values or use In/NotIn");
            }
        }
        if (errors.size() > before || key == null || op == null || values == null) {
            return null;
        }
        return new Requirement(key, op, values);
    }

    private Requirements parseRequire(Node node, String path) {
        MappingNode m = mapping(node, path);
        if (m == null) {
            return null;
        }
        int before = errors.size();
        Map<String, NodeTuple> f = fields(m, path, REQUIRE_FIELDS);
        boolean identityPeers = bool(f, "identityPeers", path);
        List<IdentityRef> ingressFrom = f.containsKey("ingressFrom") ? identityRefs(f.get("ingressFrom").getValueNode(), path + ".ingressFrom") : null;
        List<IdentityRef> egressTo = f.containsKey("egressTo") ? identityRefs(f.get("egressTo").getValueNode(), path + ".egressTo") : null;
        List<Cidr> ipIngress = null;
        List<Cidr> ipEgress = null;
        if (f.containsKey("ipBlocks")) {
            String ip = path + ".ipBlocks";
            MappingNode im = mapping(f.get("ipBlocks").getValueNode(), ip);
            if (im != null) {
                Map<String, NodeTuple> bf = fields(im, ip, IPBLOCK_FIELDS);
                if (bf.containsKey("ingress")) {
                    ipIngress = cidrs(bf.get("ingress").getValueNode(), ip + ".ingress");
                }
                if (bf.containsKey("egress")) {
                    ipEgress = cidrs(bf.get("egress").getValueNode(), ip + ".egress");
                }
                if (bf.isEmpty() && im.getValue().isEmpty()) {
                    error(line(im), ip, "empty; list allowed CIDRs under ingress: and/or egress: ([] allows no ipBlock)");
                }
            }
        }
        Requirements r = new Requirements(identityPeers, ingressFrom, egressTo, ipIngress, ipEgress,
                bool(f, "noAllowAll", path), bool(f, "ports", path), bool(f, "defaultDeny", path),
                bool(f, "immutableNamespaceSelectors", path));
        if (errors.size() > before) {
            return null;
        }
        if (!r.any()) {
            error(line(m), path, "no requirement is switched on, so the rule checks nothing; set at least one of "
                    + String.join(", ", REQUIRE_FIELDS));
            return null;
        }
        return r;
    }

    private List<Cidr> cidrs(Node node, String path) {
        List<Cidr> out = new ArrayList<>();
        List<String> texts = stringList(node, path, (v, n, p) -> {
            try {
                Cidr c = Cidr.parse(v);
                if (c.hostBits()) {
                    error(line(n), p, "\"" + v + "\" has bits set after the prefix; write " + c.canonical()
                            + " (or the prefix you meant)");
                    return false;
                }
                out.add(c);
                return true;
            } catch (IllegalArgumentException e) {
                error(line(n), p, e.getMessage());
                return false;
            }
        });
        return texts == null ? null : out;
    }

    private List<IdentityRef> identityRefs(Node node, String path) {
        List<IdentityRef> out = new ArrayList<>();
        List<String> texts = stringList(node, path, (v, n, p) -> {
            IdentityRef ref = identityRef(v, line(n), p);
            if (ref != null) {
                out.add(ref);
            }
            return ref != null;
        });
        return texts == null ? null : out;
    }

    private static final String REF_FORMS =
            "use group:<name>, serviceAccount:<namespace>/<name>, namespace:<name> or spiffe://<trust-domain>/<path>";

    private IdentityRef identityRef(String v, int line, String path) {
        if (v.startsWith("group:")) {
            String g = v.substring("group:".length());
            if (!LabelSyntax.isName(g)) {
                error(line, path, "\"" + g + "\" is not a valid group name; group names are at most 63 characters of [A-Za-z0-9._-]");
                return null;
            }
            groupRefs.add(new PendingGroupRef(g, path, line));
            return new IdentityRef.GroupRef(g);
        }
        if (v.startsWith("serviceAccount:")) {
            String rest = v.substring("serviceAccount:".length());
            Optional<String> problem = serviceAccountPatternProblem(rest, "serviceAccount:<namespace>/<name>, e.g. serviceAccount:frontend/web");
            if (problem.isPresent()) {
                error(line, path, problem.get());
                return null;
            }
            int slash = rest.indexOf('/');
            return new IdentityRef.ServiceAccountRef(rest.substring(0, slash), rest.substring(slash + 1));
        }
        if (v.startsWith("namespace:")) {
            String ns = v.substring("namespace:".length());
            Optional<String> problem = Globs.namespaceProblem(ns);
            if (problem.isPresent()) {
                error(line, path, problem.get());
                return null;
            }
            return new IdentityRef.NamespaceRef(ns);
        }
        if (v.startsWith("spiffe://")) {
            String rest = v.substring("spiffe://".length());
            int slash = rest.indexOf('/');
            if (slash <= 0 || slash == rest.length() - 1 || rest.chars().anyMatch(c -> Character.isWhitespace(c) || c == '*')) {
                error(line, path, "\"" + v + "\" is not a SPIFFE ID; write spiffe://<trust-domain>/<path> without wildcards"
                        + " (use serviceAccount:<namespace>/<glob> for patterns)");
                return null;
            }
            return new IdentityRef.SpiffeRef(v);
        }
        String prefix = v.contains(":") ? v.substring(0, v.indexOf(':')) : v;
        String suggestion = suggest(prefix, List.of("group", "serviceAccount", "namespace", "spiffe"));
        error(line, path, "\"" + v + "\" is not an identity reference; " + REF_FORMS
                + (suggestion == null || suggestion.equals(prefix) ? "" : " (did you mean " + suggestion + ":?)"));
        return null;
    }

    // ---- typed access to nodes

    @FunctionalInterface
    private interface ItemCheck {
        boolean accept(String value, Node node, String path);
    }

    /** A list of strings, each checked; null when the list (or any item) is wrong. */
    private List<String> stringList(Node node, String path, ItemCheck check) {
        SequenceNode seq = sequence(node, path);
        if (seq == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < seq.getValue().size(); i++) {
            Node item = seq.getValue().get(i);
            String p = path + "[" + i + "]";
            String v = string(item, p);
            if (v == null || !check.accept(v, item, p)) {
                ok = false;
            } else {
                out.add(v);
            }
        }
        return ok ? out : null;
    }

    private boolean bool(Map<String, NodeTuple> f, String field, String path) {
        if (!f.containsKey(field)) {
            return false;
        }
        Node n = f.get(field).getValueNode();
        String p = path + "." + field;
        if (n instanceof ScalarNode s && s.getTag().equals(Tag.BOOL)) {
            String v = s.getValue().toLowerCase(Locale.ROOT);
            if (v.equals("true") || v.equals("false")) {
                return v.equals("true");
            }
            error(line(n), p, "\"" + s.getValue() + "\" is ambiguous YAML; write true or false");
            return false;
        }
        error(line(n), p, "expected true or false, got " + describe(n) + "; write " + field + ": true");
        return false;
    }

    private String string(Node n, String path) {
        if (n instanceof ScalarNode s) {
            Tag tag = s.getTag();
            if (tag.equals(Tag.STR)) {
                if (s.getValue().isEmpty()) {
                    error(line(n), path, "is empty; give a value");
                    return null;
                }
                return s.getValue();
            }
            if (tag.equals(Tag.NULL)) {
                error(line(n), path, "is empty; give a value");
                return null;
            }
            if (tag.equals(Tag.BOOL) || tag.equals(Tag.INT) || tag.equals(Tag.FLOAT)) {
                error(line(n), path, "expected a string, got " + describe(n) + "; quote it: \"" + s.getValue() + "\"");
                return null;
            }
        }
        error(line(n), path, "expected a string, got " + describe(n));
        return null;
    }

    private MappingNode mapping(Node n, String path) {
        if (n instanceof MappingNode m) {
            return m;
        }
        String where = path.isEmpty() ? "the document" : path;
        error(line(n), path, "expected a mapping (key: value lines), got " + describe(n)
                + (path.isEmpty() ? "; start " + where + " with groups: or rules:" : ""));
        return null;
    }

    private SequenceNode sequence(Node n, String path) {
        if (n instanceof SequenceNode s) {
            return s;
        }
        error(line(n), path, "expected a list, got " + describe(n) + "; write it as [a, b] or as lines starting with '- '");
        return null;
    }

    /** The scalar text of a mapping key, or null (with an error) when the key is not a plain string. */
    private String keyText(NodeTuple t, String path) {
        Node k = t.getKeyNode();
        if (k instanceof ScalarNode s && !s.getTag().equals(Tag.NULL) && !s.getValue().isEmpty()) {
            return s.getValue();
        }
        error(line(k), path, "a key must be a non-empty string, got " + describe(k));
        return null;
    }

    /**
     * The known fields of {@code m} by name, in document order. Unknown fields (with a suggestion) and
     * duplicate fields are errors and left out.
     */
    private Map<String, NodeTuple> fields(MappingNode m, String path, List<String> allowed) {
        Map<String, NodeTuple> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            String k = keyText(t, path);
            if (k == null) {
                continue;
            }
            String p = path.isEmpty() ? k : path + "." + k;
            if (!allowed.contains(k)) {
                String s = suggest(k, allowed);
                error(line(t.getKeyNode()), p, "unknown field" + (s == null ? "" : "; did you mean " + s + "?")
                        + " (valid here: " + String.join(", ", allowed) + ")");
            } else if (out.containsKey(k)) {
                error(line(t.getKeyNode()), p, "appears twice (also line " + line(out.get(k).getKeyNode()) + "); keep one");
            } else {
                out.put(k, t);
            }
        }
        return out;
    }

    private static String describe(Node n) {
        if (n instanceof MappingNode) {
            return "a mapping";
        }
        if (n instanceof SequenceNode) {
            return "a list";
        }
        ScalarNode s = (ScalarNode) n;
        Tag tag = s.getTag();
        if (tag.equals(Tag.NULL)) {
            return "nothing";
        }
        if (tag.equals(Tag.BOOL)) {
            return "boolean " + s.getValue();
        }
        if (tag.equals(Tag.INT) || tag.equals(Tag.FLOAT)) {
            return "number " + s.getValue();
        }
        return "string \"" + s.getValue() + "\"";
    }

    /** The allowed name nearest to {@code given} (case-insensitive edit distance), or null when none is close. */
    static String suggest(String given, List<String> allowed) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String a : allowed) {
            int d = distance(given.toLowerCase(Locale.ROOT), a.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = a;
            }
        }
        return best != null && bestDistance <= Math.max(2, best.length() / 3) ? best : null;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static int line(Node n) {
        return n.getStartMark() == null ? 0 : n.getStartMark().getLine() + 1;
    }

    private void error(int line, String path, String message) {
        errors.add(new ParseError(source.configMap(), source.key(), line, path, message));
    }
}
