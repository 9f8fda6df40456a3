// The page the password reset email links to: /reset-password#token=XXXX-XXXX-XXXX. The code sits in the
// fragment, which the browser never sends to a server; it is moved into the form and out of the address bar.
"use strict";

const form = document.getElementById("reset-form");
const message = document.getElementById("message");
const tokenInput = document.getElementById("token");

function show(text, kind) {
  message.textContent = text;
  message.className = "message " + kind;
  message.hidden = false;
}

const fromLink = new URLSearchParams(window.location.hash.slice(1)).get("token");
if (fromLink) {
  tokenInput.value = fromLink;
  history.replaceState(null, "", window.location.pathname);
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const password = document.getElementById("new-password").value;
  if (password !== document.getElementById("confirm-password").value) {
    show("The two passwords are not the same.", "error");
    return;
  }
  let answer;
  try {
    const response = await fetch("api/auth/reset-password", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ token: tokenInput.value, new_password: password }),
    });
    answer = await response.json();
  } catch (error) {
    show("The server could not be reached. Check your connection and try again.", "error");
    return;
  }
  if (answer.success) {
    form.hidden = true;
    show("Your password was changed. Sign in with it in the app; you were signed out everywhere else.", "done");
  } else {
    show(answer.error.message, "error");
  }
});
