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
import java.util.ArrayList;
import java.util.List;
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
                        + " the identityPeers and immutableNamespaceSelectors requirements."},
        footer = {"", "Examples:", "  idgate labels --namespace payments --service-account ledger --aws-role-arn arn:aws:iam::123456789012:role/payments-ledger",
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

    @Option(names = "--group", paramLabel = "GROUP", description = "A guardrail group the identity is a member of; repeatable.")
    List<String> groups = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "yaml", description = "yaml or json. Default: ${DEFAULT-VALUE}.")
    Format format;

    @Mixin
    IdentityOptions identity;

    enum Format {
        yaml,
        json
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
        DerivedIdentity derived = deriver.derive(
                ServiceAccountInfo.of(namespace, serviceAccount, awsRoleArn, gcpServiceAccount, azureClientId), new TreeSet<>(groups));

        ObjectMapper mapper = format == Format.json ? JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build()
                : YAMLMapper.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).build();
        ObjectNode root = IdentityDocument.describe(mapper, deriver, namespace, serviceAccount, derived);
        var out = spec.commandLine().getOut();
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
}
