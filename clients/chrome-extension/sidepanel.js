// The side panel draws the try-on the service worker keeps in chrome.storage.session ("run"), and sends
// it the avatar photo and "Add to wardrobe".
const $ = (id) => document.getElementById(id);

const STAGES = [
  ["queued", "Waiting for a free slot"],
  ["fetching_garment", "Reading the product"],
  ["preparing_images", "Preparing the photos"],
  ["building_body", "Completing your figure"],
  ["generating", "Dressing you"],
  ["saving", "Saving the picture"],
];

const WAITING = { reading: "Reading the page…", "saving-avatar": "Saving your photo…" };

async function ask(type, fields = {}) {
  const answer = await chrome.runtime.sendMessage({ type, ...fields });
  if (!answer.ok) throw answer.error;
  return answer.data;
}

function drawStages(current, finished) {
  const reached = STAGES.findIndex(([stage]) => stage === current);
  $("stages").replaceChildren(
    ...STAGES.map(([, words], i) => {
      const item = document.createElement("li");
      item.textContent = words;
      item.className = finished || i < reached ? "done" : i === reached ? "current" : "";
      return item;
    }),
  );
}

function drawSize(size) {
  $("size").hidden = !size;
  if (!size) return;
  $("size-text").textContent = size.error
    ? `No size advice: ${size.error.message}`
    : `${size.name} (${Math.round(size.confidence * 100)}% sure). ${size.explanation}`;
}

function draw(run = {}) {
  const phase = run.phase;
  $("idle").hidden = Boolean(phase);
  $("page-title").textContent = run.title || "";
  $("avatar").hidden = phase !== "needs-avatar";
  $("progress").hidden = !["running", "done"].includes(phase);
  drawStages(run.stage, phase === "done");
  $("bar").style.width = `${run.progress || 0}%`;
  $("error").hidden = phase !== "failed";
  if (run.error) {
    $("error-message").textContent = run.error.message;
    $("error-code").textContent = run.error.code;
  }
  $("result").hidden = phase !== "done";
  if (phase === "done" && $("result-image").src !== run.resultUrl) $("result-image").src = run.resultUrl;
  $("add-to-wardrobe").disabled = Boolean(run.wardrobe);
  $("wardrobe-message").textContent = run.wardrobe ? `Added to your wardrobe: ${run.wardrobe.title || "the garment"}` : "";
  drawSize(run.size);
  if (phase in WAITING) $("page-title").textContent = WAITING[phase];
}

$("avatar-save").addEventListener("click", () => {
  const file = $("avatar-file").files[0];
  if (!file) return;
  const reader = new FileReader();
  reader.onload = () => ask("save-avatar", { dataUrl: reader.result });
  reader.readAsDataURL(file);
});

$("add-to-wardrobe").addEventListener("click", async () => {
  $("add-to-wardrobe").disabled = true;
  try {
    await ask("add-to-wardrobe");
  } catch (error) {
    $("wardrobe-message").textContent = `Not added: ${error.message} (${error.code})`;
    $("add-to-wardrobe").disabled = false;
  }
});

chrome.storage.session.onChanged.addListener((changes) => {
  if (changes.run) draw(changes.run.newValue);
});
chrome.storage.session.get("run").then(({ run }) => draw(run));
