package io.idgate.cli;

import io.idgate.render.IdentityDocument;
import io.idgate.render.Report;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.idgate.identity.DerivedIdentity;
import io.idgate.identity.IdentityDeriver;
import io.idgate.identity.ServiceAccountInfo;
import io.idgate.identity.WorkloadIdentity;
import io.idgate.engine.GuardrailInputs;
import io.idgate.k8s.ClusterObjects;
import io.idgate.k8s.ManifestException;
import io.idgate.k8s.ManifestServiceAccountLookup;
import io.idgate.k8s.ServiceAccountLookup;
import io.idgate.netpol.IdentityPeer;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code idgate labels}: the keys idgate stamps on pods of one identity, and a peer that selects them. */
@Command(name = "labels", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Print the identity labels of a ServiceAccount, and a NetworkPolicy peer selecting it.",
                "The labels and annotations idgate stamps on pods running as the ServiceAccount, and a peer (namespaceSelector on"
                        + " kubernetes.io/metadata.name, podSelector on the identity label) that selects exactly those pods and passes"
                        + " the identityPeers and immutableNamespaceSelectors requirements: the peer idgate check suggests.",
                "With -f, the guardrail groups come from the guardrail ConfigMaps among the inputs (read as idgate check reads"
                        + " them), and the ServiceAccount's annotations from the inputs when it is there."},
        footer = {"", "Examples:", "  idgate labels -f examples/cluster --namespace payments --service-account ledger",
                "  idgate labels --namespace payments --service-account ledger",
                "      --aws-role-arn arn:aws:iam::123456789012:role/payments-ledger --group payments",
                "  idgate labels spiffe://cluster.local/ns/payments/sa/ledger -o json"})
