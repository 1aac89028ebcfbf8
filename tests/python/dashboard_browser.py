"""The dashboard in a real headless Chromium, driven with Selenium.

Usage: dashboard_browser.py URL AGMUX_BIN SHOTS_DIR

The agmux server (its socket from the environment) runs three agents,
a1, a2 (status active) and a3 (waiting); `agmux web` printed URL. Each step
fails with a line saying what was expected; screenshots of the overview
and of the focused terminal are saved in SHOTS_DIR.
"""

import os
import subprocess
import sys
import time

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

URL, AGMUX, SHOTS = sys.argv[1], sys.argv[2], sys.argv[3]


def agmux(*args):
    return subprocess.run([AGMUX, *args], check=True, capture_output=True, text=True).stdout


def browser():
    opts = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                "--disable-gpu", "--window-size=1600,1000"):
        opts.add_argument(arg)
    opts.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    service = Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    return webdriver.Chrome(service=service, options=opts)


def wait(driver, secs, what, cond):
    try:
        # The page redraws what changed: an element read may be replaced
        # under the reader, and is read again.
        return WebDriverWait(driver, secs, poll_frequency=0.02,
                             ignored_exceptions=(StaleElementReferenceException,)).until(lambda d: cond(d))
    except TimeoutException:
        sys.exit(f"timed out after {secs}s waiting for {what}")


def tabs(driver):
    return {b.get_attribute("data-agent"): b for b in driver.find_elements(By.CSS_SELECTOR, "#tabs button")}


def main():
    os.makedirs(SHOTS, exist_ok=True)
    driver = browser()
    try:
        driver.get(URL)
        wait(driver, 10, "three agent tabs", lambda d: len(tabs(d)) == 3)
        want = {"agent:a1": "active", "agent:a2": "active", "agent:a3": "waiting"}
        wait(driver, 5, f"tab statuses {want}", lambda d: want == {
            k: b.find_element(By.CSS_SELECTOR, ".dot").get_attribute("title") for k, b in tabs(d).items()})

        # A share appears in the activity stream within a second.
        start = time.monotonic()
        agmux("agent-share", "-t", "a1", "team", "plan=ready")
        wait(driver, 5, "the share in the activity stream", lambda d: any(
            "plan" in li.text for li in d.find_elements(By.CSS_SELECTOR, "#events li[data-agent='agent:a1']")))
        took = time.monotonic() - start
        if took > 1.0:
            sys.exit(f"the share took {took:.2f}s to appear")
        wait(driver, 5, "the shared key in the group", lambda d: d.find_elements(
            By.CSS_SELECTOR, "#groups [data-group='team'] tr[data-key='plan']"))
        wait(driver, 5, "the key's edge from its writer", lambda d: any(
            e.text == "operator → plan → (unread)"
            for e in d.find_elements(By.CSS_SELECTOR, "#groups [data-group='team'] li[data-edge='plan']")))

        # Filtering to one agent hides the others.
        agmux("agent-share", "-t", "a2", "team", "other=1")
        wait(driver, 5, "a2's share", lambda d: d.find_elements(By.CSS_SELECTOR, "#events li[data-agent='agent:a2']"))
        Select(driver.find_element(By.ID, "who")).select_by_value("agent:a2")
        shown = driver.execute_script(
            "return [...document.querySelectorAll('#events li')].map(li => li.dataset.agent)")
        if not shown or set(shown) != {"agent:a2"}:
            sys.exit(f"filtered to a2, the stream shows {shown}")
        Select(driver.find_element(By.ID, "who")).select_by_value("all")
        driver.save_screenshot(os.path.join(SHOTS, "overview.png"))

        # Clicking a tab shows that agent's screen.
        wait(driver, 5, "a click on a1's tab", lambda d: tabs(d)["agent:a1"].click() or True)
        wait(driver, 10, "a1's screen", lambda d: "a1 ready" in d.find_element(By.ID, "term").text)

        # Typing in the terminal goes to the pane.
        term = driver.find_element(By.ID, "term")
        term.click()
        term.send_keys("echo hi", Keys.ENTER)

        def pane_says_hi(_):
            return "hi" in agmux("capture-pane", "-p", "-t", "a1").splitlines()
        wait(driver, 10, "hi in a1's pane", pane_says_hi)
        wait(driver, 10, "hi on the dashboard's terminal", lambda d: any(
            r.text.rstrip() == "hi" for r in d.find_elements(By.CSS_SELECTOR, "#term .row")))
        term.screenshot(os.path.join(SHOTS, "terminal.png"))

        # Alt+3 focuses the third agent.
        driver.find_element(By.TAG_NAME, "body").send_keys(Keys.ALT, "3")
        wait(driver, 10, "a3 focused by Alt+3", lambda d: "a3 ready" in d.find_element(By.ID, "term").text)
        print("ok")
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
