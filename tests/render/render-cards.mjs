#!/usr/bin/env node
// Renders every Adaptive Card JSON file in a folder with the official JavaScript renderer (npm adaptivecards)
// in headless Chromium, using the Microsoft Teams host config, and reports what the renderer objects to.
//
//   node render-cards.mjs <cards-dir> <out-dir> [--max-version=1.5] [--width=460] [--chromium=/usr/bin/chromium]
//
// stdout: one JSON object per card, one per line (NDJSON):
//   {"name","file","png","version","errors":[{event,message,...}],"warnings":[{event,phase,message,source}]}
// Errors are problems of the harness's own checks (bad JSON, no version, render failure); warnings are every
// parse and validation event the renderer raised. Exit code: 0 when every card is clean, 1 when any card has an
// error or warning, 2 when the harness itself could not run (no Chromium, bad arguments).
import { mkdtemp, mkdir, readdir, readFile, rm } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const modules = path.join(here, "node_modules");
const rendererBundle = path.join(modules, "adaptivecards", "dist", "adaptivecards.min.js");
const rendererCss = path.join(modules, "adaptivecards", "dist", "adaptivecards.css");
// The Teams look ships with the designer package; it is read from there at run time, never copied.
const teamsHostConfig = path.join(modules, "adaptivecards-designer", "lib", "hostConfigs", "microsoft-teams-light.json");
const teamsCss = path.join(modules, "adaptivecards-designer", "dist", "containers", "teams-container-light.css");

// The flags that make Debian's Chromium start offline and quietly on this project's machines.
const chromiumFlags = [
  "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync",
];

function parseArgs(argv) {
  const positional = [];
  const options = { maxVersion: "1.5", width: 460, fullWidth: 720, chromium: "/usr/bin/chromium" };
  for (const arg of argv) {
    const m = /^--([a-z-]+)=(.*)$/.exec(arg);
    if (!m) { positional.push(arg); continue; }
    if (m[1] === "max-version") options.maxVersion = m[2];
    else if (m[1] === "width") options.width = Number(m[2]);
    else if (m[1] === "chromium") options.chromium = m[2];
    else throw new Error(`unknown option --${m[1]}`);
  }
  if (positional.length !== 2) throw new Error("usage: render-cards.mjs <cards-dir> <out-dir> [--max-version=1.5] [--width=460] [--chromium=PATH]");
  return { cardsDir: positional[0], outDir: positional[1], ...options };
}

// Runs inside the page: parse, validate and render one card; returns the renderer's findings.
function renderInPage({ json, hostConfig, maxVersion, width }) {
  const AC = window.AdaptiveCards;
  const host = document.getElementById("card");
  host.replaceChildren();
  host.style.width = `${width}px`;
  const describe = (source) => {
    if (!source) return undefined;
    // Card objects know their JSON type; other parts (refresh, authentication) only their schema key.
    const type = source.getJsonTypeName?.() ?? source.getSchemaKey?.() ?? source.constructor?.name;
    return source.id ? `${type}#${source.id}` : type;
  };
  const toFinding = (e) => ({
    event: AC.ValidationEvent[e.event] ?? String(e.event),
    phase: AC.ValidationPhase[e.phase] ?? String(e.phase),
    message: e.message,
    source: describe(e.source),
  });

  const context = new AC.SerializationContext(AC.Version.parse(json.version, new AC.SerializationContext()));
  const card = new AC.AdaptiveCard();
  card.hostConfig = new AC.HostConfig(hostConfig);
  card.parse(json, context);
  card.maxVersion = AC.Version.parse(maxVersion, new AC.SerializationContext());
  const warnings = [
    ...context.eventCount ? Array.from({ length: context.eventCount }, (_, i) => toFinding(context.getEventAt(i))) : [],
    ...card.validateProperties().validationEvents.map(toFinding),
  ];
  const errors = [];
  const rendered = card.render();
  if (!rendered) errors.push({ event: "RenderFailed", message: "the renderer produced no element" });
  else host.appendChild(rendered);
  return { warnings, errors };
}

