package dev.hyperj.cli.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.hyperj.cli.devnet.Devnet;
import dev.hyperj.cli.devnet.DevnetConfig;
import dev.hyperj.cli.devnet.DevnetNode;
import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.subnet.Promtool;
import dev.hyperj.subnet.telemetry.TelemetryReporter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A running 4-node devnet seen from outside: its nodes' and its chain's {@code /metrics} pass
 * promtool and move as epochs pass, and the dashboard, in a real headless Chromium, lists the
 * subnet and its four nodes with their classes and grows its epoch table by itself.
 */
@Timeout(300)
class DevnetWebTest {
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private String get(String url) throws Exception {
        HttpResponse<String> r =
                http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url).isEqualTo(200);
        return r.body();
    }

    /** The value of an unlabelled sample, or of the first sample whose labels contain {@code labels}. */
    static double value(String exposition, String name, String labels) {
        Pattern p = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? (\\S+)$");
        Matcher m = p.matcher(exposition);
        while (m.find()) {
            String l = m.group(1) == null ? "" : m.group(1);
            if (l.contains(labels)) return Double.parseDouble(m.group(2));
        }
        return Double.NaN;
    }

    private static ChromeDriver chromium(Path profile) {
        ChromeOptions o = new ChromeOptions();
        o.setBinary("/usr/bin/chromium");
        o.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1400,1900",
                "--hide-scrollbars",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new java.io.File("/usr/bin/chromedriver"))
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, o);
    }

    @Test
    void metricsPassPromtoolAndMoveAndTheDashboardShowsTheSubnetLive() throws Exception {
        assertThat(Path.of("/usr/bin/chromedriver"))
                .as("chromium-driver is installed by scripts/install-web-tools.sh")
                .exists();
        DevnetConfig cfg = DevnetConfig.defaults(4).withBasePath(dir.resolve("devnet"));
        try (Devnet devnet = Devnet.start(cfg);
                Dashboard board = Dashboard.connect(devnet.rpcUri(), new InetSocketAddress("127.0.0.1", 0), false)) {
            DevnetNode n0 = devnet.node(0);
            String nodeMetrics = n0.apiUrl().orElseThrow() + "/metrics";
            String before = get(nodeMetrics);
            String chainBefore = get(devnet.chainMetricsUrl());
            Promtool.check(before);
            Promtool.check(chainBefore);
            double epochs0 = value(before, "hyperj_subnet_epochs_total", "");
            double block0 = value(chainBefore, "hyperj_chain_best_block", "");
            double imported0 = value(chainBefore, "hyperj_chain_blocks_imported_total", "");
            assertThat(value(before, "hyperj_p2p_connections", "")).isGreaterThanOrEqualTo(1);

            // a devnet node's signed event reaches the dashboard's collector; a forged one does not
            try (TelemetryReporter reporter = new TelemetryReporter(
                    URI.create(board.url() + "api/telemetry"), n0.identity(), devnet.subnetId())) {
                reporter.emit("consensus", JsonNodeFactory.instance.objectNode().put("action", "proposed"));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (reporter.sentCount() == 0 && System.nanoTime() < deadline) Thread.sleep(20); // async push
                assertThat(reporter.sentCount()).isEqualTo(1);
            }
            try (TelemetryReporter forger = new TelemetryReporter(
                    URI.create(board.url() + "api/telemetry"), Keys.generate(KeyType.ED25519), devnet.subnetId())) {
                forger.emit("consensus", null);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (forger.droppedCount() == 0 && System.nanoTime() < deadline) Thread.sleep(20);
                assertThat(forger.droppedCount())
                        .as("a key not on chain is refused")
                        .isEqualTo(1);
            }
            assertThat(get(board.url() + "api/telemetry")).contains("\"FOREIGN\":1");

            Path profile = Files.createDirectories(dir.resolve("chromium"));
            WebDriver browser = chromium(profile);
            try {
                // the page re-renders with every block: read elements inside the waits, retrying stale ones
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
                wait.ignoring(StaleElementReferenceException.class);
                browser.get(board.url());
                String sel = "[data-subnet='" + devnet.subnetId() + "']";
                String cardText =
                        wait.until(b -> b.findElement(By.cssSelector(sel)).getText());
                assertThat(cardText).contains("devnet").contains("Active").contains("4\nnodes");
                wait.until(b -> {
                    b.findElement(By.cssSelector(sel)).click();
                    return b.getCurrentUrl().endsWith("#/subnet/" + devnet.subnetId());
                });
                List<String> classes = wait.until(b -> {
                    List<String> c = b.findElements(By.cssSelector("#nodes tr.node-row [data-class]")).stream()
                            .map(WebElement::getText)
                            .toList();
                    return c.size() == 4 ? c : null;
                });
                assertThat(classes)
                        .allMatch(c -> List.of("Validator", "Included", "Idle", "Registered")
                                .contains(c));
                long first = wait.until(b -> topEpoch(b));
                // the page is not reloaded: the new epoch arrives over Server-Sent Events
                long later = new WebDriverWait(browser, Duration.ofSeconds(120))
                        .ignoring(StaleElementReferenceException.class)
                        .until(b -> {
                            Long top = topEpoch(b);
                            return top != null && top > first ? top : null;
                        });
                assertThat(later).isGreaterThan(first);
                assertThat(browser.findElement(By.id("live")).getText()).isEqualTo("live");
                byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
                Path shot = Path.of("target", "dashboard-subnet.png");
                Files.write(shot, png);
                assertThat(png.length).isGreaterThan(10_000);
            } finally {
                browser.quit();
            }

            // an epoch later, the numbers moved
            long next = devnet.currentSubnetEpoch() + 1;
            devnet.reportFor(next).get(120, TimeUnit.SECONDS);
            String after = get(nodeMetrics);
            String chainAfter = get(devnet.chainMetricsUrl());
            Promtool.check(after);
            Promtool.check(chainAfter);
            assertThat(value(after, "hyperj_subnet_epochs_total", "")).isGreaterThan(epochs0);
            assertThat(value(chainAfter, "hyperj_chain_best_block", "")).isGreaterThan(block0);
            assertThat(value(chainAfter, "hyperj_chain_blocks_imported_total", ""))
                    .isGreaterThan(imported0);
            assertThat(value(chainAfter, "hyperj_rpc_request_seconds_count", "method=\"network_getSubnetNodesInfo\""))
                    .isGreaterThan(0);
            assertThat(after).contains("hyperj_consensus_outcomes_total{action=");
            assertThat(value(after, "hyperj_gossip_messages_total", "outcome=\"delivered\""))
                    .isGreaterThan(0);
        }
    }

    private static Long topEpoch(WebDriver b) {
        List<WebElement> r = b.findElements(By.cssSelector("#epochs tr.epoch-row"));
        if (r.isEmpty()) return null;
        try {
            return Long.parseLong(r.get(0).getAttribute("data-epoch"));
        } catch (StaleElementReferenceException | NumberFormatException e) {
            return null; // re-rendered meanwhile
        }
    }
}
