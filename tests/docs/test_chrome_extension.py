"""The Chrome extension (clients/chrome-extension) loaded unpacked into Debian's chromium, against a live server.

"Try it on" goes the way a shopper's click does: the toolbar button is pressed through the DevTools
protocol (Extensions.triggerAction), which grants activeTab for the product tab and opens the real popup;
the test clicks the popup's button, the service worker reads the tab through chrome.scripting, and the
real side panel opens. The shop's product only exists after the page's own script ran, so a try-on that
works proves the server got the page as the browser shows it. The shipped manifest is loaded unchanged.
Screenshots of the popup and the side panel go to the test's temp dir.
"""

import base64
import hashlib
import json
import socket
import time

import jwt
import pytest

from tests.docs.conftest import FIXTURES, ROOT
from tests.docs.product_shop import ProductPageHandler
from tests.fakes.loopback import LoopbackServer
from tests.helpers import sign_up

EXTENSION = ROOT / "clients" / "chrome-extension"
TRY_ON_TIMEOUT_MS = 90_000
PASSWORD = "correct horse 1"


def extension_id():
    """The id Chrome gives the extension: the first 32 hex digits of the SHA-256 of the manifest's public key
    (DER), each digit written as a letter a-p (README, "The Chrome extension")."""
    key = json.loads((EXTENSION / "manifest.json").read_text())["key"]
    digest = hashlib.sha256(base64.b64decode(key)).hexdigest()[:32]
    return "".join(chr(ord("a") + int(digit, 16)) for digit in digest)


EXTENSION_ORIGIN = f"chrome-extension://{extension_id()}"

RENDERED_PRODUCT = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Loading…</title></head>
<body><main id="app">Loading…</main>
<script>
  // The shop renders its product in the browser: the HTML it serves has no product in it.
  const product = {"@context": "https://schema.org", "@type": "Product", "name": "Tidewater Linen Shirt",
    "brand": {"@type": "Brand", "name": "Saltmarsh"}, "image": [location.origin + "/images/tidewater.jpg"],
    "description": "A loose linen shirt. Material: 100% linen.",
    "offers": {"@type": "Offer", "price": "49.00", "priceCurrency": "EUR",
      "availability": "https://schema.org/InStock"}};
  const data = document.createElement("script");
  data.type = "application/ld+json";
  data.textContent = JSON.stringify(product);
  document.head.append(data);
  document.title = "Tidewater Linen Shirt – Saltmarsh";
  document.getElementById("app").innerHTML = '<h1>Tidewater Linen Shirt</h1>'
    + '<img src="/images/tidewater.jpg" alt="Tidewater Linen Shirt">'
    + '<table class="size-guide"><caption>Body measurements in cm</caption>'
    + '<tr><th>Size</th><th>Chest</th><th>Waist</th></tr>'
    + '<tr><td>S</td><td>86-92</td><td>72-78</td></tr><tr><td>M</td><td>92-98</td><td>78-84</td></tr>'
    + '<tr><td>L</td><td>98-104</td><td>84-90</td></tr><tr><td>XL</td><td>104-110</td><td>90-96</td></tr></table>';
</script></body></html>"""

NO_PRODUCT = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>About us – Saltmarsh</title></head>
<body><h1>About us</h1><p>We make shirts by the sea since 1987. Visit our workshop on weekdays.</p></body></html>"""

# A product whose photo the shop no longer serves.
PHOTO_GONE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Gull Grey Shirt – Saltmarsh</title>
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "Product", "name": "Gull Grey Shirt",
 "image": ["/images/gone.jpg"], "offers": {"@type": "Offer", "price": "39.00", "priceCurrency": "EUR"}}</script>
