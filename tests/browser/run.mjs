// End-to-end checks of built briefing sites in headless Debian Chromium (playwright-core),
// with axe-core for accessibility and the Nu Html Checker (vnu-jar, on the machine's Java).
// Driven by tests/browser.rs; usable alone:
//   node tests/browser/run.mjs --site public [--site other] [--shots DIR] [--serve BIN ROOT]
// Each site is served on 127.0.0.1 by a tiny static server in this script. Exit code 0 when all
// checks pass; every failure is printed as "FAIL: ...".
import { chromium } from "playwright-core";
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { spawn } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const sites = [];
let shots = null;
let serveBin = null, serveRoot = null;
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--site") sites.push(path.resolve(args[++i]));
  else if (args[i] === "--shots") shots = path.resolve(args[++i]);
  // `briefing serve` on the site at ROOT (site.toml, content/a.txt): live reload in the browser.
  else if (args[i] === "--serve") { serveBin = path.resolve(args[++i]); serveRoot = path.resolve(args[++i]); }
  else { console.error(`unknown argument ${args[i]}`); process.exit(2); }
}
if (sites.length === 0) { console.error("usage: run.mjs --site DIR [--site DIR] [--shots DIR]"); process.exit(2); }

const failures = [];
const fail = (msg) => { failures.push(msg); console.log(`FAIL: ${msg}`); };
const ok = (msg) => console.log(`ok: ${msg}`);
const t0 = Date.now();

// ---- a tiny static server ---------------------------------------------------------------
const TYPES = { ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8", ".json": "application/json", ".xml": "application/xml",
  ".txt": "text/plain; charset=utf-8", ".png": "image/png", ".svg": "image/svg+xml" };
