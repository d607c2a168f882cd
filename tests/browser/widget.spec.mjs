#!/usr/bin/env node
/*
 * Browser test of the web chat widget: Debian's Chromium (from apt) driven by playwright-core.
 *
 *   node tests/browser/widget.spec.mjs <base-url> <screenshot-dir>
 *
 * Against the real stack: a full conversation (description typed, every question answered by a
 * button), keyboard-only use, axe-core (WCAG 2.0/2.1/2.2 A and AA) with zero violations, reload
 * keeps the conversation, copy and download of the summary, reflow at 320 px and 200 % text,
 * and the unreachable backend (requests aborted) still showing 999. Exits 0 only if every check passes.
 */
import { readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { chromium } from "playwright-core";
import { checkRendering } from "./rendering.mjs";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const DESCRIPTION = "I'm worried a 14 year old keeps going missing and comes back with new phones and cash";
const OWN_WORDS = "new phones and cash";
const MAX_QUESTIONS = 14;

const [baseUrl, screenshotDir] = process.argv.slice(2);
if (!baseUrl || !screenshotDir) {
  console.error("usage: node tests/browser/widget.spec.mjs <base-url> <screenshot-dir>");
  process.exit(2);
}

const failures = [];
function check(condition, message) {
  console.log(`${condition ? "ok  " : "FAIL"}  ${message}`);
  if (!condition) failures.push(message);
}

async function axeViolations(page, label) {
  await page.evaluate(AXE_SOURCE); // evaluated through the DevTools protocol, so the page's CSP stays on
  const result = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags } }), AXE_TAGS);
  for (const v of result.violations) {
    console.log(`  axe ${label}: ${v.id} (${v.impact}): ${v.help}`);
    for (const node of v.nodes) console.log(`      ${node.target.join(" ")}: ${node.failureSummary.replace(/\n/g, " ")}`);
  }
  console.log(`  axe ${label}: ${result.passes.length} rules passed, ${result.violations.length} violated, ${result.incomplete.length} need review`);
  return result.violations.length;
}

function watchErrors(page, errors) {
  page.on("pageerror", (error) => errors.push(`page error: ${error.message}`));
  page.on("console", (msg) => {
    if (/Content Security Policy/i.test(msg.text())) errors.push(`CSP: ${msg.text()}`);
  });
}

const waitForReply = (page) =>
  page.waitForFunction(() => document.querySelector(".hips-log")?.getAttribute("aria-busy") === "false", null, { timeout: 90_000 });

/** The button a cautious practitioner with nothing more to add would press: "No", else the first. */
async function preferredChoice(page) {
  const titles = await page.$$eval(".hips-choice:not([disabled])", (bs) => bs.map((b) => b.textContent.trim()));
  const index = titles.findIndex((t) => t.toLowerCase() === "no");
  return { titles, index: index === -1 ? 0 : index };
}

const activeElement = (page) => page.evaluate(() => {
  const a = document.activeElement;
  const style = getComputedStyle(a);
  return { tag: a.tagName, id: a.id, text: a.textContent.trim(), isChoice: a.classList.contains("hips-choice"),
    outline: `${style.outlineStyle} ${style.outlineWidth}` };
});

async function tabUntil(page, predicate, key = "Tab", limit = 60) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press(key);
    if (predicate(await activeElement(page))) return true;
  }
  return false;
}

async function hasRecommendation(page) {
  return (await page.locator(".hips-recommendation").count()) > 0;
}

