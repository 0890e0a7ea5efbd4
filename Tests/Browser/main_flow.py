#!/usr/bin/env python3
"""End-to-end check of the main flow in a real browser (headless Chromium + Selenium).

Starts its own server on a free port with a fresh SQLite file, reads the one-time
administrator password from the server's banner, then drives what a person does first:

  wrong password -> sign in -> forced password change -> organisation tree ->
  district committee page -> set up a branch (blank name first, then a good one) ->
  the tree shows it -> phone-size pass -> sign out -> signed-out pages -> sign in again.

Screenshots of every step go to Tests/Browser/screenshots/ (gitignored).
The last line printed is `N passed, M failed`; the exit code is non-zero on any failure.

Environment:
  SMARTLEAGUE_BIN   server binary (default .build/debug/smartleague, relative to the repo root)
  CHROMIUM_BIN      browser (default /usr/bin/chromium)
  CHROMEDRIVER_BIN  driver (default /usr/bin/chromedriver)
  KEEP_TEMP=1       keep the temporary database and server log
"""

import base64
import json
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.error
import urllib.request
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.ui import WebDriverWait

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
SHOTS = HERE / "screenshots"

SERVER_START_TIMEOUT = 90   # seconds until the banner and /health answer
WAIT = 15                   # seconds for any one element or navigation
PAGE_LOAD_TIMEOUT = 30
OVERALL_TIMEOUT = 900       # the whole run, however it goes
DEMO_MEMBERS = 1500         # the small living demo city of the second part
DEMO_PASSWORD = "Demo2026ok"

ROOT_NAME = "共青团宁波市委员会"
DISTRICT_NAME = "共青团宁波市海曙区委员会"
BRANCH_NAME = "宁波市第一中学高三(1)班团支部"
BRANCH_SHORT = "一中高三(1)班团支部"
NEW_PASSWORD = "Haishu2024league"
CJK = re.compile(r"[\u4e00-\u9fff]")
CJK_FONT = re.compile(r"CJK|Noto Sans SC|Noto Serif SC|WenQuanYi|Droid Sans Fallback|PingFang|YaHei|Hei|Song|Ming|Kai", re.I)


class Overall(Exception):
    """The whole run took longer than OVERALL_TIMEOUT."""


class Results:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.notes = []

    def check(self, description, ok, detail=""):
        if ok:
            self.passed += 1
            print(f"    ok    {description}", flush=True)
        else:
            self.failed += 1
            extra = f" ({detail})" if detail else ""
            print(f"    FAIL  {description}{extra}", flush=True)
        return ok

    def note(self, text):
        self.notes.append(text)
        print(f"    note  {text}", flush=True)


def step(title):
    print(f"== {title}", flush=True)


# ---------------------------------------------------------------------------- server


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """The app, started on a fresh database; its output is kept in a log file."""

    PASSWORD_LINE = re.compile(r"一次性密码\s*[:：]\s*([A-Za-z0-9]{12})\b")
    USER_LINE = re.compile(r"管理员用户名\s*[:：]\s*(\S+)")

    def __init__(self, binary, workdir, demo_members=None):
        self.binary = binary
        self.workdir = workdir
        # With a number, the database is first filled with a living demo city of that size, and
        # the server is signed into with the demo accounts rather than a one-time password.
        self.demo_members = demo_members
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = Path(workdir) / "server.log"
        self.username = None
        self.password = None
        self.proc = None
        self._banner = threading.Event()
        self._reader = None

    def start(self):
        env = dict(os.environ)
        env.pop("DATABASE_URL", None)  # always the fresh SQLite file, never a shared database
        env.update({
            "SQLITE_PATH": str(Path(self.workdir) / "browser.sqlite"),
            "BCRYPT_COST": "6",
            "COOKIE_SECURE": "false",
        })
        if self.demo_members:
            demo = [self.binary, "demo", "--members", str(self.demo_members), "--seed", "7"]
            print(f"    building {' '.join(demo)}", flush=True)
            built = time.monotonic()
            with open(Path(self.workdir) / "demo.log", "w", encoding="utf-8") as log:
                subprocess.run(demo, cwd=REPO, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                               timeout=SERVER_START_TIMEOUT * 10, check=True)
            print(f"    demo city built in {time.monotonic() - built:.1f}s", flush=True)
            self._banner.set()
        # Vapor's testing environment: a debug server then keeps and compiles its templates, as a
        # release server does, and checks every page it renders against Leaf's (decision 013).
        args = [self.binary, "serve", "--env", "testing", "--hostname", "127.0.0.1", "--port", str(self.port)]
        print(f"    starting {' '.join(args)} (cwd {REPO})", flush=True)
        self.proc = subprocess.Popen(
            args, cwd=REPO, env=env, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so stop() reaches everything it started
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while not self._banner.is_set():
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode} before printing the password\n"
                                   + self.log_tail())
            if time.monotonic() > deadline:
                raise RuntimeError("no one-time password in the server output within "
                                   f"{SERVER_START_TIMEOUT}s\n" + self.log_tail())
            self._banner.wait(0.2)

        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}\n" + self.log_tail())
            try:
                with urllib.request.urlopen(self.base + "/health", timeout=3) as response:
                    body = response.read().decode("utf-8", "replace").strip()
                    if response.status == 200:
                        return body
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"/health did not answer 200 within {SERVER_START_TIMEOUT}s\n" + self.log_tail())
            time.sleep(0.25)

    def _read(self):
        with open(self.log_path, "w", encoding="utf-8") as log:
            for raw in self.proc.stdout:
                line = raw.decode("utf-8", "replace")
                log.write(line)
                log.flush()
                if self.username is None:
                    m = self.USER_LINE.search(line)
                    if m:
                        self.username = m.group(1)
                if self.password is None:
                    m = self.PASSWORD_LINE.search(line)
                    if m:
                        self.password = m.group(1)
                        self._banner.set()

    def log_tail(self, lines=40):
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no server log)"
        # Never echo the one-time password into CI output.
        if self.password:
            text = text.replace(self.password, "************")
        return "---- server log (last lines) ----\n" + "\n".join(text.splitlines()[-lines:])

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(timeout=10)


