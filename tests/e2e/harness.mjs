// Starts the real bot process and the Microsoft 365 Agents Playground on free loopback ports, opens the
// playground in headless Chromium (every non-localhost request blocked), and stops all of it again.
import { spawn } from "node:child_process";
import { mkdtemp, mkdir, rm } from "node:fs/promises";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, "..", "..");

/** Bounded waits: long enough for a loaded 2-core machine, short enough to fail a hung run. */
export const STEP_TIMEOUT = 30_000;
const START_TIMEOUT = 120_000;

const chromiumFlags = [
  "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync",
];

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Resolves with the first match of `pattern` in the child's output; rejects if it exits first or time runs out. */
function waitForOutput(child, pattern, what, timeout = START_TIMEOUT) {
  return new Promise((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => finish(new Error(`${what}: no ${pattern} within ${timeout} ms. Output:\n${seen.slice(-3000)}`)), timeout);
    const onData = (chunk) => {
      seen += chunk.toString();
      const match = pattern.exec(seen);
      if (match) finish(null, match);
    };
    const onExit = (code) => finish(new Error(`${what} exited (${code}) before ${pattern}. Output:\n${seen.slice(-3000)}`));
    function finish(error, match) {
      clearTimeout(timer);
      child.stdout.off("data", onData);
      child.stderr.off("data", onData);
      child.off("exit", onExit);
      if (error) reject(error); else resolve(match);
    }
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", onExit);
  });
}

