package io.idgate.k8s;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.idgate.identity.ServiceAccountInfo;

/** Maps fabric8 ServiceAccounts to what the identity logic reads (informers and the audit). */
public final class ServiceAccounts {

    private ServiceAccounts() {}

    public static ServiceAccountInfo info(ServiceAccount sa) {
        ObjectMeta meta = sa.getMetadata();
        return new ServiceAccountInfo(meta.getNamespace(), meta.getName(), meta.getAnnotations(), meta.getResourceVersion());
    }
}
