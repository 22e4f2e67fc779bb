package io.idgate.api;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import io.idgate.config.IdgateConfig;

/**
 * Maps the groups of a verified API token to idgate's two roles: {@code viewer} (identities, explain)
 * and {@code admin} (also the guardrails in force; implies viewer). The group names are settings,
 * so the identity provider's own groups can be used as they are.
 */
@ApplicationScoped
public class ApiRoles implements SecurityIdentityAugmentor {

    public static final String VIEWER = "viewer";
    public static final String ADMIN = "admin";

    private final List<String> viewerGroups;
    private final List<String> adminGroups;

    ApiRoles(IdgateConfig config) {
        this.viewerGroups = config.api().viewerGroups();
        this.adminGroups = config.api().adminGroups();
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous()) {
            return Uni.createFrom().item(identity);
        }
        // the token's groups arrive as roles; the new identity carries only idgate's own roles, so a group
        // that happens to be called "admin" at the provider grants nothing by itself
        var builder = QuarkusSecurityIdentity.builder().setPrincipal(identity.getPrincipal()).setAnonymous(false)
                .addCredentials(identity.getCredentials()).addAttributes(identity.getAttributes());
        boolean admin = identity.getRoles().stream().anyMatch(adminGroups::contains);
        boolean viewer = admin || identity.getRoles().stream().anyMatch(viewerGroups::contains);
        if (admin) {
            builder.addRole(ADMIN);
        }
        if (viewer) {
            builder.addRole(VIEWER);
        }
        return Uni.createFrom().item(builder.build());
    }
}