</head><body><h1>Gull Grey Shirt</h1><img src="/images/gone.jpg" alt="Gull Grey Shirt"></body></html>"""


class Shop(LoopbackServer):
    """A shop rendered in the browser, with a page that is no product and one whose photo is gone; it keeps
    the paths it was asked for."""

    thread_name = "extension-shop"
    pages = {"/products/tidewater": RENDERED_PRODUCT, "/about": NO_PRODUCT, "/products/gull-grey": PHOTO_GONE}

    def __init__(self):
        super().__init__()
        self.requests = []

    def _handler_class(self):
        shop = self

        class Handler(ProductPageHandler):
            def do_GET(self):
                shop.requests.append(self.path)
                if self.path in shop.pages:
                    self._send(shop.pages[self.path].encode(), "text/html; charset=utf-8")
                elif self.path == "/images/tidewater.jpg":
                    self._send((FIXTURES / "garment.jpg").read_bytes(), "image/jpeg")
                else:
                    self.send_error(404)

        return Handler


@pytest.fixture
def settings_overrides():
    """As tests/docs, plus the extension's origin in CORS_ORIGINS (what README tells a developer to set)."""
    return {
        "SCRAPER_ALLOW_PRIVATE_NETWORKS": True,
        "AI_PROVIDER": "local",
        "STORAGE_BACKEND": "local",
        "CORS_ORIGINS": (EXTENSION_ORIGIN,),
    }


@pytest.fixture
def shop():
    with Shop() as server:
        yield server


class ExtensionView:
    """An extension page Playwright does not expose (the toolbar popup, the side panel), driven over the
    browser's DevTools session (Target.attachToTarget / sendMessageToTarget)."""

    def __init__(self, cdp, target_id, pump):
        self._cdp = cdp
        self._pump = pump  # lets Playwright deliver the events that carry the answers
        self._answers = {}
        self._next_id = 0
        self._session = cdp.send("Target.attachToTarget", {"targetId": target_id, "flatten": False})[
            "sessionId"
        ]
        self.errors = []
        cdp.on("Target.receivedMessageFromTarget", self._receive)
        self.send("Runtime.enable")

    def _receive(self, event):
        if event["sessionId"] != self._session:
            return
        message = json.loads(event["message"])
        if "id" in message:
            self._answers[message["id"]] = message
        elif message.get("method") == "Runtime.exceptionThrown":
            self.errors.append(message["params"]["exceptionDetails"]["text"])

    def send(self, method, params=None):
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        self._cdp.send(
            "Target.sendMessageToTarget", {"sessionId": self._session, "message": json.dumps(message)}
        )
        deadline = time.monotonic() + 10
        while self._next_id not in self._answers:
            assert time.monotonic() < deadline, f"the extension page did not answer {method}"
            self._pump()
        answer = self._answers.pop(self._next_id)
        assert "error" not in answer, answer
        return answer["result"]

    def evaluate(self, expression):
        result = self.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True, "userGesture": True},
        )
        assert "exceptionDetails" not in result, result["exceptionDetails"]
        return result["result"].get("value")

    def wait_for(self, expression, timeout=10):
        deadline = time.monotonic() + timeout
        while not self.evaluate(expression):
            assert time.monotonic() < deadline, self.evaluate("document.body.innerText")
            self._pump()

    def shown(self, selector):
        return f"(document.querySelector({json.dumps(selector)}) || {{hidden: true}}).hidden === false"

    def text(self, selector):
        return self.evaluate(f"document.querySelector({json.dumps(selector)}).innerText")

    def click(self, selector):
        self.evaluate(f"document.querySelector({json.dumps(selector)}).click()")

    def choose_file(self, selector, path):
        root = self.send("DOM.getDocument")["root"]["nodeId"]
        node = self.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        self.send("DOM.setFileInputFiles", {"files": [str(path)], "nodeId": node})

    def screenshot(self, path):
        path.write_bytes(base64.b64decode(self.send("Page.captureScreenshot")["data"]))


