package tributary.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in Debian's Chromium, headless at 1400×1000, driven by Selenium through Debian's
 * chromium-driver (Selenium Manager cannot download drivers here, so both paths are given). Waits
 * are explicit conditions; each test saves a screenshot of its view under target/screenshots/.
 */
public final class ConsoleBrowser implements AutoCloseable {
  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  public static final Path SCREENSHOTS = Path.of("target", "screenshots");

  public final ChromeDriver driver;
  private final String base;

  public ConsoleBrowser(String base) {
    for (Path p : List.of(CHROMIUM, CHROMEDRIVER)) {
      if (!Files.isExecutable(p)) {
        throw new IllegalStateException(p + " is missing: apt-get install -y chromium chromium-driver (.ci/run does)");
      }
    }
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
        .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1400,1000");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    this.driver = new ChromeDriver(service, options);
    this.base = base;
  }

  /** Opens the console and waits for its login form. */
  public void open() {
    driver.get(base);
    await("the login form", d -> d.findElement(By.id("token")).isDisplayed());
  }

  /** Forgets the session's token and loads the page again: the login form shows. */
  public void logOut() {
    driver.get(base);
    boolean in = await("the page settled: logged in or out",
        d -> d.findElement(By.id("nav")).isDisplayed() || d.findElement(By.id("token")).isDisplayed())
        && driver.findElement(By.id("nav")).isDisplayed();
    if (in) {
      driver.findElement(By.id("logout")).click();
    }
    open();
  }

  /** Logs in with the token and waits until the overview shows. */
  public void login(String token) {
    open();
    type(By.id("token"), token);
    driver.findElement(By.cssSelector("#login button[type=submit]")).click();
    await("logged in: the navigation shows", d -> d.findElement(By.id("nav")).isDisplayed());
  }

  /** Goes to a view by its link in the navigation. */
  public void view(String id) {
    driver.findElement(By.cssSelector("#nav a[data-view='" + id + "']")).click();
    await("the " + id + " view", d -> d.findElement(By.id("view-" + id)).isDisplayed());
  }

  public void type(By field, String text) {
    WebElement input = driver.findElement(field);
    input.clear();
    input.sendKeys(text);
  }

  public WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  public List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  public Object script(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(js, args);
  }

  /** Waits until the condition holds (Selenium's explicit wait, polling every 50 ms), at most 20 s. */
  public <T> T await(String what, ExpectedCondition<T> condition) {
    return await(what, Duration.ofSeconds(20), condition);
  }

  public <T> T await(String what, Duration timeout, ExpectedCondition<T> condition) {
    // a view re-renders its rows as data arrives: an element read just before is looked up again
    return new WebDriverWait(driver, timeout, Duration.ofMillis(50)).withMessage(what)
        .ignoring(StaleElementReferenceException.class).until(condition);
  }

  /** Saves what the browser shows as target/screenshots/{name}.png. */
  public Path screenshot(String name) throws IOException {
    Files.createDirectories(SCREENSHOTS);
    File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
    Path target = SCREENSHOTS.resolve(name + ".png");
    Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    return target;
  }

  @Override
  public void close() {
    driver.quit();
  }

  /** For conditions that read the page. */
  public WebDriver webDriver() {
    return driver;
  }
}
