// End to end: the real bot process and the Microsoft 365 Agents Playground, driven in headless Chromium by
// typing and clicking cards as a person would. Run: `node --test` in tests/e2e (after scripts/setup-test-deps.sh
// and a build of bot/Host), or through the xunit test E2E/PlaygroundE2ETests.
//
// The tests share one bot, one playground tab and one demo ledger and run in order: the English flow pays the
// Business Premium balance, the channel test sees the alert for the Teams Phone balance that is left, and the
// Dutch flow pays that one.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { choose, click, condensedBotLog, fill, inTab, mention, say, seen, seenTimes, shoot, startAll } from "./harness.mjs";

let env;

before(async () => { env = await startAll(); });

after(async () => {
  const blocked = env ? [...new Set(env.blocked)] : [];
  if (env) {
    const { mkdir, writeFile } = await import("node:fs/promises");
    await mkdir(new URL("./artifacts/", import.meta.url), { recursive: true });
    await writeFile(new URL("./artifacts/bot.log", import.meta.url), env.botLog.join(""));
    await writeFile(new URL("./artifacts/playground.log", import.meta.url), env.playgroundLog.join(""));
    await writeFile(new URL("./artifacts/page-errors.log", import.meta.url), env.pageErrors.join("\n"));
    // The blocked CDN requests are expected (see below); the rest of the page's errors are the playground's own.
    const pageErrors = env.pageErrors.filter((line) => !/Failed to load (resource|worklet)/.test(line));
    if (env.failed) console.error(`The playground page's errors:\n${pageErrors.slice(-20).join("\n")}\nThe playground's output (tail):\n${env.playgroundLog.join("").slice(-1500)}\nThe bot's log, condensed:\n${condensedBotLog(env.botLog)}`);
  }
  await env?.stop();
  // The playground's page asks for web fonts and scripts on Microsoft CDNs: all of them stayed blocked.
  for (const origin of blocked) assert.ok(!/localhost|127\.0\.0\.1/.test(origin), `blocked a local request to ${origin}`);
});

const nextYear = String(new Date().getUTCFullYear() + 1);

test("English: welcome, choose a subscription, edit the expiry, save, receipt with the 48-hour guidance", () => inTab(env, "english", async (page) => {
  await seen(page, "Hi, I'm PastDueBot");
  await shoot(page, "1-welcome");

  await click(page, "Settle a balance");
  await seen(page, "Which subscription do you want to settle?");
  await choose(page, "Subscription", /^Microsoft 365 Business Premium/);
  await shoot(page, "2-choose-subscription");
  await click(page, "Continue");

  await seen(page, "How do you want to pay?");
  await click(page, "Edit expiry date");
  await seen(page, "New expiry date");
  await choose(page, "Month", /^11 /);
  await choose(page, "Year", nextYear);
  await shoot(page, "3-edit-expiry");
  await click(page, "Continue");

  await seen(page, "Review and pay");
  await seen(page, `11/${nextYear.slice(2)}`);
  await click(page, "Save");
  // The review card is updated in place (PUT through the playground's connector): no buttons left to click twice.
  await seen(page, "Saved. The payment has been submitted; the result follows below.");
  await seen(page, "Payment received", 60_000);
  await seen(page, /Wait at least 48 hours before contacting support\./);
  await shoot(page, "4-receipt");
}));