# ---------------------------------------------------------------------------- browser


def make_driver():
    chromium = os.environ.get("CHROMIUM_BIN", "/usr/bin/chromium")
    chromedriver = os.environ.get("CHROMEDRIVER_BIN", "/usr/bin/chromedriver")
    for path in (chromium, chromedriver):
        if not os.access(path, os.X_OK):
            raise RuntimeError(f"{path} is missing (apt-get install chromium chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900",
                "--lang=zh-CN", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
                "--disable-extensions", "--disable-background-networking", "--disable-sync",
                "--password-store=basic", "--hide-scrollbars"):
        options.add_argument(arg)
    # Chromium's own password manager would pop "change your password?" prompts; keep it out.
    options.add_experimental_option("prefs", {
        "credentials_enable_service": False,
        "profile.password_manager_enabled": False,
        "profile.password_manager_leak_detection": False,
    })
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    service = Service(executable_path=chromedriver, log_output=subprocess.DEVNULL)
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(PAGE_LOAD_TIMEOUT)
    driver.set_script_timeout(WAIT)
    driver.implicitly_wait(0)
    return driver


class Browser:
    def __init__(self, driver, base, results):
        self.d = driver
        self.base = base
        self.r = results
        self.shot_no = 0

    # --- navigation and waiting

    def wait(self, condition, what, timeout=WAIT):
        try:
            return WebDriverWait(self.d, timeout, poll_frequency=0.1).until(condition)
        except TimeoutException:
            raise TimeoutException(f"timed out after {timeout}s waiting for {what} (at {self.d.current_url})")

    def open(self, path):
        self.drain_log()
        self.d.get(self.base + path)
        self.wait(lambda d: d.execute_script("return document.readyState") == "complete", f"{path} to load")

    def submit(self, button_id):
        """Clicks a submit button and waits until the browser has loaded the page that answers."""
        self.drain_log()
        old = self.d.find_element(By.TAG_NAME, "html")
        self.d.find_element(By.ID, button_id).click()
        self.wait(page_replaced(old), f"the page after #{button_id}")
        self.wait(lambda d: d.execute_script("return document.readyState") == "complete", "the new page to load")

    def click_link(self, element, what):
        self.drain_log()
        old = self.d.find_element(By.TAG_NAME, "html")
        element.click()
        self.wait(page_replaced(old), what)
        self.wait(lambda d: d.execute_script("return document.readyState") == "complete", what)

    def path(self):
        url = self.d.current_url
        return url[len(self.base):] if url.startswith(self.base) else url

    def text(self, by, value):
        return self.d.find_element(by, value).text.strip()

    def present(self, by, value):
        return len(self.d.find_elements(by, value)) > 0

    def fill(self, element_id, value):
        # Chromium now and then answers for a node of the document it has just replaced; find the
        # field again rather than fail the whole flow on that race.
        for attempt in range(3):
            try:
                field = self.wait(EC.element_to_be_clickable((By.ID, element_id)), f"#{element_id}")
                field.clear()
                field.send_keys(value)
                return
            except (StaleElementReferenceException, WebDriverException):
                if attempt == 2:
                    raise
                time.sleep(0.3)

    # --- what the network said (from Chromium's performance log)

    def drain_log(self):
        try:
            self.d.get_log("performance")
        except WebDriverException:
            pass

    def document_statuses(self):
        """(url, status) of each page document received since the last drain."""
        out = []
        try:
            entries = self.d.get_log("performance")
        except WebDriverException:
            return out
        for entry in entries:
            try:
                message = json.loads(entry["message"])["message"]
            except (KeyError, ValueError):
                continue
            if message.get("method") != "Network.responseReceived":
                continue
            params = message.get("params", {})
            response = params.get("response", {})
            if params.get("type") == "Document":
                out.append((response.get("url", ""), response.get("status")))
            elif response.get("status", 0) >= 400:
                self.r.note(f"{response.get('status')} for {response.get('url')}")
        return out

    def final_status(self):
        statuses = self.document_statuses()
        return statuses[-1][1] if statuses else None

    # --- looks

    def screenshot(self, name):
        self.shot_no += 1
        path = SHOTS / f"{self.shot_no:02d}-{name}.png"
        try:
            metrics = self.d.execute_cdp_cmd("Page.getLayoutMetrics", {})
            size = metrics.get("cssContentSize") or metrics["contentSize"]
            viewport = metrics.get("cssLayoutViewport") or metrics["layoutViewport"]
            width = math.ceil(max(size["width"], viewport["clientWidth"]))
            height = min(math.ceil(max(size["height"], viewport["clientHeight"])), 6000)
            data = self.d.execute_cdp_cmd("Page.captureScreenshot", {
                "format": "png", "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
            })["data"]
            path.write_bytes(base64.b64decode(data))
        except Exception:  # fall back to the visible part
            self.d.save_screenshot(str(path))
        print(f"    shot  {path.relative_to(REPO)}", flush=True)

    def fonts_for(self, selector):
        """The fonts Chromium really drew the element's text with (family names), via DevTools."""
        self.d.execute_cdp_cmd("DOM.enable", {})
        self.d.execute_cdp_cmd("CSS.enable", {})
        try:
            root = self.d.execute_cdp_cmd("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
            node = self.d.execute_cdp_cmd("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
            fonts = self.d.execute_cdp_cmd("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
            return [f["familyName"] for f in fonts if f.get("glyphCount", 0) > 0]
        finally:
            # Left enabled, the DOM domain's node ids clash with the driver's own element look-ups
            # on later pages ("Node with given id does not belong to the document").
            self.d.execute_cdp_cmd("CSS.disable", {})
            self.d.execute_cdp_cmd("DOM.disable", {})

    def overflows(self):
        return self.d.execute_script(
            "return document.documentElement.scrollWidth > window.innerWidth + 1"
            " ? [document.documentElement.scrollWidth, window.innerWidth] : null")


def page_replaced(old):
    """A wait condition: the element `old` belongs to a document the browser has left. While the
    new page loads, chromedriver sometimes reports that as "Node with given id does not belong to
    the document" instead of a stale element, which Selenium's staleness_of does not catch."""
    def check(_driver):
        try:
            old.is_enabled()
            return False
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            if "does not belong to the document" in str(error):
                return True
            raise
    return check


def tree_row(b, name):
    rows = b.d.find_elements(By.XPATH, f"//ul[@id='tree']/li[a[not(contains(@class,'toggle')) and normalize-space()='{name}']]")
    return rows[0] if rows else None


def row_toggle(row):
    links = row.find_elements(By.XPATH, "./a[contains(@class,'toggle')]")
    return links[0] if links else None


def tree_names(b):
    return [a.text.strip() for a in b.d.find_elements(By.XPATH, "//ul[@id='tree']/li/a[not(contains(@class,'toggle'))]")]


# ---------------------------------------------------------------------------- the flow


def flow(b, server, r):
    d = b.d

    step("login page")
    b.open("/login")
    r.check("GET /login shows the sign-in form",
            b.present(By.ID, "username") and b.present(By.ID, "password") and b.present(By.ID, "login-submit"))
    r.check("the page is in Chinese", "登录" in d.title and CJK.search(b.text(By.TAG_NAME, "h1") or ""),
            f"title {d.title!r}")
    r.check("stylesheet loaded", d.execute_script(
        "return [...document.styleSheets].some(s => { try { return s.cssRules.length > 0 } catch (e) { return false } })"))
    fonts = b.fonts_for("h1")
    r.check("the Chinese heading is drawn with a CJK font", any(CJK_FONT.search(f) for f in fonts),
            f"fonts {fonts}; install fonts-noto-cjk, or Chinese text renders as boxes")
    print(f"    fonts {', '.join(fonts)}", flush=True)
    b.screenshot("login")

    step("wrong password is refused")
    b.fill("username", server.username or "admin")
    b.fill("password", "Wrong-password-123")
    b.submit("login-submit")
    error = b.text(By.ID, "login-error") if b.present(By.ID, "login-error") else ""
    r.check("a Chinese error is shown for a wrong password", "用户名或密码错误" in error, f"got {error!r}")
    r.check("still on /login after a wrong password", b.path().startswith("/login"), b.path())
    b.screenshot("login-wrong-password")

    step("sign in with the one-time password")
    b.fill("username", server.username or "admin")
    b.fill("password", server.password)
    b.submit("login-submit")
    r.check("first sign-in is sent to /account/password", b.path().startswith("/account/password"), b.path())
    notice = b.text(By.CSS_SELECTOR, "p.notice") if b.present(By.CSS_SELECTOR, "p.notice") else ""
    r.check("the page says the one-time password must be changed", "一次性密码" in notice, f"got {notice!r}")
    b.screenshot("forced-password-change")

    step("forced password change")
    b.open("/tree")
    r.check("other pages stay closed until the password is changed", b.path().startswith("/account/password"), b.path())
    b.fill("current", server.password)
    b.fill("new-password", NEW_PASSWORD)
    b.fill("confirm-password", NEW_PASSWORD + "x")
    b.submit("password-submit")
    errors = " ".join(e.text for e in d.find_elements(By.CSS_SELECTOR, "p.error"))
    r.check("a mismatched confirmation is refused with a Chinese message",
            b.path().startswith("/account/password") and CJK.search(errors), f"errors {errors!r}")
    b.screenshot("password-mismatch")
    b.fill("current", server.password)
    b.fill("new-password", NEW_PASSWORD)
    b.fill("confirm-password", NEW_PASSWORD)
    b.submit("password-submit")
    flash = b.text(By.CSS_SELECTOR, "p.flash") if b.present(By.CSS_SELECTOR, "p.flash") else ""
    r.check("password change lands on the home page", b.path() in ("/", ""), b.path())
    r.check("home shows the flash 密码已修改。", "密码已修改" in flash, f"got {flash!r}")
    r.check("the header has the logout button", b.present(By.ID, "logout"))
    b.screenshot("home")

    step("organisation tree")
    b.open("/tree")
    r.check("GET /tree shows ul#tree", b.present(By.ID, "tree"), b.path())
    names = tree_names(b)
    r.check(f"the root {ROOT_NAME} is listed first", names[:1] == [ROOT_NAME], f"got {names[:1]}")
    districts = [n for n in names[1:] if n.startswith("共青团宁波市")]
    r.check("the ten district committees are listed under it", len(districts) == 10, f"got {len(districts)}: {districts}")
    r.check(f"{DISTRICT_NAME} is in the tree", tree_row(b, DISTRICT_NAME) is not None)
    b.screenshot("tree")

    root_toggle = row_toggle(tree_row(b, ROOT_NAME))
    r.check("the open root shows −", root_toggle is not None and root_toggle.text.strip() == "−",
            f"got {root_toggle.text.strip() if root_toggle else None!r}")
    if root_toggle is not None:
        b.click_link(root_toggle, "the tree with the root closed")
        r.check("closing the root hides the districts", tree_row(b, ROOT_NAME) is not None
                and tree_row(b, DISTRICT_NAME) is None, b.path())
        reopen = row_toggle(tree_row(b, ROOT_NAME))
        r.check("the closed root shows +", reopen is not None and reopen.text.strip() == "+")
        if reopen is not None:
            b.click_link(reopen, "the tree with the root open again")
        r.check("opening the root shows the districts again", tree_row(b, DISTRICT_NAME) is not None, b.path())

    step(f"{DISTRICT_NAME} page")
    link = tree_row(b, DISTRICT_NAME).find_element(By.XPATH, "./a[not(contains(@class,'toggle'))]")
    b.click_link(link, "the district page")
    district_path = b.path()
    r.check("the district link opens /units/ID", re.fullmatch(r"/units/\d+", district_path) is not None, district_path)
    r.check("its h1#unit-name is the district name", b.text(By.ID, "unit-name") == DISTRICT_NAME,
            f"got {b.text(By.ID, 'unit-name')!r}")
    b.screenshot("district")

    step("set up a branch: blank name first")
    b.click_link(b.wait(EC.element_to_be_clickable((By.ID, "new-child")), "#new-child"), "the new-child form")
    r.check("设立下级组织 opens /units/ID/children/new", b.path() == district_path + "/children/new", b.path())
    options = [o.get_attribute("value") for o in Select(d.find_element(By.ID, "type")).options]
    wanted = {"committee", "workingCommittee", "generalBranch", "branch", "temporaryBranch", "mobileBranch",
              "transitionBranch"}
    r.check("a district may set up every kind of unit", wanted <= set(options), f"options {options}")
    b.screenshot("new-child-form")
    # Only spaces: gets past the browser's `required` check, as a person's slip would, and the
    # server must refuse it.
    b.fill("name", "   ")
    b.fill("shortName", BRANCH_SHORT)
    Select(d.find_element(By.ID, "type")).select_by_value("branch")
    b.submit("create-child")
    status = b.final_status()
    errors = [e.text.strip() for e in d.find_elements(By.CSS_SELECTOR, "p.error")]
    r.check("a blank name is answered with 422", status == 422, f"status {status}")
    r.check("the Chinese error 请填写组织全称 shows beside the field", any("请填写组织全称" in e for e in errors),
            f"errors {errors}")
    r.check("the form keeps what was typed", d.find_element(By.ID, "shortName").get_attribute("value") == BRANCH_SHORT
            and Select(d.find_element(By.ID, "type")).first_selected_option.get_attribute("value") == "branch")
    b.screenshot("new-child-blank-name")

    step("set up a branch")
    b.fill("name", BRANCH_NAME)
    b.fill("shortName", BRANCH_SHORT)
    Select(d.find_element(By.ID, "type")).select_by_value("branch")
    b.submit("create-child")
    branch_path = b.path()
    flash = b.text(By.CSS_SELECTOR, "p.flash") if b.present(By.CSS_SELECTOR, "p.flash") else ""
    r.check("a good form lands on the new unit's page", re.fullmatch(r"/units/\d+", branch_path) is not None
            and branch_path != district_path, branch_path)
    r.check("h1#unit-name is the new branch's name", b.text(By.ID, "unit-name") == BRANCH_NAME,
            f"got {b.text(By.ID, 'unit-name')!r}")
    r.check("the flash says 已设立", "已设立" in flash and BRANCH_NAME in flash, f"got {flash!r}")
    crumbs = b.text(By.CSS_SELECTOR, "nav.crumbs") if b.present(By.CSS_SELECTOR, "nav.crumbs") else ""
    r.check("the breadcrumb leads back through the district", DISTRICT_NAME in crumbs, f"got {crumbs!r}")
    b.screenshot("branch")

    step("the tree shows the new branch")
    b.open("/tree")
    toggle = row_toggle(tree_row(b, DISTRICT_NAME))
    r.check(f"{DISTRICT_NAME} now has a + toggle", toggle is not None and toggle.text.strip() == "+")
    if toggle is not None:
        b.click_link(toggle, "the tree with the district open")
        r.check("the address carries the open node", "open=" in b.path(), b.path())
        names = tree_names(b)
        r.check("opening the district lists the branch under it", BRANCH_NAME in names
                and names.index(BRANCH_NAME) == names.index(DISTRICT_NAME) + 1, f"rows {names}")
        branch_row = tree_row(b, BRANCH_NAME)
        depth_class = branch_row.get_attribute("class") if branch_row is not None else ""
        r.check("the branch is indented one level below the district", depth_class == "d2", f"class {depth_class!r}")
        b.screenshot("tree-district-open")
        toggle = row_toggle(tree_row(b, DISTRICT_NAME))
        if r.check("the open district shows −", toggle is not None and toggle.text.strip() == "−"):
            b.click_link(toggle, "the tree with the district closed")
            r.check("closing the district hides the branch", tree_row(b, BRANCH_NAME) is None)

    step("register a member in the new branch, then reveal the ID number")
    branch_id = branch_path.rsplit("/", 1)[-1]
    b.open(f"/members/new?branch={branch_id}")
    member_id_number = "330203200001011231"
    b.fill("name", "王小明")
    b.fill("residentID", member_id_number)
    Select(d.find_element(By.NAME, "education")).select_by_value("bachelor")
    Select(d.find_element(By.NAME, "occupation")).select_by_value("student")
    d.execute_script("document.querySelector('input[name=joinedOn]').value = '2016-05-04'")
    d.execute_script("document.querySelector('input[name=memberNumber]').value = 'NB2016001'")
    b.submit("save-member")
    member_path = b.path()
    r.check("saving the record lands on the member's page", re.fullmatch(r"/members/\d+", member_path) is not None, member_path)
    shown = b.text(By.ID, "id-number") if b.present(By.ID, "id-number") else ""
    r.check("the page shows the ID number masked", shown == "330203********1231", f"got {shown!r}")
    b.screenshot("member-masked")
    b.submit("reveal")
    shown = b.text(By.ID, "id-number") if b.present(By.ID, "id-number") else ""
    r.check("查看 shows the whole number", shown == member_id_number, f"got {shown!r}")
    b.open("/statistics")
    total = b.text(By.ID, "member-total") if b.present(By.ID, "member-total") else ""
    r.check("the city statistics count the new member", total == "1", f"got {total!r}")
    b.screenshot("statistics")
    b.open("/members")
    rows = d.find_elements(By.CSS_SELECTOR, "#members tbody tr")
    r.check("the member list shows the member, masked", len(rows) == 1 and "330203********1231" in rows[0].text,
            f"rows {[row.text for row in rows]}")
    b.screenshot("members")

    step("work plan: hand a task down, report with a PDF attached, publish the year's evaluation")
    b.open("/plans/2018")
    b.click_link(d.find_element(By.CSS_SELECTOR, "a[href^='/plans/tasks/']"), "the first task's page")
    task_path = b.path()
    d.find_element(By.NAME, "units").send_keys("330203")
    d.execute_script("document.querySelector('input[name=deadline]').value = '2099-12-31'")
    b.submit("assign")
    r.check("assigning lands back on the task", b.path() == task_path, b.path())
    links = d.find_elements(By.CSS_SELECTOR, "#assignments a")
    r.check("the task lists 海曙区 as holder", len(links) == 1 and DISTRICT_NAME in links[0].text,
            f"links {[a.text for a in links]}")
    if links:
        b.click_link(links[0], "the assignment's page")
        assignment_path = b.path()
        pdf = Path(tempfile.mkdtemp()) / "一季度小结.pdf"
        pdf.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
        d.find_element(By.NAME, "text").send_keys("一季度已建成青创农场 3 家")
        d.find_element(By.NAME, "file").send_keys(str(pdf))
        b.submit("report")
        r.check("the report lands back on the assignment", b.path() == assignment_path, b.path())
        files = d.find_elements(By.CSS_SELECTOR, "#reports a.attachment")
        r.check("the report shows its attachment", len(files) == 1 and "一季度小结.pdf" in files[0].text,
                f"files {[f.text for f in files]}")
        if files:
            href = files[0].get_attribute("href")
            fetched = d.execute_script(
                "const r = await fetch(arguments[0]); return [r.status, r.headers.get('content-type'), await r.text()];", href)
            r.check("the attachment downloads as the same PDF", fetched[0] == 200 and fetched[1] == "application/pdf"
                    and fetched[2].startswith("%PDF-1.4"), f"got {fetched[:2]}")
        b.screenshot("assignment-report")
    b.open("/evaluations")
    year = d.find_element(By.NAME, "year")
    year.clear()
    year.send_keys("2018")
    d.find_element(By.NAME, "title").send_keys("2018年度区县（市）团委工作考核")
    b.submit("create-evaluation")
    r.check("a new evaluation opens on its page", re.fullmatch(r"/evaluations/\d+", b.path()) is not None, b.path())
    weight = b.text(By.ID, "weight-sum") if b.present(By.ID, "weight-sum") else ""
    r.check("the default indicators weigh 100 in all", weight == "100", f"got {weight!r}")
    b.submit("open-evaluation")
    status = b.text(By.ID, "scheme-status") if b.present(By.ID, "scheme-status") else ""
    rows = d.find_elements(By.CSS_SELECTOR, "#ranking tbody tr")
    r.check("publishing gives each of the ten districts a sheet", status == "考核中" and len(rows) == 10,
            f"status {status!r}, {len(rows)} rows")
    b.screenshot("evaluation")

    step("every page of the menu opens (200, a Chinese heading, no scrolling sideways on a desktop)")
    menu = [a.get_attribute("href") for a in d.find_elements(By.CSS_SELECTOR, "header nav a")]
    broken = []
    for href in menu:
        path = href[len(b.base):] if href.startswith(b.base) else href
        b.open(path)
        status = b.final_status()
        heading = b.text(By.TAG_NAME, "h1") if b.present(By.TAG_NAME, "h1") else ""
        if status != 200 or not CJK.search(heading):
            broken.append(f"{path} ({status}, h1 {heading!r})")
    r.check(f"all {len(menu)} menu pages render", len(menu) >= 15 and not broken, f"broken: {broken}")

    step("phone-size pass (390×844)")
    b.d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                        {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True})
    try:
        for page, name in (("/", "phone-home"), ("/tree?open=1," + district_path.rsplit("/", 1)[-1], "phone-tree"),
                           (district_path, "phone-district"), (district_path + "/children/new", "phone-new-child"),
                           (branch_path, "phone-branch")):
            b.open(page)
            wide = b.overflows()
            if wide:
                r.note(f"{page} is wider than a 390px phone screen ({wide[0]}px): it scrolls sideways")
            b.screenshot(name)
        r.check("pages still render at phone size", b.present(By.ID, "unit-name"))
    finally:
        b.d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    step("sign out")
    b.open(branch_path)
    b.submit("logout")
    r.check("logout lands on /login", b.path().startswith("/login"), b.path())
    r.check("the login form is shown again", b.present(By.ID, "login-submit") and not b.present(By.ID, "logout"))
    b.screenshot("signed-out")
    b.open("/tree")
    r.check("signed out, /tree sends you to /login", b.path().startswith("/login"), b.path())

    step("the new password works, the one-time one does not")
    b.fill("username", server.username or "admin")
    b.fill("password", server.password)
    b.submit("login-submit")
    r.check("the one-time password no longer signs in", b.present(By.ID, "login-error"), b.path())
    b.fill("username", server.username or "admin")
    b.fill("password", NEW_PASSWORD)
    b.submit("login-submit")
    r.check("the new password signs in without another forced change",
            b.present(By.ID, "logout") and not b.path().startswith("/account/password"), b.path())
    b.screenshot("signed-in-again")

    step("青年大学习: the city publishes an episode, the member takes it on a phone")
    b.open("/study")
    d.find_element(By.NAME, "season").send_keys("12")
    d.find_element(By.NAME, "number").send_keys("1")
    d.find_element(By.NAME, "title").send_keys("青春心向党")
    d.execute_script(
        "const pad = n => String(n).padStart(2, '0');"
        "const local = t => { const c = new Date(t + 8 * 3600000); return c.getUTCFullYear() + '-' + pad(c.getUTCMonth() + 1) + '-'"
        " + pad(c.getUTCDate()) + 'T' + pad(c.getUTCHours()) + ':' + pad(c.getUTCMinutes()); };"
        "document.querySelector('input[name=opensAt]').value = local(Date.now() - 3600000);"
        "document.querySelector('input[name=closesAt]').value = local(Date.now() + 7 * 86400000);")
    d.find_element(By.NAME, "videoURL").send_keys("https://h5.cyol.com/special/daxuexi/12-1/index.html")
    b.submit("publish-episode")
    r.check("publishing lands on the episode's page", re.fullmatch(r"/study/episodes/\d+", b.path()) is not None, b.path())
    b.open("/accounts/new")
    Select(d.find_element(By.NAME, "kind")).select_by_value("member")
    d.find_element(By.NAME, "username").send_keys("wangxiaoming")
    d.find_element(By.NAME, "displayName").send_keys("王小明")
    d.find_element(By.NAME, "memberNumber").send_keys("NB2016001")
    b.submit("create-account")
    member_password = b.text(By.ID, "one-time-password") if b.present(By.ID, "one-time-password") else ""
    r.check("the member's account is created with a one-time password", len(member_password) >= 8, b.path())
    b.submit("logout")
    b.d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                        {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True})
    try:
        b.fill("username", "wangxiaoming")
        b.fill("password", member_password)
        b.submit("login-submit")
        b.fill("current", member_password)
        b.fill("new-password", NEW_PASSWORD)
        b.fill("confirm-password", NEW_PASSWORD)
        b.submit("password-submit")
        b.open("/learn")
        links = d.find_elements(By.CSS_SELECTOR, "#learn-episodes a")
        r.check("the member sees this week's episode", len(links) == 1 and "第12季第1期" in links[0].text,
                f"links {[a.text for a in links]}")
        if links:
            b.click_link(links[0], "the episode's page")
            b.screenshot("phone-learn-episode")
            b.submit("finish-study")
            error = b.text(By.ID, "answers-error") if b.present(By.ID, "answers-error") else ""
            r.check("an unanswered quiz is refused in Chinese", "第 1 题还没有作答" in error, f"got {error!r}")
            d.find_element(By.CSS_SELECTOR, "input[name=q1][value=A]").click()
            b.submit("finish-study")
            result = b.text(By.ID, "learn-result") if b.present(By.ID, "learn-result") else ""
            r.check("answering completes the study and says so", "学习完成，已计入本期参学" in result, f"got {result!r}")
            b.screenshot("phone-learn-done")
            wide = b.overflows()
            if wide:
                r.note(f"the study page is wider than a 390px phone screen ({wide[0]}px)")
            b.open("/learn")
            rate = b.text(By.ID, "own-rate") if b.present(By.ID, "own-rate") else ""
            r.check("the member's own rate is 100.0%", rate == "100.0%", f"got {rate!r}")
    finally:
        b.d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    step("志愿服务: a member registers in one step, a district runs a post, the member signs up on a phone")
    phone = {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True}
    b.d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", phone)
    try:
        b.open("/volunteer/me")
        b.submit("register-member")
        number = b.text(By.ID, "my-number") if b.present(By.ID, "my-number") else ""
        r.check("the member becomes a volunteer with a volunteer number", number.startswith("ZY3302"), f"got {number!r}")
        b.screenshot("phone-volunteer-me")
        b.submit("logout")
    finally:
        b.d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    def sign_in(username, password):
        b.fill("username", username)
        b.fill("password", password)
        b.submit("login-submit")

    sign_in(server.username or "admin", NEW_PASSWORD)
    b.open("/accounts/new")
    Select(d.find_element(By.NAME, "kind")).select_by_value("administrator")
    d.find_element(By.NAME, "username").send_keys("haishu.youth")
    d.find_element(By.NAME, "displayName").send_keys("海曙团区委志愿服务专员")
    d.find_element(By.NAME, "unit").send_keys("330203")
    b.submit("create-account")
    district_password = b.text(By.ID, "one-time-password") if b.present(By.ID, "one-time-password") else ""
    b.open("/volunteering/groups")
    d.find_element(By.NAME, "name").send_keys("海曙青年志愿服务队")
    d.find_element(By.NAME, "unit").clear()
    d.find_element(By.NAME, "unit").send_keys("330203")
    d.find_element(By.NAME, "contact").send_keys("王老师 13805741234")
    b.submit("create-group")
    r.check("the city asks for a volunteer group under 海曙", "等待上级审批" in (b.text(By.CLASS_NAME, "flash") if b.present(By.CLASS_NAME, "flash") else ""))
    b.submit("logout")

    sign_in("haishu.youth", district_password)
    b.fill("current", district_password)
    b.fill("new-password", NEW_PASSWORD)
    b.fill("confirm-password", NEW_PASSWORD)
    b.submit("password-submit")
    b.open("/volunteering/groups")
    b.click_link(d.find_element(By.CSS_SELECTOR, "#groups button[value=approve]"), "the groups page after approving")
    r.check("the district approves the group the city asked for", "已批准" in b.text(By.ID, "groups"))
    b.open("/volunteering/projects")
    d.find_element(By.NAME, "title").send_keys("三江口环保行动")
    Select(d.find_element(By.NAME, "category")).select_by_visible_text("生态环保")
    d.find_element(By.NAME, "summary").send_keys("每周末清理江岸垃圾")
    b.submit("create-project")
    project_path = b.path()
    r.check("the project opens on its own page", re.fullmatch(r"/volunteering/projects/\d+", project_path) is not None, project_path)
    tomorrow = d.execute_script(
        "const c = new Date(Date.now() + 8 * 3600000 + 86400000); return c.toISOString().slice(0, 10);")
    d.find_element(By.NAME, "title").send_keys("江岸清洁员")
    d.find_element(By.NAME, "place").send_keys("三江口公园")
    d.find_element(By.NAME, "days").send_keys(tomorrow)
    b.submit("add-posts")
    posts = d.find_elements(By.CSS_SELECTOR, "#project-posts a")
    r.check("the post is added for tomorrow", len(posts) == 1, f"{len(posts)} posts")
    post_admin = posts[0].get_attribute("href")[len(b.base):] if posts else ""
    b.submit("logout")

    sign_in(server.username or "admin", NEW_PASSWORD)
    b.open(project_path)
    b.submit("publish")
    status = b.text(By.ID, "project-status") if b.present(By.ID, "project-status") else ""
    r.check("the city reviews and publishes the project", status == "已发布", f"got {status!r}")
    b.open(post_admin)
    code = b.text(By.ID, "checkin-code") if b.present(By.ID, "checkin-code") else ""
    loaded = d.execute_script("const i = document.querySelector('img.qr'); return i && i.complete && i.naturalWidth > 0;")
    r.check("the organiser sees a 6-digit check-in code and its QR image", re.fullmatch(r"\d{6}", code) is not None and loaded,
            f"code {code!r}, image {loaded}")
    b.screenshot("volunteer-post-organiser")
    b.submit("logout")

    b.d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", phone)
    try:
        sign_in("wangxiaoming", NEW_PASSWORD)
        b.open("/volunteer/posts?q=江岸")
        links = d.find_elements(By.CSS_SELECTOR, "#posts a")
        r.check("the member finds the post in the public search", len(links) == 1, f"{len(links)} links")
        if links:
            b.click_link(links[0], "the post's page")
            b.submit("sign-up")
            mine = b.text(By.ID, "my-signup") if b.present(By.ID, "my-signup") else ""
            r.check("signing up takes a place at once", "已录用" in mine, f"got {mine!r}")
            b.screenshot("phone-volunteer-signed-up")
            wide = b.overflows()
            if wide:
                r.note(f"the post page is wider than a 390px phone screen ({wide[0]}px)")
    finally:
        b.d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    step("青年之声: a young person asks on a phone, the district's cadre answers, the asker rates it")
    b.submit("logout")
    b.d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", phone)
    try:
        b.open("/voice/ask")
        Select(d.find_element(By.NAME, "category")).select_by_visible_text("权益保护")
        Select(d.find_element(By.NAME, "district")).select_by_visible_text("共青团宁波市海曙区委员会")
        d.find_element(By.NAME, "title").send_keys("实习单位不发补贴")
        d.find_element(By.NAME, "body").send_keys("在一家公司实习三个月，没有签实习协议，也没有发放约定的补贴，想知道怎么维权。")
        d.find_element(By.NAME, "mayPublish").click()
        d.find_element(By.NAME, "name").send_keys("小李")
        d.find_element(By.NAME, "username").send_keys("xiaoli2026")
        d.find_element(By.NAME, "password").send_keys(NEW_PASSWORD)
        d.find_element(By.NAME, "confirm").send_keys(NEW_PASSWORD)
        b.screenshot("phone-voice-ask")
        wide = b.overflows()
        if wide:
            r.note(f"the question form is wider than a 390px phone screen ({wide[0]}px)")
        b.submit("ask-submit")
        number = b.text(By.ID, "item-number") if b.present(By.ID, "item-number") else ""
        r.check("the question gets a number to follow it by", re.fullmatch(r"QS\d{14}", number) is not None, f"got {number!r}")
    finally:
        b.d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    b.open("/login")
    sign_in("haishu.youth", NEW_PASSWORD)
    b.open("/voice/queue")
    links = d.find_elements(By.CSS_SELECTOR, "#queue a")
    r.check("the district's queue holds the question", len(links) == 1 and "实习单位不发补贴" in links[0].text, f"{len(links)} links")
    if links:
        b.click_link(links[0], "the question's page")
        b.submit("accept")
        d.find_element(By.NAME, "answer").send_keys("已联系区劳动监察大队，请携带实习期间的考勤和聊天记录前往登记，我们会跟进处理结果。")
        b.submit("answer-submit")
        status = b.text(By.ID, "item-status") if b.present(By.ID, "item-status") else ""
        r.check("the cadre accepts and answers", status == "已答复", f"got {status!r}")
        b.screenshot("voice-cadre-answered")
    b.submit("logout")

    b.d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", phone)
    try:
        sign_in("xiaoli2026", NEW_PASSWORD)
        r.check("a light account lands on its questions", b.path() == "/voice/mine", f"at {b.path()}")
        mine = d.find_elements(By.CSS_SELECTOR, "#my-items a")
        if mine:
            b.click_link(mine[0], "the asker's question")
            answer = b.text(By.ID, "item-answer") if b.present(By.ID, "item-answer") else ""
            r.check("the asker reads the answer", "劳动监察" in answer, f"got {answer!r}")
            d.find_element(By.CSS_SELECTOR, "#rate-form input[value=satisfied]").click()
            b.submit("rate-submit")
            status = b.text(By.ID, "item-status") if b.present(By.ID, "item-status") else ""
            r.check("rated satisfied, the question is closed", status == "已办结", f"got {status!r}")
            b.screenshot("phone-voice-rated")
        else:
            r.check("the asker sees their question", False)
        b.submit("logout")
        b.open("/voice")
        r.check("the public list shows the published answer", "实习单位不发补贴" in d.find_element(By.TAG_NAME, "main").text)
    finally:
        b.d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


# ---------------------------------------------------------------------------- main


def living_flow(b, server, r):
    """A small living demo city: each demo person opens every link of their menu, and the pages
    show the work the demo filled in."""
    d = b.d

    def sign_in(username):
        b.open("/login")
        b.fill("username", username)
        b.fill("password", DEMO_PASSWORD)
        b.submit("login-submit")
        r.check(f"{username} signs in", b.path() == "/", f"at {b.path()}")

    def menu_links():
        return [a.get_attribute("href")[len(b.base):] for a in d.find_elements(By.CSS_SELECTOR, "nav a")
                if a.get_attribute("href") and a.get_attribute("href").startswith(b.base)]

    def rows(selector):
        return len(d.find_elements(By.CSS_SELECTOR, selector))

    step("living demo: the public")
    b.open("/volunteer/posts")
    r.check("the public post search lists the demo's posts", rows("main table tbody tr, main li, main article") > 0)

    for username in ["demo.city", "demo.district", "demo.committee", "demo.branch", "demo.member"]:
        step(f"living demo: {username}")
        sign_in(username)
        links = [link for link in menu_links() if link not in ("/logout",)]
        r.check(f"{username} has a menu", len(links) > 1, f"{links}")
        failed = []
        for link in links:
            b.open(link)
            status = b.final_status()
            if status != 200:
                failed.append(f"{link} → {status}")
        r.check(f"{username}: every menu page answers 200 ({len(links)} pages)", not failed, "; ".join(failed))
        if username == "demo.city":
            b.open("/orglife")
            r.check("三会一课 lists branches with their compliance", rows("#compliance tbody tr") > 0)
            b.open("/members")
            r.check("the member list shows members", rows("main table tbody tr") > 0)
            b.screenshot("living-city-members")
        if username == "demo.member":
            b.open("/learn")
            r.check("the member sees 青年大学习 episodes", "期" in d.find_element(By.TAG_NAME, "main").text)
            b.screenshot("living-member-learn")
        d.delete_all_cookies()


def main():
    r = Results()
    started = time.monotonic()
    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob("*.png"):
        old.unlink()

    binary = os.environ.get("SMARTLEAGUE_BIN", ".build/debug/smartleague")
    binary = str((REPO / binary).resolve()) if not os.path.isabs(binary) else binary

    def overall(signum, frame):
        raise Overall(f"the browser test took longer than {OVERALL_TIMEOUT}s")
    signal.signal(signal.SIGALRM, overall)
    signal.alarm(OVERALL_TIMEOUT)

    workdir = tempfile.mkdtemp(prefix="smartleague-browser-")
    server = Server(binary, workdir)
    driver = None
    try:
        step("server")
        if not r.check(f"server binary exists ({binary})", os.access(binary, os.X_OK)):
            raise RuntimeError("build it first: swift build --product smartleague")
        health = server.start()
        r.check("one-time password read from the banner", server.password is not None)
        r.check(f"GET /health answers 200 ok on port {server.port}", health == "ok", f"body {health!r}")

        step("browser")
        driver = make_driver()
        print(f"    {driver.capabilities.get('browserName')} {driver.capabilities.get('browserVersion')}", flush=True)
        flow(Browser(driver, server.base, r), server, r)

        step("living demo city")
        server.stop()
        living_dir = tempfile.mkdtemp(prefix="smartleague-living-")
        server = Server(binary, living_dir, demo_members=DEMO_MEMBERS)
        health = server.start()
        r.check(f"the living demo city's server answers /health", health == "ok", f"body {health!r}")
        living_flow(Browser(driver, server.base, r), server, r)
    except Exception as error:  # any stop in the flow is one failed check, with what was on screen
        r.check("the flow ran to the end", False, f"{type(error).__name__}: {error}".splitlines()[0])
        traceback.print_exc()
        if driver is not None:
            try:
                print(f"    at {driver.current_url}", flush=True)
                driver.save_screenshot(str(SHOTS / "99-failure.png"))
                print("    shot  Tests/Browser/screenshots/99-failure.png", flush=True)
            except Exception:
                pass
        print(server.log_tail(), flush=True)
    finally:
        signal.alarm(0)
        if driver is not None:
            try:
                driver.quit()
            except Exception:
                pass
        server.stop()
        if server.proc is not None:
            r.check("server stopped", server.proc.poll() is not None)
        if os.environ.get("KEEP_TEMP") == "1":
            print(f"    kept {workdir} {server.workdir}", flush=True)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
            shutil.rmtree(server.workdir, ignore_errors=True)

    print(f"browser test took {time.monotonic() - started:.1f}s; screenshots in {SHOTS.relative_to(REPO)}/", flush=True)
    for text in r.notes:
        print(f"note: {text}", flush=True)
    print(f"{r.passed} passed, {r.failed} failed", flush=True)
    return 1 if r.failed else 0


if __name__ == "__main__":
    sys.exit(main())