function serve(root) {
  return new Promise((resolve) => {
    const server = http.createServer((req, res) => {
      let p = decodeURIComponent(new URL(req.url, "http://x").pathname);
      if (p.endsWith("/")) p += "index.html";
      const file = path.join(root, p);
      if (!file.startsWith(root) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
        res.writeHead(404, { "content-type": TYPES[".html"] });
        res.end(fs.existsSync(path.join(root, "404.html")) ? fs.readFileSync(path.join(root, "404.html")) : "not found");
        return;
      }
      res.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream" });
      res.end(fs.readFileSync(file));
    });
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}

// ---- helpers ------------------------------------------------------------------------------
const AXE = require.resolve("axe-core/axe.min.js");
async function axe(page, what) {
  await page.addScriptTag({ path: AXE });
  const res = await page.evaluate(async () =>
    await window.axe.run(document, { resultTypes: ["violations"] }));
  const bad = res.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  for (const v of bad) {
    const nodes = v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ");
    fail(`axe ${v.impact} on ${what}: ${v.id} (${v.help}) at ${nodes}`);
  }
  if (bad.length === 0) ok(`axe: no serious or critical violation on ${what} (${res.violations.length} minor)`);
}

async function shot(page, name) {
  if (!shots) return;
  fs.mkdirSync(shots, { recursive: true });
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    // The whole page, down to 3000 px.
    const h = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.screenshot({ path: path.join(shots, `${name}-${width}.png`), fullPage: true,
      clip: { x: 0, y: 0, width, height: Math.min(h, 3000) } });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

// ---- the checks of one site ---------------------------------------------------------------
async function checkSite(browser, root, label) {
  const server = await serve(root);
  const base = `http://127.0.0.1:${server.address().port}/`;
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on("console", (m) => { if (m.type() === "error") fail(`[${label}] console error on ${page.url()}: ${m.text()}`); });
  page.on("pageerror", (e) => fail(`[${label}] script error on ${page.url()}: ${e.message}`));
  // A request the browser itself cancels because the test navigated on (net::ERR_ABORTED, e.g. the
  // favicon) is not a broken resource; a missing one answers 404 and fails below.
  page.on("requestfailed", (r) => {
    const why = r.failure()?.errorText || "";
    if (why !== "net::ERR_ABORTED") fail(`[${label}] request failed: ${r.url()} ${why}`);
  });
  page.on("response", (r) => { if (r.status() >= 400) fail(`[${label}] HTTP ${r.status()} for ${r.url()}`); });
  try {
    // 1. The briefing.
    await page.goto(base + "index.html");
    const h1 = await page.textContent("h1");
    if (!h1 || !h1.trim()) fail(`[${label}] index has no h1`);
    const counts = await page.locator("ul.stats li").count();
    if (counts < 5) fail(`[${label}] index shows ${counts} counts at the top`);
    await axe(page, `${label} index`);
    await shot(page, `${label}-index`);

    // Keyboard: the first Tab reaches the skip link, and focus is visible.
    await page.keyboard.press("Tab");
    const focus = await page.evaluate(() => {
      const e = document.activeElement;
      const s = getComputedStyle(e);
      return { cls: e.className, outline: s.outlineStyle, width: parseFloat(s.outlineWidth) };
    });
    if (focus.cls !== "skip" || focus.outline === "none" || focus.width < 2)
      fail(`[${label}] first Tab: focus on "${focus.cls}" with outline ${focus.outline} ${focus.width}px`);
    else ok(`[${label}] keyboard: skip link first, visible focus`);

    // 2. Follow a disputed claim (else any claim) to its claim page.
    let link = page.locator("#disputed .dispute-claim a").first();
    let kind = "disputed";
    if (await link.count() === 0) { link = page.locator("#established ol.claims a").first(); kind = "corroborated"; }
    if (await link.count() === 0) { link = page.locator("main a[href*='claims/'][href$='index.html']:not([href$='claims/index.html'])").first(); kind = "any"; }
    const claimText = (await link.textContent()).trim();
    await Promise.all([page.waitForURL(/claims\/[^/]+\/index\.html$/), link.click()]);
    const claimH1 = (await page.textContent("h1")).trim();
    if (claimH1 !== claimText) fail(`[${label}] claim page h1 "${claimH1}" is not the ${kind} claim "${claimText}"`);
    else ok(`[${label}] index -> ${kind} claim page`);
    const claimUrl = page.url();
    const ld = await page.evaluate(() => {
      const s = document.querySelector('script[type="application/ld+json"]');
      try { return JSON.parse(s.textContent); } catch (e) { return null; }
    });
    if (!ld || ld["@type"] !== "ClaimReview" || ld.claimReviewed !== claimH1 || !ld.reviewRating?.alternateName)
      fail(`[${label}] claim page JSON-LD is not a ClaimReview of the claim`);
    else ok(`[${label}] ClaimReview JSON-LD parses and names the claim`);
    await axe(page, `${label} claim page`);
    await shot(page, `${label}-claim`);

    // 3. Follow a mention to its sentence: in view and highlighted by :target.
    const mention = page.locator("a.to-sentence").first();
    await Promise.all([page.waitForURL(/articles\/[^/]+\/index\.html#s\d+$/), mention.click()]);
    const hash = new URL(page.url()).hash.slice(1);
    await page.waitForTimeout(100);
    const seen = await page.evaluate((id) => {
      const e = document.getElementById(id);
      if (!e) return null;
      const r = e.getBoundingClientRect();
      const s = getComputedStyle(e);
      return { target: e.matches(":target"), top: r.top, bottom: r.bottom, h: window.innerHeight,
        outline: s.outlineStyle, bg: s.backgroundColor };
    }, hash);
    if (!seen) fail(`[${label}] no element #${hash} in the article`);
    else if (!seen.target || seen.outline === "none") fail(`[${label}] sentence #${hash} is not highlighted (${JSON.stringify(seen)})`);
    else if (seen.bottom < 0 || seen.top > seen.h) fail(`[${label}] sentence #${hash} is out of view (${JSON.stringify(seen)})`);
    else ok(`[${label}] claim -> sentence #${hash}: in view and highlighted`);
    await axe(page, `${label} article`);
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, `${label}-article`);

    // 4. Search for a word of the claim and reach a result.
    await page.goto(claimUrl);
    await Promise.all([page.waitForURL(/search\/index\.html/), page.click("nav[aria-label=Site] a[href$='search/index.html']")]);
    const word = (claimText.match(/[A-Za-z]{5,}/g) || ["the"]).sort((a, b) => b.length - a.length)[0];
    await page.fill("#search-q", word.slice(0, 6));
    await page.waitForSelector("#search-results li a", { timeout: 5000 });
    const n = await page.locator("#search-results li").count();
    const first = page.locator("#search-results li a").first();
    const href = await first.getAttribute("href");
    await Promise.all([page.waitForURL((u) => !u.pathname.endsWith("search/index.html")), first.click()]);
    const landed = new URL(page.url());
    if (!/\/(claims|articles)\/[^/]+\/index\.html$/.test(landed.pathname)) fail(`[${label}] search result ${href} led to ${landed}`);
    else ok(`[${label}] search "${word.slice(0, 6)}": ${n} results, first reached (${landed.pathname}${landed.hash})`);

    // 4b. From file:// too: the search page loads its index and finds the same word.
    await page.goto("file://" + path.join(root, "search", "index.html") + "?q=" + encodeURIComponent(word.slice(0, 6)));
    await page.waitForSelector("#search-results li a", { timeout: 5000 });
    const fileHref = await page.locator("#search-results li a").first().evaluate((a) => a.href);
    if (!fileHref.startsWith("file://")) fail(`[${label}] file:// search result points to ${fileHref}`);
    else ok(`[${label}] search works from file://`);

    // 5. The sources page, in light and dark.
    await page.goto(base + "sources/index.html");
    await axe(page, `${label} sources page`);
    await page.emulateMedia({ colorScheme: "dark" });
    await page.goto(base + "index.html");
    await axe(page, `${label} index (dark)`);
    await page.goto(claimUrl);
    await axe(page, `${label} claim page (dark)`);
    if (shots) await page.screenshot({ path: path.join(shots, `${label}-index-dark-1280.png`) });
    await page.emulateMedia({ colorScheme: "light" });
    await page.goto(base + "sources/index.html");
    await shot(page, `${label}-sources`);

    // 6. No horizontal scrolling of the page itself at 360 px.
    await page.setViewportSize({ width: 360, height: 800 });
    let wide = 0;
    for (const p of ["index.html", claimUrl.slice(base.length), "sources/index.html"]) {
      await page.goto(base + p);
      const over = await page.evaluate(() => {
        const d = document.documentElement;
        // The outermost element sticking out, for the message.
        const culprit = [...document.querySelectorAll("main *")].find((e) => e.getBoundingClientRect().right > d.clientWidth + 1 && !e.closest(".matrix-wrap, .table-wrap"));
        return { over: d.scrollWidth - d.clientWidth, culprit: culprit ? culprit.tagName + "." + culprit.className : "" };
      });
      if (over.over > 1) { wide++; fail(`[${label}] ${p} scrolls sideways by ${over.over}px at 360px (${over.culprit})`); }
    }
    if (wide === 0) ok(`[${label}] readable at 360px without sideways scrolling`);
  } catch (e) {
    fail(`[${label}] ${e.stack || e}`);
  } finally {
    await context.close();
    server.close();
  }
}

// ---- briefing serve: an open page reloads into the edited site ----------------------------
// Starts `briefing serve` on ROOT, opens the article page of content/a.txt, edits the article
// (the sentence containing "three weeks" becomes "five weeks"), and waits for the page to reload
// by itself and show the edit; then follows a link to the claims list, which must show it too.
// A broken front matter must show the overlay on the open page, and a good save clear it.
async function checkServe(browser, bin, root) {
  const label = "serve";
  const child = spawn(bin, ["serve", "--config", path.join(root, "site.toml"), "--port", "0"],
    { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stderr.on("data", (d) => { log += d; });
  const base = await new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${out}${log}`)), 60000);
    child.stdout.on("data", (d) => {
      out += d;
      log += d;
      const m = out.match(/at (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on("exit", (c) => reject(new Error(`serve exited with ${c}:\n${out}${log}`)));
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on("pageerror", (e) => fail(`[${label}] script error on ${page.url()}: ${e.message}`));
  page.on("console", (m) => { if (m.type() === "error") fail(`[${label}] console error on ${page.url()}: ${m.text()}`); });
  const article = path.join(root, "content", "a.txt");
  const original = fs.readFileSync(article, "utf8");
  try {
    await page.goto(base + "articles/a/");
    if (!(await page.textContent("main")).includes("three weeks")) fail(`[${label}] the article page does not show its text`);
    // The page's script has opened its event stream once the server answered `ready`.
    await page.waitForTimeout(300);
    const loads = [];
    page.on("load", () => loads.push(Date.now()));
    const t = Date.now();
    fs.writeFileSync(article, original.replace("three weeks", "five weeks"));
    await page.waitForFunction(() => document.querySelector("main")?.textContent.includes("five weeks"), null, { timeout: 20000 });
    ok(`[${label}] the open article page reloaded by itself with the edit in ${Date.now() - t} ms (${loads.length} load)`);
    // The page's script named its page, so the server rendered it first.
    await page.waitForTimeout(200);
    if (!log.includes("(1 open page first)")) fail(`[${label}] the open page was not rendered first:\n${log}`);
    else ok(`[${label}] the server rendered the open page first`);
    await page.click("a[href$='claims/index.html']");
    const list = await page.textContent("main");
    if (!list.includes("five weeks") || list.includes("three weeks")) fail(`[${label}] the claims list does not show the edit`);
    else ok(`[${label}] a link followed after the reload shows the edited claims list`);
    // A broken front matter: the overlay, on the open page; the good save clears it.
    await page.goto(base + "articles/a/");
    await page.waitForTimeout(300);
    fs.writeFileSync(article, "+++\ntitle = \"unclosed\n+++\nBody.\n");
    await page.waitForSelector("#briefing-overlay", { timeout: 20000 });
    const overlay = await page.textContent("#briefing-overlay");
    if (!overlay.includes("a.txt")) fail(`[${label}] the overlay does not name the file: ${overlay}`);
    else ok(`[${label}] a broken front matter shows the overlay naming the file`);
    if (!(await page.textContent("main")).includes("five weeks")) fail(`[${label}] the last good page is gone under the overlay`);
    fs.writeFileSync(article, original);
    await page.waitForFunction(() => !document.getElementById("briefing-overlay") && document.querySelector("main")?.textContent.includes("three weeks"), null, { timeout: 20000 });
    ok(`[${label}] the next good save clears the overlay and reloads`);
  } catch (e) {
    fail(`[${label}] ${e.stack || e}\n${log}`);
  } finally {
    fs.writeFileSync(article, original);
    await context.close();
    child.kill("SIGTERM");
  }
}

// ---- vnu (runs in parallel with the browser) ---------------------------------------------
function startVnu() {
  const jar = require.resolve("vnu-jar/build/dist/vnu.jar");
  return new Promise((resolve) => {
    const child = spawn("java", ["-Xss4m", "-jar", jar, "--errors-only", "--format", "json", "--skip-non-html", "--also-check-css", ...sites]);
    let out = "";
    child.stdout.on("data", (d) => { out += d; });
    child.stderr.on("data", (d) => { out += d; });
    child.on("error", (e) => resolve({ error: e }));
    child.on("close", () => resolve({ out }));
  });
}
function reportVnu(r) {
  if (r.error) { fail(`vnu did not run: ${r.error.message}`); return; }
  let msgs = [];
  try { msgs = JSON.parse(r.out || "{\"messages\":[]}").messages; }
  catch (e) { fail(`vnu output is not JSON: ${r.out.slice(0, 500)}`); return; }
  const errors = msgs.filter((m) => m.type === "error" || m.subType === "fatal");
  for (const m of errors.slice(0, 30)) fail(`vnu: ${m.url?.replace("file:", "")}:${m.lastLine}: ${m.message}`);
  const pages = sites.reduce((n, s) => n + countHtml(s), 0);
  if (errors.length === 0) ok(`vnu: 0 errors in ${pages} HTML pages (+ CSS)`);
  else fail(`vnu: ${errors.length} errors`);
}
function countHtml(dir) {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) n += countHtml(path.join(dir, e.name));
    else if (e.name.endsWith(".html")) n++;
  }
  return n;
}

// ---- main ---------------------------------------------------------------------------------
const vnuRun = startVnu();
// playwright's launch() starts Chromium with a fresh, empty user-data-dir of its own.
const browser = await chromium.launch({
  executablePath: process.env.BRIEFING_CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
});
try {
  for (let i = 0; i < sites.length; i++) await checkSite(browser, sites[i], path.basename(sites[i]) || `site${i}`);
  if (serveBin) await checkServe(browser, serveBin, serveRoot);
} finally {
  await browser.close();
}
reportVnu(await vnuRun);
console.log(`browser checks: ${failures.length === 0 ? "all passed" : failures.length + " failed"} in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
process.exit(failures.length === 0 ? 0 : 1);
