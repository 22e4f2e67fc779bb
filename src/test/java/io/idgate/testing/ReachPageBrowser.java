package io.idgate.testing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.restassured.path.json.JsonPath;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
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
 * The page (/ui/) in Debian's chromium, headless, driven by chromedriver (package chromium-driver), at
 * an idgate whose base URL ({@code http://127.0.0.1:PORT}) the test gives; with tokens the query API
 * accepts ({@code src/test/resources/api/*.pem}, issuer {@link #ISSUER}, audience {@code idgate-api}).
 * {@link #open} skips the test where chromium or chromedriver is not installed (.ci/run installs both).
 */
public final class ReachPageBrowser implements AutoCloseable {

    public static final String ISSUER = "https://idp.test/";
    /** The public key the query API verifies with, as a file (mp.jwt.verify.publickey.location). */
    public static final Path PUBLIC_KEY = Path.of("src/test/resources/api/publicKey.pem").toAbsolutePath();
    private static final Path PRIVATE_KEY = Path.of("src/test/resources/api/privateKey.pem");
    private static PrivateKey signingKey;

    public final WebDriver driver;
    public final WebDriverWait wait;
    private final Supplier<String> base;
    private final Path shots;

    private ReachPageBrowser(WebDriver driver, Supplier<String> base, Path shots) {
        this.driver = driver;
        this.wait = new WebDriverWait(driver, Duration.ofSeconds(60));
        this.base = base;
        this.shots = shots;
    }

    /** A browser for the idgate at {@code base} (asked when needed), its screenshots in {@code shots}. */
    public static ReachPageBrowser open(Supplier<String> base, Path shots) throws IOException {
        File chromium = onPath("chromium", "chromium-browser");
        File chromedriver = onPath("chromedriver");
        assumeTrue(chromium != null, "chromium is not installed (Debian package chromium; .ci/run installs it)");
        assumeTrue(chromedriver != null, "chromedriver is not installed (Debian package chromium-driver; .ci/run installs it)");
        Files.createDirectories(shots);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--no-first-run", "--window-size=1400,1800",
                "--user-data-dir=" + Files.createTempDirectory("reach-page-profile"));
        // the driver named here, so Selenium Manager never looks for (or downloads) one
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver).usingAnyFreePort()
                .withTimeout(Duration.ofSeconds(60)).build();
        WebDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60)).scriptTimeout(Duration.ofSeconds(30));
        return new ReachPageBrowser(driver, base, shots);
    }

    @Override
    public void close() {
        driver.quit();
    }

    /** A token of {@link #ISSUER} for the query API, with {@code groups}, signed with the test key. */
    public static String token(String... groups) {
        return Jwt.issuer(ISSUER).subject("alice").audience("idgate-api").groups(Set.of(groups)).expiresIn(300).sign(signingKey());
    }

    private static synchronized PrivateKey signingKey() {
        if (signingKey == null) {
            try {
                signingKey = KeyUtils.decodePrivateKey(Files.readString(PRIVATE_KEY));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(PRIVATE_KEY + ": " + e.getMessage(), e);
            }
        }
        return signingKey;
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

    public String pageUrl() {
        return base.get() + "/ui/";
    }

    /** A fresh page with nothing in sessionStorage, asking for a token. */
    public void fresh() {
        driver.switchTo().defaultContent();
        driver.get(pageUrl());
        js("sessionStorage.clear()");
        driver.get(pageUrl()); // a new navigation, not a reload: the browser restores no form values
        wait.until(d -> status().contains("Give a bearer token"));
    }

    public Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    public String status() {
        return driver.findElement(By.id("status")).getText();
    }

    public void giveToken(String t) {
        WebElement box = driver.findElement(By.id("token"));
        box.clear();
        box.sendKeys(t);
        driver.findElement(By.id("use-token")).click();
    }

    /** Picks the view ({@code workload}, {@code identity}, {@code group}) and waits until it is drawn. */
    public void view(String by) {
        driver.switchTo().defaultContent();
        new Select(driver.findElement(By.id("by"))).selectByValue(by);
        wait.until(d -> status().contains(by + " view"));
    }

    /** Types {@code focus} into the focus box, and shows it. */
    public void focus(String focus) {
        driver.switchTo().defaultContent();
        WebElement box = driver.findElement(By.id("focus"));
        box.clear();
        box.sendKeys(focus);
        driver.findElement(By.id("show")).click();
        wait.until(d -> status().contains("focus " + focus));
    }

    /** Ticks "spoofable edges only", and shows it. */
    public void spoofableOnly() {
        driver.switchTo().defaultContent();
        driver.findElement(By.id("spoofable")).click();
        driver.findElement(By.id("show")).click();
        wait.until(d -> status().contains("spoofable edges only"));
    }

    /** Pastes {@code text} into the what-if box (a paste sets the value; sendKeys would type line by line). */
    public void setPolicy(String text) {
        js("arguments[0].value = arguments[1]", driver.findElement(By.id("policy")), text);
    }

    /** Pastes {@code text} into the what-if box, runs it, waits for the drawing of the changes; returns the summary line. */
    public String whatIf(String text) {
        driver.switchTo().defaultContent();
        setPolicy(text);
        driver.findElement(By.id("what-if-run")).click();
        wait.until(d -> status().startsWith("What if:"));
        return driver.findElement(By.id("what-if-summary")).getText();
    }

    /** GET /api/v1/reach?{@code query} with a viewer's token (of {@code viewerGroup}). */
    public JsonPath api(String query, String viewerGroup) {
        return given().baseUri(base.get()).auth().oauth2(token(viewerGroup)).get("/api/v1/reach?" + query)
                .then().statusCode(200).extract().jsonPath();
    }

    /** Waits for the page to draw a rendering into the frame, then switches into it. */
    public void intoFrame(String id) {
        driver.switchTo().defaultContent();
        wait.until(ExpectedConditions.frameToBeAvailableAndSwitchToIt(By.id(id)));
        wait.until(d -> !d.findElements(By.cssSelector("table.matrix")).isEmpty());
        // laid out, not just parsed: a frame Chromium does not render has a body of size zero
        wait.until(d -> ((Number) js("return document.body.getBoundingClientRect().height")).doubleValue() > 100);
    }

    /** The frames the page has drawn data into. */
    public int frames() {
        driver.switchTo().defaultContent();
        return driver.findElements(By.tagName("iframe")).size();
    }

    public int count(String css) {
        return driver.findElements(By.cssSelector(css)).size();
    }

    /** The text content of each element {@code css} selects (titles are not rendered, so not getText). */
    public Set<String> texts(String css) {
        return driver.findElements(By.cssSelector(css)).stream().map(e -> e.getAttribute("textContent"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * The graph and the matrix, drawn peer for peer and edge for edge as the API's JSON for the same
     * question answers: node titles are the peer ids, edge titles {@code src => dst : conns}, spoofable
     * ones marked. Returns the JSON.
     */
    public JsonPath assertDrawn(String query, String viewerGroup) {
        JsonPath json = api(query + "&output=json", viewerGroup);
        Set<String> peers = new TreeSet<>(json.getList("peers.id", String.class));
        List<Map<String, Object>> connections = json.getList("connections");
        Set<String> edges = new TreeSet<>();
        Set<String> pairs = new TreeSet<>();
        long spoofable = 0;
        for (Map<String, Object> c : connections) {
            String mark = Boolean.TRUE.equals(c.get("spoofable")) ? " (spoofable)" : "";
            edges.add(c.get("src") + " => " + c.get("dst") + " : " + c.get("conns") + mark);
            pairs.add(c.get("src") + " => " + c.get("dst") + mark);
            spoofable += mark.isEmpty() ? 0 : 1;
        }
        intoFrame("graph");
        assertEquals(peers, texts("svg.reach-graph g.node > title"), query + ": one node per peer");
        assertEquals(edges, texts("svg.reach-graph g.edge > title"), query + ": one edge per connected pair");
        assertEquals(connections.size(), count("svg.reach-graph g.edge"), query + ": no pair drawn twice");
        assertEquals(spoofable, count("svg.reach-graph g.edge.spoofable"), query + ": spoofable edges marked");
        assertEquals(peers, texts("table.matrix tbody th[scope=row]"), query + ": one matrix row per peer");
        assertEquals(pairs, driver.findElements(By.cssSelector("table.matrix td[title]")).stream().map(e -> e.getAttribute("title"))
                .collect(Collectors.toCollection(TreeSet::new)), query + ": one filled cell per connected pair");
        assertEquals(connections.size(), count("table.matrix td[title]"), query + ": no cell filled twice");
        assertEquals(spoofable, count("table.matrix td.spoofable"), query + ": spoofable cells marked");
        driver.switchTo().defaultContent();
        return json;
    }

    public void screenshot(String name) throws IOException {
        screenshot(name, "status");
    }

    /** The window, scrolled to the element {@code id}, as {@code name} in the screenshot directory. */
    public void screenshot(String name, String id) throws IOException {
        driver.switchTo().defaultContent();
        js("document.getElementById(arguments[0]).scrollIntoView()", id);
        Files.write(shots.resolve(name), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }
}
