// The service worker: the only part that talks to the API (api.js). The popup and the side panel send it
// messages; the try-on in progress is kept in chrome.storage.session ("run"), which the side panel draws.
import * as api from "./api.js";

const HANDLERS = {
  status: status,
  "sign-in": ({ email, password }) => api.signIn(email, password).then(status),
  "create-account": ({ email, password, firstName }) => api.createAccount(email, password, firstName).then(status),
  "sign-out": () => api.signOut().then(status),
  "set-base-url": ({ baseUrl }) => api.setBaseUrl(baseUrl).then(status),
  "try-on": ({ tabId }) => {
    tryOn(tabId); // runs on after the popup closed; the side panel follows it
    return Promise.resolve({ started: true });
  },
  "save-avatar": ({ dataUrl }) => saveAvatarAndTryOn(dataUrl),
  "add-to-wardrobe": addToWardrobe,
};

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  const handler = HANDLERS[message.type];
  if (!handler) return false;
  handler(message).then(
    (data) => sendResponse({ ok: true, data }),
    (error) => sendResponse({ ok: false, error: inWords(error) }),
  );
  return true; // the answer comes asynchronously
});

async function status() {
  const session = await api.currentSession();
  return { baseUrl: await api.baseUrl(), user: session ? session.user : null };
}

function inWords(error) {
  if (error instanceof api.ApiError) return { code: error.code, message: error.message };
  return { code: "EXTENSION_ERROR", message: String(error.message || error) };
}

let run = {}; // what the side panel shows; written through to chrome.storage.session

async function showRun(changes, { fresh = false } = {}) {
  if (!fresh && !run.started) run = (await chrome.storage.session.get("run")).run || {};
  run = fresh ? { started: Date.now(), ...changes } : { ...run, ...changes };
  await chrome.storage.session.set({ run });
}

async function fail(error) {
  await showRun({ phase: "failed", error: inWords(error) });
}

/** Reads the tab's page as the shopper sees it now (after its scripts ran). activeTab allows this for the
 * tab whose toolbar button was clicked, until it navigates elsewhere. */
async function readPage(tabId) {
  let results;
  try {
    results = await chrome.scripting.executeScript({
      target: { tabId },
      func: () => ({ url: location.href, title: document.title, html: document.documentElement.outerHTML }),
    });
  } catch {
    throw new api.ApiError(
      "PAGE_NOT_READABLE",
      "This page cannot be read: browser pages and the Chrome Web Store are closed to extensions. " +
        "Open the shop's product page and try again.",
    );
  }
  const page = results[0].result;
  if (!/^https?:/.test(page.url)) {
    throw new api.ApiError("PAGE_NOT_READABLE", "Only shop pages on the web (http or https) can be tried on.");
  }
  return page;
}

async function tryOn(tabId) {
  await showRun({ phase: "reading" }, { fresh: true });
  try {
    if (!(await api.currentSession())) throw api.signedOut();
    const page = await readPage(tabId);
    await chrome.storage.session.set({ page });
    await showRun({ url: page.url, title: page.title });
    const size = recommendSize(page); // needs no avatar: shown while the shopper picks a photo
    if (await api.hasAvatar()) await submit(page);
    else await showRun({ phase: "needs-avatar" });
    await size;
  } catch (error) {
    await fail(error);
  }
}

async function saveAvatarAndTryOn(dataUrl) {
  await showRun({ phase: "saving-avatar" });
  try {
    await api.call("/api/update-avatar", { method: "PUT", json: { avatar: dataUrl } });
    await submit((await chrome.storage.session.get("page")).page);
  } catch (error) {
    await fail(error);
  }
  return { saved: true };
}

/** POST /api/tryon with the page's URL and HTML on the saved avatar, then follows the job. */
async function submit(page) {
  await showRun({ phase: "running", stage: "queued", progress: 0 });
  const job = await api.call("/api/tryon", {
    method: "POST",
    json: { garment_url: page.url, html: page.html },
    headers: { "Idempotency-Key": crypto.randomUUID() }, // a retried request is not a second try-on
  });
  await showRun({ jobId: job.job_id });
  const ended = await api.followJob(job.job_id, ({ stage, progress }) => showRun({ stage, progress }));
  if (ended.status === "done") {
    await showRun({ phase: "done", progress: 100, resultUrl: ended.result_url });
  } else {
    const { code, message } = ended.error || { code: "FAILED", message: "The try-on did not finish." };
    await showRun({ phase: "failed", error: { code, message: `The try-on failed: ${message}` } });
  }
}

/** The size to buy for the same page (POST /api/fitting/check takes its HTML; the GET recommendation cannot). */
async function recommendSize(page) {
  try {
    const fit = await api.call("/api/fitting/check", { method: "POST", json: { url: page.url, html: page.html } });
    await showRun({
      size: { name: fit.recommended_size, confidence: fit.confidence, explanation: fit.explanation },
    });
  } catch (error) {
    await showRun({ size: { error: inWords(error) } });
  }
}

async function addToWardrobe() {
  const { page, run: shown } = await chrome.storage.session.get(["page", "run"]);
  const item = await api.call("/api/wardrobe/items", {
    method: "POST",
    json: { garment_url: page.url, html: page.html },
    headers: { "Idempotency-Key": `wardrobe-${shown.jobId}` }, // one item per try-on, however often clicked
  });
  await showRun({ wardrobe: { id: item.id, title: item.title } });
  return item;
}
