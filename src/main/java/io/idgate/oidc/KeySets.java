package io.idgate.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.idgate.guardrails.TrustedIssuer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The JSON Web Key Set of each trusted issuer. Inline sets are used as written. Fetched sets are
 * refreshed every {@code refreshInterval} and when a token names an unknown {@code kid} (at most once
 * per {@link #MIN_FORCED_REFRESH}: a provider that rotated its keys is picked up within seconds, and
 * tokens with made-up kids cannot make idgate hammer the provider). A failed fetch keeps the last good
 * set. Fetches never block the admission path: a request sees the set as it is and triggers a refresh.
 */
public final class KeySets {

    private static final Logger LOG = Logger.getLogger(KeySets.class);
    public static final Duration MIN_FORCED_REFRESH = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A key set as last fetched. */
    record Fetched(String json, Set<String> kids, Instant at, long version) {}

    private final HttpClient http;
    private final Clock clock;
    private final Duration minForcedRefresh;
    private final Map<URI, Fetched> fetched = new ConcurrentHashMap<>();
    private final Map<URI, Instant> lastAttempt = new ConcurrentHashMap<>();
    private final Map<URI, Boolean> inFlight = new ConcurrentHashMap<>();

    public KeySets(HttpClient http, Clock clock) {
        this(http, clock, MIN_FORCED_REFRESH);
    }

    /** @param minForcedRefresh least time between two fetches forced by unknown kids */
    public KeySets(HttpClient http, Clock clock, Duration minForcedRefresh) {
        this.http = http;
        this.clock = clock;
        this.minForcedRefresh = minForcedRefresh;
    }

    /** The key set of {@code issuer} (JSON), or null when a fetched set has never arrived. */
    public String keys(TrustedIssuer issuer) {
        if (issuer.jwks() != null) {
            return issuer.jwks();
        }
        Fetched f = fetched.get(issuer.jwksUrl());
        if (f == null || Duration.between(f.at(), clock.instant()).compareTo(issuer.refreshInterval()) > 0) {
            refresh(issuer, minForcedRefresh); // rate-limited too: a provider that is down is not hammered
        }
        return f == null ? null : f.json();
    }

    /** Version of the key set (changes on every successful fetch), for caches of verified tokens. */
    public long version(TrustedIssuer issuer) {
        Fetched f = issuer.jwks() == null ? fetched.get(issuer.jwksUrl()) : null;
        return f == null ? 0 : f.version();
    }

    /** True when the key set holds {@code kid}. */
    public boolean hasKey(TrustedIssuer issuer, String kid) {
        String json = keys(issuer);
        return json != null && kids(json).contains(kid);
    }

    /** A token named a key the set lacks: refresh soon (rate-limited). */
    public void unknownKey(TrustedIssuer issuer) {
        if (issuer.jwksUrl() != null) {
            refresh(issuer, minForcedRefresh);
        }
    }

    /**
     * Fetches the key sets of {@code issuers} not fetched yet and waits for them, at most {@code timeout}
     * (the CLI, which checks once and cannot wait for a later pod).
     */
    public void prefetch(Collection<TrustedIssuer> issuers, Duration timeout) {
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (TrustedIssuer issuer : issuers) {
            if (issuer.jwksUrl() != null && !fetched.containsKey(issuer.jwksUrl())) {
                pending.add(refresh(issuer, Duration.ZERO));
            }
        }
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warnf("key sets not all fetched within %s; tokens of those issuers cannot be verified", timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts a fetch unless one is running or the last attempt is younger than {@code minAge}; completes when it ends. */
    private CompletableFuture<?> refresh(TrustedIssuer issuer, Duration minAge) {
        URI url = issuer.jwksUrl();
        Instant now = clock.instant();
        Instant last = lastAttempt.get(url);
        if (last != null && Duration.between(last, now).compareTo(minAge) < 0) {
            return CompletableFuture.completedFuture(null);
        }
        if (inFlight.putIfAbsent(url, Boolean.TRUE) != null) {
            return CompletableFuture.completedFuture(null);
        }
        lastAttempt.put(url, now);
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).header("Accept", "application/json").build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
            try {
                if (error != null) {
                    LOG.warnf("issuer %s: key set fetch from %s failed (%s); keeping the last good set", issuer.name(), url, error.getMessage());
                    return;
                }
                if (response.statusCode() != 200) {
                    LOG.warnf("issuer %s: key set fetch from %s answered HTTP %d; keeping the last good set", issuer.name(), url,
                            response.statusCode());
                    return;
                }
                Set<String> kids = kids(response.body());
                if (kids == null) {
                    LOG.warnf("issuer %s: %s did not return a key set ({\"keys\": [...]}); keeping the last good set", issuer.name(), url);
                    return;
                }
                Fetched previous = fetched.get(url);
                fetched.put(url, new Fetched(response.body(), kids, clock.instant(), previous == null ? 1 : previous.version() + 1));
                if (previous == null || !previous.kids().equals(kids)) {
                    LOG.infof("issuer %s: key set from %s has keys %s", issuer.name(), url, kids);
                }
            } finally {
                inFlight.remove(url);
            }
        });
    }

    /** The kids of a key set, or null when it is not one. */
    static Set<String> kids(String json) {
        try {
            JsonNode keys = JSON.readTree(json).path("keys");
            if (!keys.isArray()) {
                return null;
            }
            Set<String> kids = new TreeSet<>();
            keys.forEach(k -> kids.add(k.path("kid").asText("")));
            return kids;
        } catch (IOException e) {
            return null;
        }
    }
}
