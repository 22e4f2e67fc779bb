package io.idgate.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.idgate.render.reach.ReachHtml;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.smallrye.jwt.build.Jwt;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page in a real browser: Debian's chromium, headless, driven by chromedriver (package
 * chromium-driver) at idgate running standalone over examples/reach. What it draws is counted against
 * what the API answers in JSON; without a viewer token it draws nothing. Screenshots:
 * target/reach-page/*.png. Skipped only where chromium or chromedriver is not installed (.ci/run
 * installs both).
 */
@QuarkusTest
@TestProfile(ReachPageTest.PageProfile.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ReachPageTest {

    static final String ISSUER = "https://idp.test/";
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
                    "smallrye.jwt.sign.key.location", "api/privateKey.pem",
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

    static WebDriver driver;
    static WebDriverWait wait;

    static String token(String... groups) {
        return Jwt.issuer(ISSUER).subject("alice").audience("idgate-api").groups(Set.of(groups)).expiresIn(300).sign();
    }

    /** An executable of that name on the PATH, or null. */
    static File onPath(String... names) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : names) {
                File f = new File(dir, name);
                if (f.canExecute()) {
                    return f;
                }
            }
        }
        return null;
    }

    @BeforeAll
    static void browser() throws IOException {
        File chromium = onPath("chromium", "chromium-browser");
        File chromedriver = onPath("chromedriver");
        assumeTrue(chromium != null, "chromium is not installed (Debian package chromium; .ci/run installs it)");
        assumeTrue(chromedriver != null, "chromedriver is not installed (Debian package chromium-driver; .ci/run installs it)");
        Files.createDirectories(SHOTS);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--no-first-run", "--window-size=1400,1800",
                "--user-data-dir=" + Files.createTempDirectory("reach-page-profile"));
        // the driver named here, so Selenium Manager never looks for (or downloads) one
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver).usingAnyFreePort()
                .withTimeout(Duration.ofSeconds(60)).build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60)).scriptTimeout(Duration.ofSeconds(30));
        wait = new WebDriverWait(driver, Duration.ofSeconds(60));
    }

    @AfterAll
    static void quit() {
        if (driver != null) {
            driver.quit();
        }
    }

    /** A fresh page with nothing in sessionStorage. */
    @BeforeEach
    void open() {
        driver.switchTo().defaultContent();
        driver.get(pageUrl());
        ((JavascriptExecutor) driver).executeScript("sessionStorage.clear()");
        driver.get(pageUrl()); // a new navigation, not a reload: the browser restores no form values

        wait.until(d -> status().contains("Give a bearer token"));
    }

    static String pageUrl() {
        return "http://127.0.0.1:" + RestAssured.port + "/ui/";
    }

    static String status() {
        return driver.findElement(By.id("status")).getText();
    }

    static void giveToken(String t) {
        WebElement box = driver.findElement(By.id("token"));
        box.clear();
        box.sendKeys(t);
        driver.findElement(By.id("use-token")).click();
    }

    static JsonPath api(String query) {
        return given().auth().oauth2(token("platform-readers")).get("/api/v1/reach?" + query).then().statusCode(200).extract().jsonPath();
    }

    /** Waits for the page to draw a rendering into the frame, then switches into it. */
    static void intoFrame(String id) {
        driver.switchTo().defaultContent();
        wait.until(ExpectedConditions.frameToBeAvailableAndSwitchToIt(By.id(id)));
        wait.until(d -> !d.findElements(By.cssSelector("table.matrix")).isEmpty());
        // laid out, not just parsed: a frame Chromium does not render has a body of size zero
        wait.until(d -> ((Number) ((JavascriptExecutor) d).executeScript("return document.body.getBoundingClientRect().height")).doubleValue() > 100);
    }

    /** The frames the page has drawn data into. */
    static int frames() {
        driver.switchTo().defaultContent();
        return driver.findElements(By.tagName("iframe")).size();
    }

    static int count(String css) {
        return driver.findElements(By.cssSelector(css)).size();
    }

    /** The graph and the matrix, each counted against the API's JSON for the same question. */
    static void assertDrawn(String query) {
        JsonPath json = api(query + "&output=json");
        List<Boolean> spoofable = json.getList("connections.spoofable", Boolean.class);
        long spoofableCount = spoofable.stream().filter(b -> b).count();
        intoFrame("graph");
        assertEquals(json.getList("peers").size(), count("svg.reach-graph g.node"), query + ": one node per peer");
        assertEquals(spoofable.size(), count("svg.reach-graph g.edge"), query + ": one edge per connected pair");
        assertEquals(spoofableCount, count("svg.reach-graph g.edge.spoofable"), query + ": spoofable edges marked");
        assertEquals(json.getList("peers").size(), count("table.matrix tbody tr"), query + ": one matrix row per peer");
        assertEquals(spoofable.size(), count("table.matrix td[title]"), query + ": one filled cell per connected pair");
        assertEquals(spoofableCount, count("table.matrix td.spoofable"), query + ": spoofable cells marked");
        driver.switchTo().defaultContent();
    }

    static void screenshot(String name) throws IOException {
        screenshot(name, "status");
    }

    /** The window, scrolled to the element {@code id}, as target/reach-page/{@code name}. */
    static void screenshot(String name, String id) throws IOException {
        driver.switchTo().defaultContent();
        ((JavascriptExecutor) driver).executeScript("document.getElementById(arguments[0]).scrollIntoView()", id);
        Files.write(SHOTS.resolve(name), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void withoutAViewerTokenThePageShowsNoData() throws IOException {
        assertFalse(driver.findElement(By.id("data")).isDisplayed(), "no data section without a token");
        assertEquals(0, frames(), "nothing drawn without a token");

        giveToken("not-a-jwt");
        wait.until(d -> status().contains("(401)"));
        assertFalse(driver.findElement(By.id("data")).isDisplayed(), "a refused token shows nothing");

        giveToken(token("someone-else", "viewer")); // verifies, but no group idgate maps to the viewer role
        wait.until(d -> status().contains("no viewer role (403)"));
        assertFalse(driver.findElement(By.id("data")).isDisplayed());
        assertEquals(0, frames(), "no rendering was loaded");
        assertEquals(null, ((JavascriptExecutor) driver).executeScript("return sessionStorage.getItem('idgate.token')"),
                "a refused token is not kept");
        screenshot("no-viewer-role.png");

        // a viewer's page, then a refused token: what was drawn goes away
        giveToken(token("platform-readers"));
        intoFrame("graph");
        driver.switchTo().defaultContent();
        giveToken(token("someone-else"));
        wait.until(d -> status().contains("(403)"));
        assertFalse(driver.findElement(By.id("data")).isDisplayed());
        assertEquals(0, frames(), "the drawn graph was removed");
    }

    @Test
    void aViewerSeesEveryPeerAndEdgeTheApiAnswersInEachView() throws IOException {
        giveToken(token("platform-readers"));
        assertDrawn("by=workload");
        screenshot("graph.png");

        new Select(driver.findElement(By.id("by"))).selectByValue("identity");
        wait.until(d -> status().contains("identity view"));
        assertDrawn("by=identity");

        new Select(driver.findElement(By.id("by"))).selectByValue("group");
        wait.until(d -> status().contains("group view"));
        assertDrawn("by=group");

        new Select(driver.findElement(By.id("by"))).selectByValue("workload");
        wait.until(d -> status().contains("workload view"));
        WebElement focus = driver.findElement(By.id("focus"));
        focus.sendKeys("payments/*");
        driver.findElement(By.id("show")).click();
        wait.until(d -> status().contains("focus payments/*"));
        assertDrawn("by=workload&focus=payments/*");

        driver.findElement(By.id("spoofable")).click();
        driver.findElement(By.id("show")).click();
        wait.until(d -> status().contains("spoofable edges only"));
        assertDrawn("by=workload&focus=payments/*&spoofable=true");
        intoFrame("graph");
        assertEquals(1, count("svg.reach-graph g.edge.spoofable"), "checkout => payments/api, through app: checkout");
        assertTrue(driver.findElement(By.cssSelector("g.edge.spoofable title")).getAttribute("textContent")
                .startsWith("shop-frontend/checkout[Deployment] => payments/api[Deployment]"));
    }

    @Test
    void theRenderersOwnScriptRunsUnderThePagesPolicy() {
        giveToken(token("platform-readers"));
        intoFrame("graph");
        int before = count("svg.reach-graph .dim");
        new Select(driver.findElement(By.id("ns-filter"))).selectByValue("payments");
        // the namespace filter of idgate reach -o html dims the rest: its inline script was allowed by hash
        wait.until(d -> count("svg.reach-graph .dim") > before);
        assertTrue(count("table.matrix .hidden") > 0, "the matrix hides the other namespaces' columns");
        // and it runs in an opaque origin: were a name in the cluster to smuggle script in, it could not read the token
        assertEquals("refused", ((JavascriptExecutor) driver).executeScript(
                "try { return String(sessionStorage.getItem('idgate.token')); } catch (e) { return 'refused'; }"));
        assertEquals("refused", ((JavascriptExecutor) driver).executeScript(
                "try { return String(window.parent.sessionStorage.getItem('idgate.token')); } catch (e) { return 'refused'; }"));
    }

    @Test
    void whatIfHighlightsTheEdgesAPolicyWouldAddAndRemove() throws IOException {
        giveToken(token("platform-readers"));
        intoFrame("graph");
        driver.switchTo().defaultContent();
        new Select(driver.findElement(By.id("by"))).selectByValue("workload");
        wait.until(d -> status().contains("workload view"));
        setPolicy(WHAT_IF);
        driver.findElement(By.id("what-if-run")).click();
        wait.until(d -> status().startsWith("What if:"));
        assertEquals("1 added, 1 removed, 0 changed (workload view).", driver.findElement(By.id("what-if-summary")).getText());

        intoFrame("diff");
        assertEquals(1, count("svg.reach-graph g.edge.added"));
        assertEquals(1, count("svg.reach-graph g.edge.removed"));
        assertEquals(2, count("svg.reach-graph g.edge"), "only the changes are drawn");
        assertTrue(driver.findElement(By.cssSelector("g.edge.added title")).getAttribute("textContent")
                .startsWith("shop-frontend/storefront[Deployment] => payments/api[Deployment] : + TCP 9090"));
        assertTrue(driver.findElement(By.cssSelector("g.edge.removed title")).getAttribute("textContent")
                .startsWith("payments/api[Deployment] => payments/ledger[StatefulSet] : - TCP 5432"));
        assertEquals(1, count("table.matrix td.added"));
        assertEquals(1, count("table.matrix td.removed"));
        screenshot("what-if.png", "what-if");
    }

    @Test
    void badInputGetsOneClearMessage() {
        giveToken(token("platform-readers"));
        intoFrame("graph");
        driver.switchTo().defaultContent();
        setPolicy("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: bad, namespace: payments}
                spec:
                  podSelector: {}
                  ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/33}}]}]
                """);
        driver.findElement(By.id("what-if-run")).click();
        wait.until(d -> status().contains("10.0.0.0/33"));
        assertTrue(status().contains("NetworkPolicy payments/bad: spec.ingress[0].from[0].ipBlock.cidr"), status());
        assertFalse(driver.findElement(By.id("what-if-result")).isDisplayed());

        WebElement focus = driver.findElement(By.id("focus"));
        focus.sendKeys("payments/nope");
        driver.findElement(By.id("show")).click();
        wait.until(d -> status().contains("names no peer"));
        assertTrue(status().startsWith("focus payments/nope names no peer of the workload view"), status());
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

    static void setPolicy(String text) {
        // sendKeys would go through the keyboard line by line; the box takes a paste as a value
        WebElement box = driver.findElement(By.id("policy"));
        ((JavascriptExecutor) driver).executeScript("arguments[0].value = arguments[1]", box, text);
    }
}
