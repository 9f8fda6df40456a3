// The Because Future API client the service worker holds: the server's address and the session live in
// chrome.storage.local (so they survive browser restarts), every error becomes an ApiError whose message a
// shopper can read, and an expired access token is refreshed once, however many calls noticed it.

export const DEFAULT_BASE_URL = "http://localhost:8000";
const DEVICE = "Chrome extension";
const POLL_INTERVAL_MS = 1000;

export class ApiError extends Error {
  constructor(code, message, status = 0) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

export async function baseUrl() {
  const { baseUrl } = await chrome.storage.local.get("baseUrl");
  return baseUrl || DEFAULT_BASE_URL;
}

export async function setBaseUrl(value) {
  const url = new URL(value); // throws on anything that is not a URL
  if (!["http:", "https:"].includes(url.protocol)) {
    throw new ApiError("INVALID_URL", "The server address must start with http:// or https://");
  }
  const clean = url.origin + url.pathname.replace(/\/+$/, "");
  await chrome.storage.local.set({ baseUrl: clean });
  return clean;
}

export async function currentSession() {
  const { session } = await chrome.storage.local.get("session");
  return session || null;
}

async function keepSession(answer, user) {
  // refresh_token is absent on servers older than sessions; the access token then simply expires.
  const session = { token: answer.token, refreshToken: answer.refresh_token || null, user: answer.user || user };
  await chrome.storage.local.set({ session });
  return session;
}

async function forgetSession() {
  await chrome.storage.local.remove("session");
}

export function signedOut() {
  return new ApiError(
    "SIGNED_OUT",
    "You are signed out. Click the Because Future button in the toolbar and sign in again.",
    401,
  );
}

async function send(path, { method = "GET", json, headers = {}, token } = {}) {
  const base = await baseUrl();
  const init = { method, headers: { ...headers } };
  if (json !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(json);
  }
  if (token) init.headers.Authorization = `Bearer ${token}`;
  try {
    return await fetch(base + path, init);
  } catch {
    throw new ApiError(
      "SERVER_UNREACHABLE",
      `Cannot reach the Because Future server at ${base}. Is it running? ` +
        "Its address is under Settings in the extension's popup.",
    );
  }
}

async function readAnswer(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    // not JSON: a proxy's error page, or a server that is not ours
  }
  if (body && body.success === true) return body.data;
  if (body && body.error) throw new ApiError(body.error.code, body.error.message, response.status);
  throw new ApiError("BAD_ANSWER", `The server answered ${response.status} in a form this extension cannot read.`);
}

let refreshing = null; // the refresh in flight: every call that meets an expired token waits for this one

async function refreshSession(usedToken) {
  const session = await currentSession();
  if (!session) return false;
  if (session.token !== usedToken) return true; // another call refreshed it meanwhile
  if (!session.refreshToken) return false;
  refreshing ??= (async () => {
    try {
      const response = await send("/api/auth/refresh", {
        method: "POST",
        json: { refresh_token: session.refreshToken },
      });
      if (!response.ok) return false; // used, revoked or expired: the session is over
      await keepSession(await readAnswer(response), session.user);
      return true;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/** fetch() with the caller's access token; a 401 refreshes the session once and retries, else signs out. */
async function authorizedFetch(path, options = {}) {
  const session = await currentSession();
  if (!session) throw signedOut();
  let response = await send(path, { ...options, token: session.token });
  if (response.status !== 401) return response;
  if (await refreshSession(session.token)) {
    response = await send(path, { ...options, token: (await currentSession()).token });
    if (response.status !== 401) return response;
  }
  await forgetSession();
  throw signedOut();
}

/** An authenticated call: the `data` of the JSON envelope, or an ApiError with the server's code and message. */
export async function call(path, options = {}) {
  return readAnswer(await authorizedFetch(path, options));
}

export async function signIn(email, password) {
  const answer = await readAnswer(await send("/api/login", { method: "POST", json: { email, password, device: DEVICE } }));
  return keepSession(answer);
}

export async function createAccount(email, password, firstName) {
  const json = { email, password, device: DEVICE, ...(firstName ? { first_name: firstName } : {}) };
  const answer = await readAnswer(await send("/api/create-account", { method: "POST", json }));
  return keepSession(answer);
}

/** Ends the session on the server when it can be reached; the extension forgets it either way. */
export async function signOut() {
  const session = await currentSession();
  await forgetSession();
  if (!session) return;
  try {
    await send("/api/auth/logout", { method: "POST", token: session.token });
  } catch {
    // unreachable: the access token expires on its own; the refresh token is gone from this browser
  }
}

export async function hasAvatar() {
  try {
    await call("/api/get-avatar");
    return true;
  } catch (error) {
    if (error.code === "AVATAR_NOT_FOUND") return false;
    throw error;
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Follows a try-on job until it ends: {status, result_url} or {status, error}; onUpdate gets
 * {stage, progress} on the way. Reads the job's event stream; polls the job when the server has no
 * stream or the stream breaks before the end.
 */
export async function followJob(jobId, onUpdate) {
  try {
    const ended = await streamJob(jobId, onUpdate);
    if (ended) return ended;
  } catch (error) {
    if (error.code === "SIGNED_OUT") throw error;
  }
  for (;;) {
    const job = await call(`/api/job/${jobId}`);
    await onUpdate(job);
    if (job.status === "done" || job.status === "failed") return job;
    await sleep(POLL_INTERVAL_MS);
  }
}

/** Reads GET /api/job/<id>/events (Server-Sent Events through fetch: EventSource cannot send a token):
 * the data of the `done` (with result_url) or `failed` (with error) event, or null when there is no stream
 * or it ended early. */
async function streamJob(jobId, onUpdate) {
  const response = await authorizedFetch(`/api/job/${jobId}/events`, { headers: { Accept: "text/event-stream" } });
  if (!response.ok || !(response.headers.get("Content-Type") || "").startsWith("text/event-stream")) return null;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return null;
    buffer += value.replace(/\r\n?/g, "\n");
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const event = parseEvent(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
      if (!event.data) continue;
      await onUpdate(event.data);
      if (event.type === "done" || event.type === "failed") {
        reader.cancel();
        return event.data;
      }
    }
  }
}

function parseEvent(block) {
  const event = { type: "message", data: null };
  const data = [];
  for (const line of block.split("\n")) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue; // blank, or a comment (": keep-alive")
    const field = line.slice(0, colon);
    const value = line.slice(colon + 1).replace(/^ /, "");
    if (field === "event") event.type = value;
    if (field === "data") data.push(value);
  }
  if (data.length) event.data = JSON.parse(data.join("\n"));
  return event;
}