async function conversation(page, shots) {
  await page.goto(baseUrl + "/");
  await page.waitForSelector(".hips-log");
  check((await page.locator("[data-hips-emergency]").innerText()).includes("999"), "the emergency banner shows 999");
  check((await axeViolations(page, "start page")) === 0, "axe: no WCAG 2.2 AA violations on the start page");
  await page.screenshot({ path: shots("01-start.png") });

  // Keyboard only: Tab to the input, type, Enter.
  check(await tabUntil(page, (a) => a.tag === "INPUT"), "Tab reaches the message box");
  check((await activeElement(page)).outline === "solid 3px", "the message box shows a 3px focus outline");
  await page.keyboard.type(DESCRIPTION);
  await page.keyboard.press("Enter");
  await waitForReply(page);
  check((await page.locator(".hips-you").first().innerText()).includes(OWN_WORDS), "the typed description appears in the log");
  check((await page.locator(".hips-choice:not([disabled])").count()) > 0, "the bot asks a question with answer buttons");
  await page.locator(".hips-choice:not([disabled])").first().scrollIntoViewIfNeeded();
  await page.screenshot({ path: shots("02-question.png") });
  check((await axeViolations(page, "question with buttons")) === 0, "axe: no violations with a question on screen");

  // Keyboard only: Shift+Tab back to the answer buttons, then Space.
  let choice = await preferredChoice(page);
  check(await tabUntil(page, (a) => a.isChoice, "Shift+Tab"), "Shift+Tab reaches the answer buttons");
  const focused = await activeElement(page);
  check(focused.outline === "solid 3px", "an answer button shows a 3px focus outline");
  const firstTitle = choice.titles[0];
  await tabUntil(page, (a) => a.isChoice && a.text === firstTitle, "Shift+Tab", choice.titles.length + 1);
  for (let i = 0; i < choice.index; i++) await page.keyboard.press("Tab");
  await page.keyboard.press("Space");
  await waitForReply(page);
  let answered = 1;

  // The next question's first button has the focus: answer it with Tab and Enter.
  if (!(await hasRecommendation(page))) {
    const now = await activeElement(page);
    check(now.isChoice, "after answering, focus moves to the next question's first button");
    choice = await preferredChoice(page);
    for (let i = 0; i < choice.index; i++) await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await waitForReply(page);
    answered++;
  }

  // The rest by clicking buttons only.
  while (!(await hasRecommendation(page)) && answered < MAX_QUESTIONS) {
    choice = await preferredChoice(page);
    if (!choice.titles.length) break;
    await page.locator(".hips-choice:not([disabled])").nth(choice.index).click();
    await waitForReply(page);
    answered++;
  }
  console.log(`  answered ${answered} questions with buttons`);
  check(await hasRecommendation(page), "a recommendation card appears after answering every question with buttons");
  if (!(await hasRecommendation(page))) return null;

  const rec = page.locator(".hips-recommendation").last();
  check((await rec.locator(".hips-rec-title").innerText()).startsWith("Suggested route:"), "the recommendation has a route headline");
  check((await rec.innerText()).includes("What to do next"), "the recommendation lists next steps");
  const plainTexts = await page.locator(".hips-bot > p").allInnerTexts();
  check(!plainTexts.some((t) => t.startsWith("What to do next:")), "the plain-text copy of the recommendation is not shown twice");
  const link = rec.locator(".hips-card a[target=_blank]").first();
  check((await link.count()) === 1, "the recommendation cites guidance with a source link");
  if (await link.count()) {
    check(/^https?:\/\//.test(await link.getAttribute("href")), "the source link is a web address");
    check((await link.getAttribute("rel")).includes("noopener"), "the source link opens with rel=noopener");
    check((await rec.locator(".hips-card").first().innerText()).includes("Next review by"), "the guidance card shows its review date");
  }
  check((await axeViolations(page, "recommendation")) === 0, "axe: no violations with the recommendation on screen");
  // The log scrolls inside a fixed height; let it grow for a picture of the whole card.
  await page.evaluate(() => { document.querySelector(".hips-log").style.maxHeight = "none"; });
  await rec.screenshot({ path: shots("03-recommendation.png") });
  await page.evaluate(() => { document.querySelector(".hips-log").style.maxHeight = ""; });
  return rec;
}

async function summaryActions(page, rec) {
  await rec.getByRole("button", { name: "Copy summary" }).click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  const [download] = await Promise.all([page.waitForEvent("download"),
    rec.getByRole("button", { name: "Download summary (.txt)" }).click()]);
  const downloaded = readFileSync(await download.path(), "utf8");
  check(download.suggestedFilename().endsWith(".txt"), "the summary downloads as a .txt file");
  for (const [name, text] of [["copied", copied], ["downloaded", downloaded]]) {
    check(text.includes("Suggested route:") && text.includes("What to do next:"), `${name} summary has the route and next steps`);
    check(text.includes("Guidance sources:") && /https?:\/\//.test(text), `${name} summary lists guidance sources`);
    check(text.includes("professional judgement") && text.includes("Your decision and the reasons"),
      `${name} summary has the judgement note and a line for the decision`);
    check(!text.includes(OWN_WORDS), `${name} summary leaves out the practitioner's own words`);
  }
}

async function reloadKeepsConversation(page) {
  const before = await page.locator(".hips-msg").count();
  const session = await page.evaluate(() => sessionStorage.getItem("hips-chat:session"));
  await page.reload();
  await page.waitForSelector(".hips-log .hips-msg");
  check((await page.locator(".hips-msg").count()) === before, `the conversation survives a reload (${before} messages)`);
  check(await hasRecommendation(page), "the recommendation is still there after a reload");
  check((await page.evaluate(() => sessionStorage.getItem("hips-chat:session"))) === session, "the signed session id is kept");
}

async function reflow(page) {
  await page.setViewportSize({ width: 320, height: 640 });
  const overflow320 = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow320 <= 1, `no horizontal scrolling at 320 CSS px (overflow ${overflow320}px)`);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.evaluate(() => { document.documentElement.style.fontSize = "200%"; });
  const overflow200 = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow200 <= 1, `text at 200% does not overflow sideways (overflow ${overflow200}px)`);
  check(await page.locator(".hips-form input").isVisible(), "the message box is still there at 200% text");
  await page.evaluate(() => { document.documentElement.style.fontSize = ""; });
}

