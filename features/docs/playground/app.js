// The try-on playground: every step is one call of the public API, made the way a client app makes it.
"use strict";

const TOKEN_KEY = "because-future.playground.token";
const REFRESH_KEY = "because-future.playground.refresh-token";
const POLL_INTERVAL_MS = 700;
const STAGES = ["queued", "starting", "fetching_garment", "preparing_images", "building_body", "generating", "saving",
  "done"];
// How a garment photo is layered on the person, by what the user says it is.
const GARMENT_TYPE_BY_CATEGORY = {
  t_shirts: "top", shirts: "top", sweaters: "top", jackets: "outerwear", coats: "outerwear",
  dresses: "one_piece", pants: "bottom", jeans: "bottom", shorts: "bottom", skirts: "bottom",
  leggings: "bottom", shoes: "shoes",
};
const MEASUREMENT_FIELDS = {
  "m-height": "height", "m-weight": "weight", "m-chest": "breast_circumference",
  "m-waist": "waist_circumference", "m-hips": "hip_circumference",
};

const $ = (id) => document.getElementById(id);

class ApiFailure extends Error {
  constructor(status, error) {
    super(error ? `${error.message} (${error.code})` : `The server answered ${status}`);
    this.status = status;
    this.code = error ? error.code : null;
  }
}

const api = {
  token: localStorage.getItem(TOKEN_KEY),
  refreshToken: localStorage.getItem(REFRESH_KEY),
  refreshing: null,

  // An access token that expired is traded for a new pair once (POST /api/auth/refresh) and the call sent again.
  async call(method, path, { json, form } = {}) {
    const body = json !== undefined ? JSON.stringify(json) : form;
    let answer = await this.send(method, path, body, json !== undefined);
    if (answer.status === 401 && answer.payload && answer.payload.error.code === "TOKEN_EXPIRED" && this.refreshToken) {
      await this.refresh();
      answer = await this.send(method, path, body, json !== undefined);
    }
    const { status, payload } = answer;
    if (status >= 400 || !payload || !payload.success) throw new ApiFailure(status, payload && payload.error);
    return payload.data;
  },

  async send(method, path, body, isJson) {
    const headers = {};
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    if (isJson) headers["Content-Type"] = "application/json";
    const response = await fetch(path, { method, headers, body });
    const jsonAnswer = (response.headers.get("Content-Type") || "").startsWith("application/json");
    return { status: response.status, payload: jsonAnswer ? await response.json() : null };
  },

  // A refresh token works once, so calls that find the token expired at the same time share one refresh.
  refresh() {
    this.refreshing = this.refreshing || (async () => {
      const { status, payload } = await this.send("POST", "/api/auth/refresh",
        JSON.stringify({ refresh_token: this.refreshToken }), true);
      if (status !== 200) {
        this.keep(null);
        throw new ApiFailure(status, payload && payload.error);
      }
      this.keep(payload.data);
    })().finally(() => { this.refreshing = null; });
    return this.refreshing;
  },

  // The tokens of a sign-in or refresh (null: forget them).
  keep(tokens) {
    this.token = tokens ? tokens.token : null;
    this.refreshToken = tokens ? tokens.refresh_token : null;
    for (const [key, value] of [[TOKEN_KEY, this.token], [REFRESH_KEY, this.refreshToken]]) {
      if (value) localStorage.setItem(key, value); else localStorage.removeItem(key);
    }
  },
};

// --- messages --------------------------------------------------------------------------------------
function showMessage(text, kind = "error") {
  const box = $("message");
  box.textContent = text;
  box.className = `message ${kind}`;
  box.hidden = false;
}

function clearMessage() {
  $("message").hidden = true;
}

function guarded(action) {
  return async (event) => {
    if (event) event.preventDefault();
    clearMessage();
    try {
      await action(event);
    } catch (error) {
      showMessage(error.message);
    }
  };
}

// --- account ---------------------------------------------------------------------------------------
let authMode = "signup";

function setAuthMode(mode) {
  authMode = mode;
  $("tab-signup").classList.toggle("active", mode === "signup");
  $("tab-signin").classList.toggle("active", mode === "signin");
  document.querySelectorAll(".signup-only").forEach((element) => { element.hidden = mode !== "signup"; });
  $("auth-submit").textContent = mode === "signup" ? "Create account" : "Sign in";
  $("password").autocomplete = mode === "signup" ? "new-password" : "current-password";
}