class Extension:
    """Chromium with the unpacked extension: its popup page, its toolbar button pressed on the shop's tab,
    and the side panel that opens."""

    def __init__(self, launch, tmp_path):
        self._launch = launch
        self.tmp_path = tmp_path
        self._open()

    def restart(self):
        """Closes the browser and starts it again on the same profile, as a shopper does."""
        self.context.close()
        self._open()

    def _open(self):
        context = self.context = self._launch()
        worker = (
            context.service_workers[0] if context.service_workers else context.wait_for_event("serviceworker")
        )
        self.worker = worker
        self.id = worker.url.split("/")[2]
        self.cdp = context.browser.new_browser_cdp_session()
        self.popup_tab = context.new_page()
        self.popup_tab.goto(f"chrome-extension://{self.id}/popup.html")
        self.shop_tab = context.new_page()
        self.panel = None  # opened by the first "Try it on"
        self.problems = []
        for page in (self.popup_tab, self.shop_tab):
            page.on("pageerror", lambda error: self.problems.append(str(error)))

    def sign_in(self, base_url, email, *, create=False):
        """Through the popup page: the server's address in Settings, then sign in or create the account."""
        popup = self.popup_tab
        popup.bring_to_front()
        popup.reload()
        popup.click("#settings summary")
        popup.fill("#base-url", base_url)
        popup.click("#save-settings")
        popup.wait_for_selector("#message >> text=Saved.")
        popup.click("#tab-create" if create else "#tab-sign-in")
        popup.fill("#email", email)
        popup.fill("#password", PASSWORD)
        popup.click("#auth-submit")
        popup.wait_for_selector("#signed-in:not([hidden])")

    def _view(self, page):
        """The extension page `page` that just opened (one nobody is attached to yet)."""
        url = f"chrome-extension://{self.id}/{page}"
        deadline = time.monotonic() + 10
        while True:
            targets = self.cdp.send("Target.getTargets")["targetInfos"]
            opened = [t for t in targets if t["type"] == "page" and t["url"] == url and not t["attached"]]
            if opened:
                return ExtensionView(
                    self.cdp, opened[0]["targetId"], lambda: self.shop_tab.wait_for_timeout(20)
                )
            assert time.monotonic() < deadline, f"{page} did not open"
            self.shop_tab.wait_for_timeout(50)

    def press_toolbar_button(self):
        """Extensions.triggerAction on the shop's tab: what a click on the toolbar button does (activeTab)."""
        self.shop_tab.bring_to_front()
        tabs = self.cdp.send("Target.getTargets", {"filter": [{"type": "tab"}]})["targetInfos"]
        tab = next(t for t in tabs if t["url"] == self.shop_tab.url)
        self.cdp.send("Extensions.triggerAction", {"id": self.id, "targetId": tab["targetId"]})
        return self._view("popup.html")

    def try_on(self, url, *, screenshot=None):
        """Opens the shop's page, presses the toolbar button and "Try it on" in the popup."""
        self.shop_tab.goto(url)
        popup = self.press_toolbar_button()
        popup.wait_for(popup.shown("#signed-in"))
        if screenshot:
            popup.screenshot(self.tmp_path / screenshot)
        popup.click("#try-on")
        if self.panel is None:
            self.panel = self._view("sidepanel.html")

    def panel_error(self, code):
        """The words the side panel shows once the try-on ended with `code`."""
        self.panel.wait_for(
            f"{self.panel.shown('#error')} && document.getElementById('error-code').textContent === {json.dumps(code)}",
            timeout=TRY_ON_TIMEOUT_MS,
        )
        return self.panel.text("#error-message")


@pytest.fixture
def extension(chromium, tmp_path):
    from playwright.sync_api import sync_playwright  # after the fixture checked that it is installed

    with sync_playwright() as playwright:

        def launch():
            return playwright.chromium.launch_persistent_context(
                str(tmp_path / "profile"),
                executable_path=str(chromium),
                headless=True,
                args=[
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    f"--disable-extensions-except={EXTENSION}",
                    f"--load-extension={EXTENSION}",
                    "--enable-unsafe-extension-debugging",  # for Extensions.triggerAction
                ],
                viewport={"width": 420, "height": 900},
            )

        extension = Extension(launch, tmp_path)
        yield extension
        extension.context.close()


