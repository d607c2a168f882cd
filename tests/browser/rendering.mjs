/*
 * Rendering checks with a canned answer shaped exactly like POST /api/v1/chat's response, for cases the
 * real content may not contain today: an unverified card, a review date in the past, markup in text.
 * The full conversation is tested against the real stack in widget.spec.mjs; this file tests rendering only.
 */

const UNVERIFIED_CARD = {
  id: "early-help-family-support", toolkit: "early_help", title: "Family support services",
  snippet: "What family support offers and how to ask for it.", source_title: "HIPS early help toolkit",
  source_url: "https://www.hipsprocedures.org.uk/early-help", last_reviewed: "2020-01-10", review_by: "2021-01-10",
  verified: false,
};

function guidanceText(card) {
  return `${card.title}\n${card.snippet}\nSource: ${card.source_title} (${card.source_url}). Reviewed ` +
    `${card.last_reviewed}, next review by ${card.review_by}. Not yet verified against the source.`;
}

const CANNED = {
  session_id: "rendering-test.0000",
  degraded: false,
  emergency: [{ label: "A child in immediate danger", phone: "999" }, { label: "Test area: MASH (professionals)", phone: "0100 000 0000" }],
  messages: [
    { text: "Here is what the toolkits say. <img src=x onerror=alert(1)>", buttons: [], custom: null },
    { text: guidanceText(UNVERIFIED_CARD), buttons: [], custom: null },
    { text: "", buttons: [], custom: { type: "guidance", items: [UNVERIFIED_CARD] } },
  ],
};

/**
 * Check how a guidance answer renders.
 * @param {import("playwright-core").Page} page a fresh page (own sessionStorage)
 * @param {string} baseUrl the service's base URL
 * @param {(ok: boolean, message: string) => void} check records one check
 * @param {(page: object, label: string) => Promise<number>} axeViolations runs axe, returns the count
 */
export async function checkRendering(page, baseUrl, check, axeViolations) {
  await page.route("**/api/v1/chat", (route) =>
    route.fulfill({ status: 200, contentType: "application/json", body: JSON.stringify(CANNED) }));
  await page.goto(baseUrl + "/embed-example");
  await page.locator(".hips-form input").fill("what does family support offer");
  await page.locator(".hips-form input").press("Enter");
  await page.waitForSelector(".hips-card");
  const card = page.locator(".hips-card").first();
  const text = await card.innerText();
  check(text.includes("Not yet verified against the source"), "rendering: an unverified card is marked as such");
  check(text.includes("Review overdue"), "rendering: a card past its review date says the review is overdue");
  check(text.includes("10 January 2020"), "rendering: review dates read as dates");
  const link = card.locator("a");
  check((await link.getAttribute("target")) === "_blank" && (await link.getAttribute("rel")).includes("noopener"),
    "rendering: the source link opens in a new tab with rel=noopener");
  const botTexts = await page.locator(".hips-bot > p").allInnerTexts();
  check(!botTexts.some((t) => t.includes("Source: HIPS early help toolkit (")), "rendering: the plain-text copy of a card is not shown twice");
  check(botTexts.some((t) => t.includes("<img src=x")) && (await page.locator(".hips-log img").count()) === 0,
    "rendering: markup in a message is shown as text, never run");
  check((await page.locator("[data-hips-emergency]").innerText()).includes("0100 000 0000"),
    "rendering: the banner takes the emergency lines from the response");
  check((await axeViolations(page, "guidance cards")) === 0, "axe: no violations with guidance cards on screen");
  await page.unroute("**/api/v1/chat");
}