async function submitAuth() {
  const body = { email: $("email").value.trim(), password: $("password").value };
  if (authMode === "signup") {
    body.confirm_password = body.password;
    if ($("first-name").value.trim()) body.first_name = $("first-name").value.trim();
    if ($("gender").value) body.gender = $("gender").value;
  }
  const data = await api.call("POST", authMode === "signup" ? "/api/create-account" : "/api/login", { json: body });
  api.keep(data);
  await enterStudio(data.user);
}

async function enterStudio(user) {
  $("whoami").textContent = `Signed in as ${user.email}`;
  $("whoami").hidden = false;
  $("sign-out").hidden = false;
  $("account").hidden = true;
  $("studio").hidden = false;
  await Promise.all([loadMeasurements(), user.has_avatar ? showSavedAvatar() : Promise.resolve()]);
}

// Ends the session on the server too, so its tokens stop working everywhere they were copied.
async function signOut() {
  try {
    await api.call("POST", "/api/auth/logout");
  } catch (error) {
    // Already signed out (an ended session, expired tokens): nothing left to end.
  }
  api.keep(null);
  window.location.reload();
}

async function restoreSession() {
  if (!api.token) return;
  try {
    await enterStudio(await api.call("GET", "/api/users/profile"));
  } catch (error) {
    api.keep(null);
  }
}

// --- the person --------------------------------------------------------------------------------------
let savedAvatarUrl = null;

function personSource() {
  return $("use-avatar").checked ? "avatar" : "selfie";
}

function showPerson(url, caption) {
  $("person-preview").src = url;
  $("person-preview").hidden = false;
  $("person-caption").textContent = caption;
}

async function showSavedAvatar() {
  const data = await api.call("GET", "/api/get-avatar");
  savedAvatarUrl = data.avatar_url;
  $("use-avatar").checked = true;
  updatePersonChoice();
}

function updatePersonChoice() {
  const selfie = $("selfie").files[0];
  $("selfie-box").classList.toggle("muted", personSource() === "avatar");
  $("save-avatar").disabled = !selfie;
  if (personSource() === "avatar") {
    if (savedAvatarUrl) showPerson(savedAvatarUrl, "Your saved avatar");
    else { $("person-preview").hidden = true; $("person-caption").textContent = "No avatar saved yet: upload a selfie and save it"; }
  } else if (selfie) {
    showPerson(URL.createObjectURL(selfie), selfie.name);
  } else {
    $("person-preview").hidden = true;
    $("person-caption").textContent = "No photo yet";
  }
}

async function saveAvatar() {
  const form = new FormData();
  form.append("avatar", $("selfie").files[0]);
  $("save-avatar").disabled = true;
  try {
    const data = await api.call("POST", "/api/save-avatar", { form });
    savedAvatarUrl = data.avatar_url;
    $("use-avatar").checked = true;
    updatePersonChoice();
    showMessage(data.background_removed ? "Avatar saved, background removed." : "Avatar saved (with its background).", "info");
  } finally {
    $("save-avatar").disabled = !$("selfie").files[0];
  }
}

// --- measurements ----------------------------------------------------------------------------------
async function loadMeasurements() {
  try {
    const data = await api.call("GET", "/api/body-measurements");
    for (const [input, field] of Object.entries(MEASUREMENT_FIELDS)) $(input).value = data[field] ?? "";
  } catch (error) {
    if (error.code !== "MEASUREMENTS_NOT_FOUND") throw error;
  }
}

async function saveMeasurements() {
  const body = {};
  for (const [input, field] of Object.entries(MEASUREMENT_FIELDS)) {
    if ($(input).value !== "") body[field] = Number($(input).value);
  }
  if (!Object.keys(body).length) throw new Error("Enter at least your height and weight.");
  await api.call("POST", "/api/body-measurements", { json: body });
  showMessage("Measurements saved.", "info");
}

// --- the try-on --------------------------------------------------------------------------------------
function productUrls() {
  return $("product-urls").value.split("\n").map((line) => line.trim()).filter(Boolean);
}