def test_trying_on_a_product_page_from_the_extension(extension, live_server, shop, client, app, tmp_path):
    assert extension.id == extension_id()  # README's derivation of the id from the manifest's key
    extension.sign_in(live_server.url, "shopper@example.com", create=True)
    assert "shopper@example.com" in extension.popup_tab.inner_text("#who")
    extension.popup_tab.screenshot(path=str(tmp_path / "popup-signed-in.png"))
    extension.restart()  # the session is kept in chrome.storage.local
    extension.popup_tab.wait_for_selector("#signed-in:not([hidden])")
    token = client.post("/api/login", json={"email": "shopper@example.com", "password": PASSWORD}).get_json()
    measurements = {"height": 180, "weight": 78, "chest": 95, "waist": 81}
    headers = {"Authorization": f"Bearer {token['data']['token']}"}
    assert client.post("/api/body-measurements", json=measurements, headers=headers).status_code in (200, 201)

    extension.try_on(shop.url("/products/tidewater"), screenshot="popup-on-product-page.png")

    # The first try-on asks for a photo, kept as the avatar.
    panel = extension.panel
    panel.wait_for(panel.shown("#avatar"))
    panel.choose_file("#avatar-file", FIXTURES / "person.jpg")
    panel.click("#avatar-save")
    panel.wait_for(f"{panel.shown('#result')} || {panel.shown('#error')}", timeout=TRY_ON_TIMEOUT_MS)
    assert panel.evaluate(panel.shown("#result")), panel.text("#error")
    panel.wait_for("(img => img.complete && img.naturalWidth > 0)(document.getElementById('result-image'))")
    assert panel.evaluate("[...document.querySelectorAll('#stages li')].every(li => li.className === 'done')")
    panel.wait_for(panel.shown("#size"))
    assert panel.text("#size-text").split(" ")[0] in ("S", "M", "L", "XL")
    panel.click("#add-to-wardrobe")
    panel.wait_for(
        "document.getElementById('wardrobe-message').textContent.includes('Tidewater Linen Shirt')"
    )
    panel.screenshot(tmp_path / "side-panel.png")

    # The product exists only in the page as the browser rendered it: the server read what the extension sent,
    # and never fetched the page itself (the browser did, once); it fetched the photo the page names.
    assert shop.requests.count("/products/tidewater") == 1
    assert "/images/tidewater.jpg" in shop.requests
    db = app.extensions["db"]
    jobs = db.execute_query("SELECT status FROM tryon_jobs", fetch_all=True)
    assert jobs == [{"status": "done"}]
    # The job was followed through its event stream, to its `done` event, without polling it.
    job_id = db.execute_query("SELECT job_id FROM tryon_jobs", fetch_one=True)["job_id"]
    assert _logged(tmp_path / "logs" / "app.log", "GET", f"/api/job/{job_id}/events") == [200]
    assert _logged(tmp_path / "logs" / "app.log", "GET", f"/api/job/{job_id}") == []
    items = client.get("/api/wardrobe/items", headers=headers).get_json()["data"]
    assert [(item["title"], item["brand"]) for item in items] == [("Tidewater Linen Shirt", "Saltmarsh")]
    assert extension.problems == [] and extension.panel.errors == []


def _closed_port_url():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


def test_the_extension_says_what_went_wrong(extension, live_server, shop, client, tmp_path):
    account = sign_up(client, email="picky@example.com", password=PASSWORD)
    with open(FIXTURES / "person.jpg", "rb") as photo:
        saved = client.post(
            "/api/save-avatar", data={"avatar": (photo, "me.jpg")}, headers=account["headers"]
        )
    assert saved.status_code == 200

    # A wrong password: the server's words in the popup.
    popup = extension.popup_tab
    popup.bring_to_front()
    popup.click("#settings summary")
    popup.fill("#base-url", live_server.url)
    popup.click("#save-settings")
    popup.fill("#email", "picky@example.com")
    popup.fill("#password", "not my password")
    popup.click("#auth-submit")
    popup.wait_for_selector("#message.error >> text=INVALID_CREDENTIALS")
    extension.sign_in(live_server.url, "picky@example.com")

    # A page that sells nothing.
    extension.try_on(shop.url("/about"))
    message = extension.panel_error("NO_PRODUCT_FOUND")
    assert message.startswith("The try-on failed: ") and len(message) > len("The try-on failed: ") + 10

    # A product whose photo the shop no longer serves: the job fails, with its code.
    extension.try_on(shop.url("/products/gull-grey"))
    assert extension.panel_error("IMAGE_DOWNLOAD_FAILED").startswith("The try-on failed: ")
    extension.panel.screenshot(tmp_path / "side-panel-try-on-failed.png")

    # A page the extension may not read.
    extension.try_on("data:text/html,<h1>My notes</h1>")
    assert extension.panel_error("PAGE_NOT_READABLE")

    # The server is not where the settings say.
    closed = _closed_port_url()
    popup.bring_to_front()
    popup.fill("#base-url", closed)
    popup.click("#save-settings")
    popup.wait_for_selector("#message >> text=Saved.")
    extension.try_on(shop.url("/products/tidewater"))
    assert f"Cannot reach the Because Future server at {closed}" in extension.panel_error(
        "SERVER_UNREACHABLE"
    )

    # The session ended elsewhere (a password change on another device signs out every other session).
    popup.bring_to_front()
    popup.fill("#base-url", live_server.url)
    popup.click("#save-settings")
    changed = client.post(
        "/api/users/profile/change-password",
        json={"current_password": PASSWORD, "new_password": "another horse 2"},
        headers=account["headers"],
    )
    assert changed.status_code == 200
    extension.try_on(shop.url("/products/tidewater"))
    assert "You are signed out" in extension.panel_error("SIGNED_OUT")
    popup.reload()
    popup.wait_for_selector("#signed-out:not([hidden])")
    assert extension.problems == [] and extension.panel.errors == []


