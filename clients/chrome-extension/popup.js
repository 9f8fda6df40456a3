// The popup: sign in, create an account, sign out, the server's address, and "Try it on" for this tab.
const $ = (id) => document.getElementById(id);
let creating = false;
let tab = null; // the tab whose toolbar button opened this popup (activeTab is granted for it)

async function ask(type, fields = {}) {
  const answer = await chrome.runtime.sendMessage({ type, ...fields });
  if (!answer.ok) throw answer.error;
  return answer.data;
}

function say(text, kind = "info") {
  $("message").textContent = text;
  $("message").className = kind;
}

function show({ user, baseUrl }) {
  $("signed-out").hidden = Boolean(user);
  $("signed-in").hidden = !user;
  $("who").textContent = user ? user.email : "";
  $("base-url").value = baseUrl;
}

function chooseMode(create) {
  creating = create;
  $("tab-sign-in").classList.toggle("selected", !create);
  $("tab-create").classList.toggle("selected", create);
  $("first-name-label").hidden = !create;
  $("password").autocomplete = create ? "new-password" : "current-password";
  $("auth-submit").textContent = create ? "Create account" : "Sign in";
}

async function act(work, done) {
  say("");
  try {
    show(await work());
    if (done) say(done);
  } catch (error) {
    say(`${error.message} (${error.code})`, "error");
  }
}

$("tab-sign-in").addEventListener("click", () => chooseMode(false));
$("tab-create").addEventListener("click", () => chooseMode(true));

$("auth-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const fields = { email: $("email").value, password: $("password").value, firstName: $("first-name").value };
  act(() => ask(creating ? "create-account" : "sign-in", fields));
});

$("sign-out").addEventListener("click", () => act(() => ask("sign-out"), "Signed out."));

$("settings-form").addEventListener("submit", (event) => {
  event.preventDefault();
  act(() => ask("set-base-url", { baseUrl: $("base-url").value }), "Saved.");
});

$("try-on").addEventListener("click", async () => {
  // Opening the side panel needs the click's user gesture, so it comes before anything awaited.
  const opened = chrome.sidePanel.open({ windowId: tab.windowId }).catch(() => null);
  await ask("try-on", { tabId: tab.id });
  await opened;
  window.close();
});

(async () => {
  [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  show(await ask("status"));
})();