function tryOnRequest(urls, photo, selfie) {
  const garmentCount = urls.length + (photo ? 1 : 0);
  const form = new FormData();
  if (selfie) form.append("selfie", selfie);
  if (photo) form.append(garmentCount > 1 ? "garment_images" : "garment_image", photo);
  if (urls.length) form.append("item_urls", JSON.stringify(urls));
  const category = $("garment-category").value;
  if (photo && category) form.append("options", JSON.stringify({ garments: [{ type: GARMENT_TYPE_BY_CATEGORY[category] }] }));
  return { path: garmentCount > 1 ? "/api/tryon/multi" : "/api/tryon", form };
}

async function tryOn() {
  const urls = productUrls();
  const photo = $("garment-photo").files[0];
  const selfie = personSource() === "selfie" ? $("selfie").files[0] : null;
  if (!urls.length && !photo) throw new Error("Paste a product URL or choose a photo of the garment.");
  if (personSource() === "selfie" && !selfie) throw new Error("Choose a selfie, or use your saved avatar.");
  if (personSource() === "avatar" && !savedAvatarUrl) throw new Error("You have no saved avatar yet: upload a selfie and save it.");

  const button = $("try-on");
  button.disabled = true;
  $("result").hidden = true;
  $("sizes").hidden = true;
  try {
    const { path, form } = tryOnRequest(urls, photo, selfie);
    const accepted = await api.call("POST", path, { form });
    showProgress({ job_id: accepted.job_id, status: accepted.status, stage: "queued", progress: 0 });
    const garments = showGarments(urls, photo);
    showSizeAdvice(urls, photo ? $("garment-category").value : "");
    const job = await followJob(accepted.job_id);
    if (job.status === "failed") throw new Error(`The try-on failed: ${job.error.message} (${job.error.code})`);
    $("result-person").src = selfie ? URL.createObjectURL(selfie) : savedAvatarUrl;
    $("result-image").src = job.result_url;
    await garments;
    $("result").hidden = false;
    $("result").scrollIntoView({ behavior: "smooth", block: "start" });
  } finally {
    button.disabled = false;
  }
}

// Follows the job live through its event stream; if the stream cannot be opened or breaks, polling takes over.
// Either way the job is read once more at the end, with its timings.
async function followJob(jobId) {
  try {
    await streamJob(jobId);
  } catch (error) {
    // a broken stream: the polling below carries on from wherever the job is
  }
  return pollJob(jobId);
}

// Reads GET /api/job/<id>/events with fetch: EventSource cannot send the Authorization header. Returns once the
// final event (done or failed) has arrived, or when the stream ended or was refused before it.
async function streamJob(jobId) {
  const response = await fetch(`/api/job/${encodeURIComponent(jobId)}/events`, {
    headers: { Authorization: `Bearer ${api.token}`, Accept: "text/event-stream" },
  });
  if (!response.ok || !response.body) return;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffered += value.replace(/\r\n?/g, "\n");
    let end;
    while ((end = buffered.indexOf("\n\n")) >= 0) {
      const event = parseEvent(buffered.slice(0, end));
      buffered = buffered.slice(end + 2);
      if (!event) continue;
      showProgress(event.data);
      if (event.name === "done" || event.name === "failed") {
        await reader.cancel();
        return;
      }
    }
  }
}

// One Server-Sent Events frame: its event name and its JSON data; null for comments and retry hints.
function parseEvent(frame) {
  let name = "message";
  const data = [];
  for (const line of frame.split("\n")) {
    if (line.startsWith("event:")) name = line.slice(6).trim();
    else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
  }
  return data.length ? { name, data: JSON.parse(data.join("\n")) } : null;
}