async function unreachable(page, label, expectMash, screenshot) {
  await page.route("**/api/v1/chat", (route) => route.abort("internetdisconnected"));
  await page.locator(".hips-form input").fill("is anyone there");
  await page.locator(".hips-form input").press("Enter");
  await waitForReply(page);
  const notice = page.locator(".hips-unreachable").last();
  const text = (await notice.count()) ? await notice.innerText() : "";
  check(text.includes("cannot be reached") && text.includes("999"), `${label}: the widget says the assistant cannot be reached, with 999`);
  if (expectMash) check(text.includes("MASH") && /\d{4} ?\d{3}/.test(text), `${label}: the last known MASH lines are shown`);
  check((await page.locator("[data-hips-emergency]").innerText()).includes("999"), `${label}: the banner still shows 999`);
  if (screenshot) await page.screenshot({ path: screenshot });
  await page.unroute("**/api/v1/chat");
}

async function main() {
  await mkdir(screenshotDir, { recursive: true });
  const shots = (name) => path.join(screenshotDir, name);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const errors = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseUrl });
    const page = await context.newPage();
    watchErrors(page, errors);
    const rec = await conversation(page, shots);
    if (rec) {
      await summaryActions(page, rec);
      await reloadKeepsConversation(page);
    }
    await reflow(page);
    await unreachable(page, "after a conversation", true);

    // A partner page with only the script tag, and the backend gone from the start.
    const offline = await context.newPage();
    watchErrors(offline, errors);
    await offline.route("**/widget/emergency.json", (route) => route.abort("internetdisconnected"));
    await offline.goto(baseUrl + "/embed-example");
    await offline.waitForSelector(".hips-chat .hips-log");
    check((await offline.locator("[data-hips-emergency]").innerText()).includes("999"), "embedded widget: its own banner shows 999");
    check((await axeViolations(offline, "embedded widget")) === 0, "axe: no violations in the embedded widget");
    await unreachable(offline, "embedded widget, backend down", false, shots("04-unreachable.png"));

    await checkRendering(await context.newPage(), baseUrl, check, axeViolations);
  } finally {
    await browser.close();
  }
  for (const error of errors) check(false, error);
  console.log(failures.length ? `\n${failures.length} check(s) failed` : "\nall browser checks passed");
  process.exit(failures.length ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