async function stopProcess(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

/** The bot's built assembly: PASTDUEBOT_BOT_DLL, else the newest build of bot/Host. */
function botDll() {
  if (process.env.PASTDUEBOT_BOT_DLL) return process.env.PASTDUEBOT_BOT_DLL;
  for (const config of ["Release", "Debug"]) {
    const candidate = path.join(repoRoot, "bot", "Host", "bin", config, "net10.0", "PastDueBot.dll");
    if (existsSync(candidate)) return candidate;
  }
  throw new Error("No built bot: run `dotnet build bot/Host` or set PASTDUEBOT_BOT_DLL.");
}

export async function startAll() {
  const work = await mkdtemp(path.join(tmpdir(), "pastduebot-e2e-"));
  const children = [];
  const env = {
    ...process.env,
    // Anonymous mode (the playground sends no token), a fresh SQLite file, quiet framework logs.
    MicrosoftAppId: "", MicrosoftAppPassword: "", MicrosoftAppTenantId: "",
    Storage__Provider: "Sqlite",
    Storage__Sqlite__Path: path.join(work, "pastduebot.db"),
    // Scan billing every 2 s (default 15 min), so an alert follows the first settle within the test's patience.
    Alerts__ScanInterval: "00:00:02",
    // Save waits up to 10 s (default 2.5 s, still under Teams' 15 s) for the demo charge, so a loaded CI machine
    // takes the same path as a quick one; the slow path has its own tests (Conversation/SettleDeliveryTests).
    Settle__PaymentWait: "00:00:10",
    Logging__LogLevel__Default: "Warning",
    // The bot's own lines (payments, alerts) stay in bot.log for a failure's artifacts.
    Logging__LogLevel__PastDueBot: "Information",
    "Logging__LogLevel__Microsoft.Hosting.Lifetime": "Information",
    // Every request the playground sends and every connector call the bot makes, so a missing reply can be traced.
    "Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics": "Information",
    "Logging__LogLevel__PastDueBot.Protocol.Connector": "Debug",
    DOTNET_NOLOGO: "1",
  };
  const botLog = [];
  const playgroundLog = [];
  try {
    const bot = spawn("dotnet", [botDll(), "--urls", "http://127.0.0.1:0"], { cwd: work, env, stdio: ["ignore", "pipe", "pipe"] });
    children.push(bot);
    bot.stdout.on("data", (c) => botLog.push(c.toString()));
    bot.stderr.on("data", (c) => botLog.push(c.toString()));
    const [, botUrl] = await waitForOutput(bot, /Now listening on: (http:\/\/127\.0\.0\.1:\d+)/, "the bot");

    const playgroundBin = path.join(repoRoot, "scripts", "playground", "node_modules", ".bin", "agentsplayground");
    if (!existsSync(playgroundBin)) throw new Error("The playground is not installed: run scripts/setup-test-deps.sh.");
    const playground = spawn(playgroundBin, [
      "start", "--disable-telemetry", "-e", `${botUrl}/api/messages`, "-c", "msteams", "-p", String(await freePort()),
    ], {
      cwd: work,
      env: { ...process.env, TEAMSAPPTESTER_BROWSER: "none", APPLICATION_INSIGHTS_NO_STATSBEAT: "true" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(playground);
    playground.stdout.on("data", (c) => playgroundLog.push(c.toString()));
    playground.stderr.on("data", (c) => playgroundLog.push(c.toString()));
    // It takes another port when the one asked for is busy, and says which.
    const [, port] = await waitForOutput(playground, /Listening on (\d+)/, "the playground");
    const playgroundUrl = `http://localhost:${port}`;
    const ping = await fetch(`${playgroundUrl}/_debug/ping`).then((r) => r.text());
    if (ping.trim() !== "pong") throw new Error(`The playground answered ${ping} to /_debug/ping`);

    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      args: chromiumFlags, // Playwright gives every launch its own empty profile.
    });
    const blocked = [];
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US" });
    await context.route("**/*", (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === "localhost" || url.hostname === "127.0.0.1") return route.continue();
      blocked.push(url.origin);
      return route.abort();
    });
    return {
      botUrl, playgroundUrl, browser, context, blocked, botLog, playgroundLog, pageErrors: [], work, failed: false,
      async stop() {
        await browser.close().catch(() => {});
        for (const child of children.reverse()) await stopProcess(child);
        await rm(work, { recursive: true, force: true });
      },
    };
  } catch (error) {
    for (const child of children.reverse()) await stopProcess(child);
    await rm(work, { recursive: true, force: true });
    throw error;
  }
}

/** A new tab on the playground, waiting until it has connected to the bot. */
export async function openPlayground(env) {
  const page = await env.context.newPage();
  // The playground's own errors (its page scripts), kept for a failure's report.
  page.on("console", (message) => { if (message.type() === "error") env.pageErrors.push(`${new Date().toISOString().slice(11, 23)} console: ${message.text()}`); });
  page.on("pageerror", (error) => env.pageErrors.push(`${new Date().toISOString().slice(11, 23)} page: ${error.message}`));
  await page.goto(env.playgroundUrl);
  await page.getByText("Connected.", { exact: true }).first().waitFor({ timeout: START_TIMEOUT });
  return page;
}

/**
 * Runs a scenario in the run's one playground tab (opened by the first scenario). One tab, as one Teams client:
 * a tab holds only the channel posts it has received, and when the bot updates a post the tab does not hold (the
 * alert card, once paid), the playground's page fails, restarts its message stream and loses what arrives meanwhile.
 * When a scenario fails, the page goes to tests/e2e/artifacts/<name>.png (ignored by git) so the failure can be seen.
 */
export async function inTab(env, name, scenario) {
  env.page ??= await openPlayground(env);
  const page = env.page;
  const errorsBefore = env.pageErrors.length;
  try {
    await scenario(page);
    // A run that passed by luck despite such a failure is not a pass.
    const sagaError = env.pageErrors.slice(errorsBefore).find((line) => line.includes("Saga error"));
    if (sagaError) throw new Error(`The playground's page failed during the test, so replies may have been lost: ${sagaError.split("\n")[0]}`);
  } catch (error) {
    env.failed = true;
    const dir = path.join(here, "artifacts");
    await mkdir(dir, { recursive: true });
    await page.screenshot({ path: path.join(dir, `${name}.png`) }).catch(() => {});
    throw error;
  }
}

/** Types into the chat box and sends, as a person would. */
export async function say(page, text) {
  const box = page.locator('[data-lexical-editor="true"]').last();
  await box.click();
  await page.keyboard.type(text);
  await page.keyboard.press("Enter");
}

/** Types "@" and a name into the focused compose box and picks the bot from the mention menu, as in Teams. */
export async function mention(page, name) {
  await page.keyboard.type(`@${name.split(" ")[0]}`);
  await page.getByRole("listbox", { name: "Typeahead menu" }).getByRole("menuitem", { name }).click({ timeout: STEP_TIMEOUT });
}

/** The newest visible element with this text. */
export async function seen(page, text, timeout = STEP_TIMEOUT) {
  const locator = page.getByText(text, { exact: typeof text === "string" }).last();
  await locator.waitFor({ state: "visible", timeout });
  return locator;
}

/**
 * Waits until this text shows at least `times` times: the newest copy of a card that the chat already holds (a new
 * round's "how to pay"), so that a click goes to its buttons and not to the older card's.
 */
export async function seenTimes(page, text, times, timeout = STEP_TIMEOUT) {
  const locator = page.getByText(text, { exact: typeof text === "string" }).nth(times - 1);
  await locator.waitFor({ state: "visible", timeout });
  return locator;
}

/** Clicks the newest button of that name (the newest card is last in the chat). */
export async function click(page, name) {
  await page.getByRole("button", { name, exact: true }).last().click({ timeout: STEP_TIMEOUT });
}

/** Picks an option of the newest Input.ChoiceSet with that label (compact: a combobox; expanded: radio buttons). */
export async function choose(page, label, option) {
  const combobox = page.getByRole("combobox", { name: label }).last();
  if (await combobox.count() > 0) {
    await combobox.click({ timeout: STEP_TIMEOUT });
    await page.getByRole("option", { name: option }).first().click({ timeout: STEP_TIMEOUT });
    return;
  }
  await page.getByRole("radio", { name: option }).last().check({ timeout: STEP_TIMEOUT });
}

export async function fill(page, label, value) {
  await page.getByRole("textbox", { name: label }).last().fill(value, { timeout: STEP_TIMEOUT });
}

/** With PASTDUEBOT_GALLERY=1 the page goes into docs/gallery/playground/<name>.png for the README. */
export async function shoot(page, name) {
  if (process.env.PASTDUEBOT_GALLERY !== "1") return;
  const dir = path.join(repoRoot, "docs", "gallery", "playground");
  await mkdir(dir, { recursive: true });
  // Let the chat settle on the newest message before the picture (a DOM condition: no running animations).
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== "running"), null, { timeout: STEP_TIMEOUT }).catch(() => {});
  await page.screenshot({ path: path.join(dir, `${name}.png`) });
}

/**
 * The bot's JSON log lines as "time level category: message", for a failure's report: CI shows a failed run's
 * output, not the artifacts folder.
 */
export function condensedBotLog(lines, last = 80) {
  const out = [];
  for (const line of lines.join("").split("\n")) {
    if (!line.trim()) continue;
    try {
      const entry = JSON.parse(line);
      const conversation = (entry.Scopes ?? []).find((scope) => scope?.ConversationId)?.ConversationId;
      const category = entry.Category.split(".").slice(-2).join(".");
      const where = conversation ? ` [${conversation.slice(0, 12)}]` : "";
      out.push(`${entry.Timestamp.slice(11, 23)} ${entry.LogLevel.slice(0, 4)} ${category}${where}: ${entry.Message}${entry.Exception ? ` | ${entry.Exception.split("\n")[0]}` : ""}`);
    } catch {
      out.push(line);
    }
  }
  return out.slice(-last).join("\n");
}