public final class LabelsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "SPIFFE_ID", description = "spiffe://<trust-domain>/ns/<namespace>/sa/<service account>")
    String spiffeId;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "The pod's namespace.")
    String namespace;

    @Option(names = "--service-account", paramLabel = "SA", description = "The pod's ServiceAccount (spec.serviceAccountName).")
    String serviceAccount;

    @Option(names = "--aws-role-arn", paramLabel = "ARN", description = "The ServiceAccount's eks.amazonaws.com/role-arn annotation.")
    String awsRoleArn;

    @Option(names = "--gcp-service-account", paramLabel = "EMAIL", description = "The ServiceAccount's iam.gke.io/gcp-service-account annotation.")
    String gcpServiceAccount;

    @Option(names = "--azure-client-id", paramLabel = "GUID", description = "The ServiceAccount's azure.workload.identity/client-id annotation.")
    String azureClientId;

    @Option(names = "--group", paramLabel = "GROUP", description = "A guardrail group the identity is a member of (besides those"
            + " the guardrails of -f give it); repeatable.")
    List<String> groups = new ArrayList<>();

    @Option(names = {"-f", "--filename"}, paramLabel = "PATH", description = "Manifests holding guardrail ConfigMaps (labelled"
            + " <prefix>/guardrails=true) and ServiceAccounts, as for idgate check; repeatable.")
    List<String> paths = new ArrayList<>();

    @Option(names = "--guardrails", paramLabel = "FILE", description = "Guardrail ConfigMaps (labelled or not); repeatable.")
    List<String> guardrailFiles = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "yaml",
            description = "yaml, text or json. Default: ${DEFAULT-VALUE}.")
    Format format;

    @Mixin
    IdentityOptions identity;

    enum Format {
        yaml,
        text,
        json
    }

    private final InputStream stdin;

    public LabelsCommand(InputStream stdin) {
        this.stdin = stdin;
    }

    @Override
    public Integer call() throws Exception {
        var err = spec.commandLine().getErr();
        String trustDomain = null;
        if (spiffeId != null) {
            Matcher m = WorkloadIdentity.SPIFFE_ID.matcher(spiffeId);
            if (!m.matches()) {
                err.println("idgate labels: " + spiffeId + " is not a ServiceAccount SPIFFE ID; write spiffe://<trust-domain>/ns/<namespace>/sa/<service account>");
                return Report.EXIT_UNUSABLE;
            }
            if (namespace != null || serviceAccount != null) {
                err.println("idgate labels: give either a SPIFFE ID or --namespace and --service-account, not both");
                return Report.EXIT_UNUSABLE;
            }
            trustDomain = m.group(1);
            namespace = m.group(2);
            serviceAccount = m.group(3);
        } else if (namespace == null || serviceAccount == null) {
            err.println("idgate labels: give --namespace and --service-account (or a spiffe:// ID); see idgate labels --help");
            return Report.EXIT_UNUSABLE;
        }
        IdentityDeriver deriver;
        try {
            deriver = identity.deriver(trustDomain);
        } catch (UsageError e) {
            err.println("idgate labels: " + e.getMessage());
            return Report.EXIT_UNUSABLE;
        }
        ServiceAccountInfo account = ServiceAccountInfo.of(namespace, serviceAccount, awsRoleArn, gcpServiceAccount, azureClientId);
        Set<String> memberOf = new TreeSet<>(groups);
        if (!paths.isEmpty() || !guardrailFiles.isEmpty()) {
            // the same reading as idgate check: the same files give the same groups
            Inputs inputs = Inputs.read(paths, stdin);
            Inputs guardrailInputs = Inputs.read(guardrailFiles, stdin);
            List<String> errors = new ArrayList<>(inputs.errors());
            errors.addAll(guardrailInputs.errors());
            ClusterObjects objects = ClusterObjects.of(inputs.objects(), namespace);
            GuardrailInputs.Loaded loaded = GuardrailInputs.load(objects, guardrailInputs.objects(), deriver.keys().prefix(), namespace, null);
            errors.addAll(loaded.errors());
            if (!errors.isEmpty()) {
                errors.forEach(e -> err.println("error: " + e));
                err.println("error: unusable input (" + errors.size() + " problem" + (errors.size() == 1 ? "" : "s") + "); fix "
                        + (errors.size() == 1 ? "it" : "them") + " and run again");
                return Report.EXIT_UNUSABLE;
            }
            err.println(loaded.summary().line());
            loaded.ignored().forEach(n -> err.println("note: " + n));
            try {
                account = fromInputs(objects, account);
            } catch (UsageError e) {
                err.println("error: " + e.getMessage());
                return Report.EXIT_UNUSABLE;
            }
            memberOf.addAll(loaded.snapshot().groupsOf(deriver.identityOf(account)));
        }
        DerivedIdentity derived = deriver.derive(account, memberOf);

        var out = spec.commandLine().getOut();
        if (format == Format.text) {
            out.print(text(deriver, derived));
            out.flush();
            return Report.EXIT_OK;
        }
        ObjectMapper mapper = format == Format.json ? JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build()
                : YAMLMapper.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).build();
        ObjectNode root = IdentityDocument.describe(mapper, deriver, namespace, serviceAccount, derived);
        if (format == Format.yaml) {
            out.println("# Pods running as ServiceAccount " + namespace + "/" + serviceAccount + " get these keys from idgate.");
            out.println("# peer: paste under spec.ingress[].from or spec.egress[].to to select exactly these pods.");
        }
        out.print(mapper.writeValueAsString(root));
        if (format == Format.json) {
            out.println();
        }
        out.flush();
        return Report.EXIT_OK;
    }

    /** The ServiceAccount as the inputs hold it (its annotations), with the options given on the command line on top. */
    private ServiceAccountInfo fromInputs(ClusterObjects objects, ServiceAccountInfo given) {
        ServiceAccountLookup.Resolution found;
        try {
            found = new ManifestServiceAccountLookup(objects.serviceAccounts()).resolve(namespace, serviceAccount).toCompletableFuture().join();
        } catch (ManifestException e) {
            throw new UsageError(e.getMessage());
        }
        if (!(found instanceof ServiceAccountLookup.Found f)) {
            return given;
        }
        Map<String, String> annotations = new TreeMap<>(f.serviceAccount().annotations());
        annotations.putAll(given.annotations());
        return new ServiceAccountInfo(namespace, serviceAccount, annotations, f.serviceAccount().resourceVersion());
    }

    /** {@code -o text}: the lines idgate check prints for a pod's labels, then the annotations and the peer. */
    private String text(IdentityDeriver deriver, DerivedIdentity derived) {
        StringBuilder s = new StringBuilder("ServiceAccount " + namespace + "/" + serviceAccount + "\n  labels:\n");
        derived.labels().forEach((k, v) -> s.append("    ").append(k).append('=').append(v).append('\n'));
        s.append("  annotations:\n");
        derived.annotations().forEach((k, v) -> s.append("    ").append(k).append('=').append(v).append('\n'));
        IdentityPeer peer = IdentityPeer.serviceAccount(deriver.keys(), namespace, derived.labels().get(deriver.keys().serviceAccount()));
        s.append("  peer (under spec.ingress[].from or spec.egress[].to):\n    ").append(peer.flow()).append('\n');
        return s.toString();
    }
}