async function main() {
  let args;
  try { args = parseArgs(process.argv.slice(2)); } catch (e) { console.error(e.message); return 2; }
  for (const file of [rendererBundle, teamsHostConfig, teamsCss, args.chromium]) {
    if (!existsSync(file)) { console.error(`render-cards: missing ${file} (run scripts/setup-test-deps.sh)`); return 2; }
  }
  const cardFiles = (await readdir(args.cardsDir)).filter((f) => f.endsWith(".json")).sort();
  await mkdir(args.outDir, { recursive: true });
  const hostConfig = JSON.parse(await readFile(teamsHostConfig, "utf8"));

  const { chromium } = await import("playwright-core");
  const profile = await mkdtemp(path.join(tmpdir(), "render-cards-profile-"));
  let failed = false;
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: args.chromium, headless: true, args: chromiumFlags, viewport: { width: 1000, height: 800 },
    deviceScaleFactor: 1,
  });
  try {
    const page = context.pages()[0] ?? await context.newPage();
    // Nothing leaves the machine: only about:, data:, file: and loopback requests pass.
    const blocked = [];
    await context.route("**/*", (route) => {
      const url = new URL(route.request().url());
      const local = ["about:", "data:", "file:", "blob:"].includes(url.protocol)
        || ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
      if (local) return route.continue();
      blocked.push(url.href);
      return route.abort("blockedbyclient");
    });
    const pageErrors = [];
    page.on("pageerror", (e) => pageErrors.push(e.message));

    await page.setContent(`<!doctype html><html><head><meta charset="utf-8"></head>
      <body style="margin:0;background:#F5F5F5"><div class="teams-inner-frame" style="display:inline-block;padding:16px;min-width:0">
      <div id="card" class="teams-card"></div></div></body></html>`);
    await page.addStyleTag({ path: rendererCss });
    await page.addStyleTag({ path: teamsCss });
    await page.addScriptTag({ path: rendererBundle });

    for (const file of cardFiles) {
      const name = path.basename(file, ".json");
      const report = { name, file, png: null, version: null, errors: [], warnings: [] };
      blocked.length = 0;
      pageErrors.length = 0;
      let json;
      try {
        json = JSON.parse(await readFile(path.join(args.cardsDir, file), "utf8"));
      } catch (e) {
        report.errors.push({ event: "InvalidJson", message: e.message });
      }
      if (json !== undefined) {
        if (json?.type !== "AdaptiveCard") report.errors.push({ event: "MissingCardType", message: `type is ${JSON.stringify(json?.type)}, expected "AdaptiveCard"` });
        // The renderer quietly assumes the latest version when none is given; Teams needs one.
        if (typeof json?.version !== "string" || json.version === "") {
          report.errors.push({ event: "MissingVersion", message: "the card has no version" });
        } else {
          report.version = json.version;
          const width = json.msteams?.width === "Full" ? args.fullWidth : args.width;
          const found = await page.evaluate(renderInPage, { json, hostConfig, maxVersion: args.maxVersion, width });
          report.warnings.push(...found.warnings);
          report.errors.push(...found.errors);
          // Screenshot only once fonts and images (data: URIs, or blocked ones that failed) have settled.
          await page.evaluate(() => document.fonts.ready);
          await page.waitForFunction(() => Array.from(document.images).every((img) => img.complete));
          const png = path.join(args.outDir, `${name}.png`);
          await page.locator("#card").screenshot({ path: png, animations: "disabled" });
          report.png = png;
        }
      }
      for (const url of blocked) report.warnings.push({ event: "BlockedRequest", message: `the card loads ${url}; cards must not depend on external resources here` });
      for (const message of pageErrors) report.errors.push({ event: "PageError", message });
      if (report.errors.length || report.warnings.length) failed = true;
      process.stdout.write(JSON.stringify(report) + "\n");
    }
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
  return failed ? 1 : 0;
}

main().then((code) => { process.exitCode = code; }, (e) => { console.error(`render-cards: ${e.stack ?? e}`); process.exitCode = 2; });
