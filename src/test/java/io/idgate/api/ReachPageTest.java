package io.idgate.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.idgate.render.reach.ReachHtml;
import io.idgate.testing.ReachPageBrowser;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/**
 * The page in a real browser: Debian's chromium, headless, driven by chromedriver (package
 * chromium-driver; {@link ReachPageBrowser}) at idgate running standalone over examples/reach. What it
 * draws is checked, peer for peer and edge for edge, against what the API answers in JSON; without a
 * viewer token it draws nothing. Screenshots: target/reach-page/*.png. Skipped only where chromium or chromedriver is not installed (.ci/run
 * installs both).
 */
@QuarkusTest
@TestProfile(ReachPageTest.PageProfile.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ReachPageTest {

    static final String ISSUER = ReachPageBrowser.ISSUER;
    static final Path SHOTS = Path.of("target", "reach-page");

    public static class PageProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "idgate.manifests", "examples/reach",
                    "quarkus.http.host", "127.0.0.1",
                    "quarkus.management.host", "127.0.0.1",
                    "mp.jwt.verify.issuer", ISSUER,
                    "mp.jwt.verify.publickey.location", "api/publicKey.pem",
                    "mp.jwt.verify.audiences", "idgate-api",
                    "idgate.api.viewer-groups", "platform-readers");
        }
    }

    /** Two documents: one turns an AND peer into two OR peers (adds an edge), one isolates the ledger (removes one). */
    static final String WHAT_IF = """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: api-from-checkout, namespace: payments}
            spec:
              podSelector: {matchLabels: {app: payments-api}}
              ingress:
                - from:
                    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: shop-frontend}}
                    - podSelector: {matchLabels: {app: checkout}}
                  ports:
                    - {port: grpc}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: ledger-from-api, namespace: payments}
            spec:
              podSelector: {matchLabels: {app: ledger}}
              policyTypes: [Ingress]
            """;

    static ReachPageBrowser page;

    static String token(String... groups) {
        return ReachPageBrowser.token(groups);
    }

    @BeforeAll
    static void browser() throws IOException {
        page = ReachPageBrowser.open(() -> "http://127.0.0.1:" + RestAssured.port, SHOTS);
    }

    @AfterAll
    static void quit() {
        if (page != null) {
            page.close();
        }
    }

    /** A fresh page with nothing in sessionStorage. */
    @BeforeEach
    void open() {
        page.fresh();
    }

    static void assertDrawn(String query) {
        page.assertDrawn(query, "platform-readers");
    }

    @Test
    void withoutAViewerTokenThePageShowsNoData() throws IOException {
        assertFalse(page.driver.findElement(By.id("data")).isDisplayed(), "no data section without a token");
        assertEquals(0, page.frames(), "nothing drawn without a token");

        page.giveToken("not-a-jwt");
        page.wait.until(d -> page.status().contains("(401)"));
        assertFalse(page.driver.findElement(By.id("data")).isDisplayed(), "a refused token shows nothing");

        page.giveToken(token("someone-else", "viewer")); // verifies, but no group idgate maps to the viewer role
        page.wait.until(d -> page.status().contains("no viewer role (403)"));
        assertFalse(page.driver.findElement(By.id("data")).isDisplayed());
        assertEquals(0, page.frames(), "no rendering was loaded");
        assertEquals(null, page.js("return sessionStorage.getItem('idgate.token')"),
                "a refused token is not kept");
        page.screenshot("no-viewer-role.png");

        // a viewer's page, then a refused token: what was drawn goes away
        page.giveToken(token("platform-readers"));
        page.intoFrame("graph");
        page.driver.switchTo().defaultContent();
        page.giveToken(token("someone-else"));
        page.wait.until(d -> page.status().contains("(403)"));
        assertFalse(page.driver.findElement(By.id("data")).isDisplayed());
        assertEquals(0, page.frames(), "the drawn graph was removed");
    }

    @Test
    void aViewerSeesEveryPeerAndEdgeTheApiAnswersInEachView() throws IOException {
        page.giveToken(token("platform-readers"));
        assertDrawn("by=workload");
        page.screenshot("graph.png");

        page.view("identity");
        assertDrawn("by=identity");

        page.view("group");
        assertDrawn("by=group");

        page.view("workload");
        page.focus("payments/*");
        assertDrawn("by=workload&focus=payments/*");

        page.spoofableOnly();
        assertDrawn("by=workload&focus=payments/*&spoofable=true");
        page.intoFrame("graph");
        assertEquals(1, page.count("svg.reach-graph g.edge.spoofable"), "checkout => payments/api, through app: checkout");
        assertTrue(page.driver.findElement(By.cssSelector("g.edge.spoofable title")).getAttribute("textContent")
                .startsWith("shop-frontend/checkout[Deployment] => payments/api[Deployment]"));
    }

    @Test
    void theRenderersOwnScriptRunsUnderThePagesPolicy() {
        page.giveToken(token("platform-readers"));
        page.intoFrame("graph");
        int before = page.count("svg.reach-graph .dim");
        new Select(page.driver.findElement(By.id("ns-filter"))).selectByValue("payments");
        // the namespace filter of idgate reach -o html dims the rest: its inline script was allowed by hash
        page.wait.until(d -> page.count("svg.reach-graph .dim") > before);
        assertTrue(page.count("table.matrix .hidden") > 0, "the matrix hides the other namespaces' columns");
        // and it runs in an opaque origin: were a name in the cluster to smuggle script in, it could not read the token
        assertEquals("refused", page.js(
                "try { return String(sessionStorage.getItem('idgate.token')); } catch (e) { return 'refused'; }"));
        assertEquals("refused", page.js(
                "try { return String(window.parent.sessionStorage.getItem('idgate.token')); } catch (e) { return 'refused'; }"));
    }

    @Test
    void whatIfHighlightsTheEdgesAPolicyWouldAddAndRemove() throws IOException {
        page.giveToken(token("platform-readers"));
        page.intoFrame("graph");
        page.view("workload");
        assertEquals("1 added, 1 removed, 0 changed (workload view).", page.whatIf(WHAT_IF));

        page.intoFrame("diff");
        assertEquals(1, page.count("svg.reach-graph g.edge.added"));
        assertEquals(1, page.count("svg.reach-graph g.edge.removed"));
        assertEquals(2, page.count("svg.reach-graph g.edge"), "only the changes are drawn");
        assertTrue(page.driver.findElement(By.cssSelector("g.edge.added title")).getAttribute("textContent")
                .startsWith("shop-frontend/storefront[Deployment] => payments/api[Deployment] : + TCP 9090"));
        assertTrue(page.driver.findElement(By.cssSelector("g.edge.removed title")).getAttribute("textContent")
                .startsWith("payments/api[Deployment] => payments/ledger[StatefulSet] : - TCP 5432"));
        assertEquals(1, page.count("table.matrix td.added"));
        assertEquals(1, page.count("table.matrix td.removed"));
        page.screenshot("what-if.png", "what-if");
    }

    @Test
    void badInputGetsOneClearMessage() {
        page.giveToken(token("platform-readers"));
        page.intoFrame("graph");
        page.driver.switchTo().defaultContent();
        page.setPolicy("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: bad, namespace: payments}
                spec:
                  podSelector: {}
                  ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/33}}]}]
                """);
        page.driver.findElement(By.id("what-if-run")).click();
        page.wait.until(d -> page.status().contains("10.0.0.0/33"));
        assertTrue(page.status().contains("NetworkPolicy payments/bad: spec.ingress[0].from[0].ipBlock.cidr"), page.status());
        assertFalse(page.driver.findElement(By.id("what-if-result")).isDisplayed());

        page.driver.findElement(By.id("focus")).sendKeys("payments/nope");
        page.driver.findElement(By.id("show")).click();
        page.wait.until(d -> page.status().contains("names no peer"));
        assertTrue(page.status().startsWith("focus payments/nope names no peer of the workload view"), page.status());
    }

    @Test
    void theShellHoldsNoDataAndNamesNoOtherSite() throws IOException {
        var response = given().get("/ui/").then().statusCode(200).extract();
        String csp = response.header("Content-Security-Policy");
        assertTrue(csp.startsWith("default-src 'none'; script-src 'self' " + ReachHtml.inlineScriptSource()
                + "; style-src 'self' " + ReachHtml.inlineStyleSource() + ";"), csp);
        assertTrue(csp.contains("connect-src 'self'") && csp.contains("frame-ancestors 'none'"), csp);
        for (String file : List.of("index.html", "page.js", "page.css")) {
            try (InputStream in = getClass().getResourceAsStream("/META-INF/resources/ui/" + file)) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                assertFalse(text.contains("http://") || text.contains("https://") || text.contains("//cdn"), file + " names another site");
                assertFalse(text.contains("payments"), file + " holds data");
            }
        }
        given().redirects().follow(false).get("/ui").then().statusCode(302).header("Location", "/ui/");
    }
}