async function pollJob(jobId) {
  for (;;) {
    const job = await api.call("GET", `/api/job/${encodeURIComponent(jobId)}`);
    showProgress(job);
    if (job.status === "done" || job.status === "failed") return job;
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}

function showProgress(job) {
  $("progress").hidden = false;
  $("job-id").textContent = `job ${job.job_id}`;
  $("progress-bar").style.width = `${job.progress}%`;
  $("progress-bar").classList.toggle("failed", job.status === "failed");
  const current = STAGES.indexOf(job.stage);
  document.querySelectorAll("#stages li").forEach((item) => {
    const index = STAGES.indexOf(item.dataset.stage);
    item.className = index < current || job.status === "done" ? "done"
      : index === current ? (job.status === "failed" ? "failed" : "current") : "";
  });
  const seconds = job.timings && job.timings.total_seconds;
  $("job-status").textContent = `${job.status} · ${job.progress}%` + (seconds ? ` · ${seconds.toFixed(1)} s` : "");
}

async function showGarments(urls, photo) {
  const box = $("result-garments");
  box.replaceChildren();
  if (photo) box.append(figure(URL.createObjectURL(photo), photo.name));
  const products = await Promise.all(urls.map((url) =>
    api.call("POST", "/api/garments/scrape", { json: { url } }).then((data) => data.product, () => null)));
  products.forEach((product, index) => {
    if (product && product.images.length) box.append(figure(product.images[0], productLabel(product)));
    else box.append(figure(null, urls[index]));
  });
}

function productLabel(product) {
  const price = product.price ? ` · ${product.price.toFixed(2)} ${product.currency || ""}` : "";
  return [product.brand, product.title].filter(Boolean).join(" — ") + price;
}

function figure(src, caption) {
  const element = document.createElement("figure");
  if (src) {
    const image = document.createElement("img");
    image.src = src;
    image.alt = caption;
    element.append(image);
  }
  const text = document.createElement("figcaption");
  text.textContent = caption;
  element.append(text);
  return element;
}

// --- size advice -------------------------------------------------------------------------------------
async function showSizeAdvice(urls, photoCategory) {
  const queries = urls.map((url) => ({ params: { url }, label: null }));
  if (photoCategory) {
    const kind = $("garment-category").selectedOptions[0].textContent;
    queries.push({ params: { category: photoCategory }, label: `${kind} (your photo)` });
  }
  if (!queries.length) return;
  const list = $("size-list");
  list.replaceChildren();
  $("sizes").hidden = false;
  await Promise.all(queries.map(async ({ params, label }) => {
    const card = document.createElement("div");
    card.className = "size-card";
    list.append(card);
    try {
      const advice = await api.call("GET", `/api/fitting/size-recommendation?${new URLSearchParams(params)}`);
      renderAdvice(card, advice, label);
    } catch (error) {
      card.classList.add("unavailable");
      card.textContent = error.code === "MEASUREMENTS_REQUIRED"
        ? "Save your measurements (height and weight are enough) to get a size."
        : `No size advice: ${error.message}`;
    }
  }));
}

function renderAdvice(card, advice, label) {
  const garment = advice.garment;
  const title = document.createElement("div");
  title.className = "size-title";
  title.textContent = label || [garment.brand, garment.title || garment.category].filter(Boolean).join(" — ");
  const chart = document.createElement("div");
  chart.className = "size-chart";
  chart.textContent = `Size chart: ${advice.chart.name}`;
  const size = document.createElement("div");
  size.className = "size-recommended";
  size.innerHTML = `<span class="size"></span><span class="confidence"></span>`;
  size.querySelector(".size").textContent = advice.recommended_size;
  size.querySelector(".confidence").textContent = `${Math.round(advice.confidence * 100)}% sure`;
  const explanation = document.createElement("p");
  explanation.textContent = advice.explanation;
  const alternatives = document.createElement("div");
  alternatives.className = "alternatives";
  for (const alternative of advice.alternatives) {
    const chip = document.createElement("span");
    chip.className = `chip ${alternative.available === false ? "sold-out" : ""}`;
    chip.textContent = `${alternative.size} · ${alternative.overall_verdict.replace("_", " ")}`
      + (alternative.available === false ? " · sold out" : "");
    alternatives.append(chip);
  }
  card.append(title, chart, size, explanation, alternatives);
}

// --- wiring ------------------------------------------------------------------------------------------
document.querySelectorAll(".tab").forEach((tab) => tab.addEventListener("click", () => setAuthMode(tab.dataset.mode)));
$("auth-form").addEventListener("submit", guarded(submitAuth));
$("sign-out").addEventListener("click", signOut);
$("selfie").addEventListener("change", () => { $("use-selfie").checked = true; updatePersonChoice(); });
$("use-selfie").addEventListener("change", updatePersonChoice);
$("use-avatar").addEventListener("change", updatePersonChoice);
$("save-avatar").addEventListener("click", guarded(saveAvatar));
$("garment-photo").addEventListener("change", () => {
  const photo = $("garment-photo").files[0];
  $("garment-preview").hidden = !photo;
  if (photo) $("garment-preview").src = URL.createObjectURL(photo);
});
$("measurements-form").addEventListener("submit", guarded(saveMeasurements));
$("try-on").addEventListener("click", guarded(tryOn));
setAuthMode("signup");
restoreSession();