def _logged(app_log, method, path):
    """The statuses of the requests the server logged for `method` `path` (its access log, JSON lines)."""
    lines = (json.loads(line) for line in app_log.read_text().splitlines())
    return [line["status"] for line in lines if line.get("path") == path and line.get("method") == method]


def test_the_extension_refreshes_its_session_and_signs_out(
    extension, live_server, shop, client, app, tmp_path
):
    extension.sign_in(live_server.url, "steady@example.com", create=True)
    account = client.post("/api/login", json={"email": "steady@example.com", "password": PASSWORD}).get_json()
    with open(FIXTURES / "person.jpg", "rb") as photo:
        headers = {"Authorization": f"Bearer {account['data']['token']}"}
        assert (
            client.post("/api/save-avatar", data={"avatar": (photo, "me.jpg")}, headers=headers).status_code
            == 200
        )

    # The extension's access token as it is once ACCESS_TOKEN_MINUTES have passed.
    session = extension.worker.evaluate("chrome.storage.local.get('session').then(stored => stored.session)")
    settings = app.extensions["settings"]
    claims = jwt.decode(session["token"], settings.JWT_SECRET_KEY, algorithms=[settings.JWT_ALGORITHM])
    lifetime = claims["exp"] - claims["iat"]
    claims.update(iat=int(time.time()) - lifetime - 60, exp=int(time.time()) - 60)
    expired = jwt.encode(claims, settings.JWT_SECRET_KEY, algorithm=settings.JWT_ALGORITHM)
    extension.worker.evaluate(
        "token => chrome.storage.local.get('session')"
        ".then(({session}) => chrome.storage.local.set({session: {...session, token: token}}))",
        expired,
    )

    extension.try_on(shop.url("/products/tidewater"))
    panel = extension.panel
    panel.wait_for(f"{panel.shown('#result')} || {panel.shown('#error')}", timeout=TRY_ON_TIMEOUT_MS)
    assert panel.evaluate(panel.shown("#result")), panel.text("#error")
    refreshed = extension.worker.evaluate(
        "chrome.storage.local.get('session').then(stored => stored.session)"
    )
    assert refreshed["refreshToken"] != session["refreshToken"] and refreshed["token"] != expired
    # The avatar check and the size advice met the expired token together: one refresh served both (a
    # second one with the same refresh token would have been refused).
    assert _logged(tmp_path / "logs" / "app.log", "POST", "/api/auth/refresh") == [200]

    sessions = client.get("/api/users/sessions", headers=headers).get_json()["data"]
    assert "Chrome extension" in [listed["device"] for listed in sessions]  # the label the extension sends

    # Signing out ends the session on the server: its access token stops working at once.
    popup = extension.popup_tab
    popup.bring_to_front()
    popup.reload()
    popup.click("#sign-out")
    popup.wait_for_selector("#signed-out:not([hidden])")
    ended = client.get("/api/users/profile", headers={"Authorization": f"Bearer {refreshed['token']}"})
    assert ended.status_code == 401
    assert (
        extension.worker.evaluate("chrome.storage.local.get('session').then(stored => stored.session)")
        is None
    )
    assert extension.problems == [] and panel.errors == []