test("Channel: a past-due alert is posted, an @mention reaches the bot, settling is sent to the 1:1 chat", () => inTab(env, "channel", async (page) => {
  await page.getByText("General", { exact: true }).first().click();
  // Installing the bot in the team (the playground does on connect) subscribed General to alerts. The English
  // test's first "settle" opened the demo ledger; the scanner found the balance still past due and posted an
  // alert card as a new post in the channel (create conversation through the playground's connector).
  await seen(page, "Payment past due", 60_000);
  await seen(page, /A payment for Microsoft Teams Phone Standard did not go through/, 60_000);
  await shoot(page, "5-channel-alert");

  const post = page.getByRole("textbox").first();
  await post.click();
  await mention(page, "Test Bot");
  await page.keyboard.type(" help");
  await page.getByRole("button", { name: "Post", exact: true }).click();
  await seen(page, "What I can do");
  await seen(page, "In a channel I post alerts about past-due balances. Settling one happens in a 1:1 chat with me.");
  // No "Settle a balance" button in a team: card details stay out of channels.
  assert.equal(await page.getByRole("button", { name: "Settle a balance", exact: true }).count(), 0);
  await shoot(page, "6-channel-help");

  // Reply in the thread: "@PastDueBot settle" is recognised and pointed at the personal chat.
  const reply = page.locator('[data-lexical-editor="true"]').last();
  await reply.click();
  await mention(page, "Test Bot");
  await page.keyboard.type(" settle");
  await page.keyboard.press("Enter");
  await seen(page, /Settling a balance happens in a 1:1 chat with me/);

  // The alert's button is an Action.Execute: the playground sends the adaptiveCard/action invoke, the bot opens
  // the 1:1 chat and starts settling that subscription there.
  await page.getByRole("button", { name: "Settle balance", exact: true }).first().click();
  await page.getByText("Personal Chat", { exact: true }).first().click();
  // The English flow's card is the first; this one is the second.
  await seenTimes(page, "How do you want to pay?", 2, 60_000);
  await seen(page, "Microsoft Teams Phone Standard");
  // Leave that flow; the Dutch test settles this balance from its own start.
  await click(page, "Cancel");
  await seen(page, /^Okay, I've stopped/);
}));

test("Dutch: `taal nl`, confirm the remaining subscription, a declined new card, then another saved card", () => inTab(env, "dutch", async (page) => {
  // The alert in General still says who started settling it in the channel test.
  await page.getByText("General", { exact: true }).first().click();
  await seen(page, /is settling this balance/);
  await page.getByText("Personal Chat", { exact: true }).first().click();

  // The same tab, the same personal chat: the English test's cards are still there.
  await say(page, "taal nl");
  await seen(page, "Prima, vanaf nu spreek ik Nederlands met je.");

  await say(page, "vereffenen");
  // One balance is left after the English test: the bot asks to confirm it instead of offering a choice.
  await seen(page, "Dit abonnement heeft een openstaand saldo");
  await seen(page, "Microsoft Teams Phone Standard");
  await click(page, "Ja, vereffenen");

  await seen(page, "Hoe wil je betalen?");
  // Megan Bowen owns the card on file: no expiry edit for this admin.
  assert.equal(await page.getByRole("button", { name: "Vervaldatum wijzigen", exact: true }).count(), 0);
  await click(page, "Nieuwe kaart toevoegen");
  await seen(page, "Nieuwe kaart toevoegen");
  await fill(page, "Naam op de kaart", "Alex Wilber");
  await fill(page, "Kaartnummer", "4000 0000 0000 0002");
  await choose(page, "Vervalmaand", /^04 /);
  await choose(page, "Vervaljaar", nextYear);
  await fill(page, "Beveiligingscode", "123");
  await shoot(page, "7-nl-new-card");
  await click(page, "Verder");

  await seen(page, "Controleren en betalen");
  await click(page, "Opslaan");
  await seen(page, "De betaling is geweigerd", 60_000);
  // A new round starts at "how to pay" (a second card, whose buttons are the current ones); this time a saved card
  // of the admin's own.
  await seenTimes(page, "Hoe wil je betalen?", 2);
  await click(page, "Andere kaart gebruiken");
  await seen(page, "Betalen met een andere opgeslagen kaart");
  await choose(page, "Kaart", /4444/);
  await click(page, "Verder");
  await seenTimes(page, "Controleren en betalen", 2);
  await click(page, "Opslaan");
  await seen(page, "Betaling ontvangen", 60_000);
  await seen(page, /Wacht minstens 48 uur/);
  await shoot(page, "8-nl-receipt");

  // The alert in the channel was updated in place: settled, by whom (the channel speaks the team's language).
  await page.getByText("General", { exact: true }).first().click();
  await seen(page, "Balance settled");
  await seen(page, /^Settled by .+ on /);
  await page.getByText("Personal Chat", { exact: true }).first().click();

  // The card number typed into the card never comes back in anything the bot sent.
  const chat = await page.locator("body").innerText();
  assert.ok(!chat.includes("4000 0000 0000 0002") && !chat.includes("4000000000000002"), "the bot echoed the card number");
  await say(page, "language en");
  await seen(page, "Okay, I'll speak English with you from now on.");
}));
