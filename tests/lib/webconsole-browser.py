#!/usr/bin/python3
"""webconsole-browser.py: suite 34-xend-web's browser half.

Drives Debian's headless Chromium through chromedriver's WebDriver HTTP
API (plain urllib: the W3C protocol is a few JSON requests) against
xend-sim's web console, as a user would: the login page refuses a wrong
token, the right one shows the domain list, a domain's page draws charts
with data points (in the DOM, and a screenshot of the chart that is not
blank), and its Pause button pauses the domain (checked with xenctl).

Usage: webconsole-browser.py URL TOKEN-FILE XENCTL SOCKET DOMAIN TMPDIR
Prints one line per case: "ok NAME", "not ok NAME: WHY" or
"skip NAME: WHY" (Chromium could not start here); the suite turns
them into PASS/FAIL/SKIP.  Exit 0 unless something unexpected broke.
Every wait is a bounded poll (at most POLLS tries), so it always ends.
"""
import base64
import json
import os
import socket
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zlib

POLLS = 300          # tries of 0.2 s: generous for a loaded 2-core host
ELEM = "element-6066-11e4-a52e-4f735466cecb"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Driver:
    def __init__(self, port):
        self.base = "http://127.0.0.1:%d" % port
        self.sid = None

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=120) as r:
                return json.load(r)["value"]
        except urllib.error.HTTPError as e:
            raise RuntimeError(e.read().decode(errors="replace")[:400])

    def s(self, method, path, body=None):
        return self.call(method, "/session/%s%s" % (self.sid, path), body)

    def go(self, url):
        self.s("POST", "/url", {"url": url})

    def find(self, css):
        """The elements matching css (maybe none)."""
        return [next(iter(e.values())) for e in self.s("POST", "/elements",
                                         {"using": "css selector", "value": css})]

    def js(self, script, *args):
        return self.s("POST", "/execute/sync", {"script": script, "args": list(args)})

    def wait_js(self, script):
        """Poll script until it returns something true; that, or None."""
        for _ in range(POLLS):
            v = self.js(script)
            if v:
                return v
            time.sleep(0.2)
        return None


def png_pixels(png):
    """(width, height, set of distinct RGB colours) of an 8-bit RGB/RGBA
    PNG, decoded here with zlib so no imaging library is needed."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, w = 8, b"", 0
    while pos < len(png):
        n, kind = struct.unpack(">I4s", png[pos:pos + 8])
        chunk = png[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", chunk[:10])
            assert depth == 8 and ctype in (2, 6), "unexpected PNG type"
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + n
    raw, stride, prev, colours = zlib.decompress(idat), w * bpp, None, set()
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        prev = prev or bytearray(stride)
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        for x in range(0, stride, bpp):
            colours.add(bytes(line[x:x + 3]))
        prev = line
    return w, h, colours


def main():
    url, token_file, xenctl, sock, dom, tmp = sys.argv[1:7]
    token = open(token_file).read().strip()

    def report(name, ok, why=""):
        print("ok %s" % name if ok else "not ok %s: %s" % (name, why))
        sys.stdout.flush()

    def state():
        out = subprocess.run([xenctl, "-s", sock, "info", dom, "--json"],
                             capture_output=True, text=True, timeout=60).stdout
        try:
            return json.loads(out)["domain"]["state"]
        except (ValueError, KeyError, IndexError):
            return out

    port = free_port()
    log = open(os.path.join(tmp, "chromedriver.log"), "w")
    cd = subprocess.Popen(["/usr/bin/chromedriver", "--port=%d" % port],
                          stdout=log, stderr=log)
    d = Driver(port)
    try:
        for _ in range(POLLS):
            try:
                if d.call("GET", "/status")["ready"]:
                    break
            except Exception:
                pass
            time.sleep(0.2)
        try:
            caps = {"capabilities": {"alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": {
                    "binary": "/usr/bin/chromium",
                    "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                             "--disable-dev-shm-usage", "--window-size=1200,1400",
                             "--user-data-dir=" + os.path.join(tmp, "chromium")]}}}}
            r = d.call("POST", "/session", caps)
            d.sid = r["sessionId"]
        except Exception as e:
            print("skip browser: Chromium did not start: %s" % str(e).replace("\n", " ")[:300])
            return 0

        # Login refused without the token.
        d.go(url + "/")
        ok = bool(d.find("#secret")) and not d.find("#domains")
        report("browser: without a session the page is the login form, no domain list", ok,
               "page: " + str(d.js("return document.body.innerText"))[:200])
        box = d.find("#secret")[0]
        d.s("POST", "/element/%s/value" % box, {"text": "0" * 64})
        d.s("POST", "/element/%s/click" % d.find("#login-button")[0], {})
        err = d.wait_js("const e = document.getElementById('login-error'); return e && e.textContent")
        ok = bool(err) and not d.find("#domains")
        report("browser: a wrong token is refused", ok, "login error: %r" % err)
        cookies = d.s("GET", "/cookie")
        report("browser: no session cookie after the refusal", not cookies, str(cookies))

        # The right token: the list shows the domains.
        box = d.find("#secret")[0]
        d.s("POST", "/element/%s/value" % box, {"text": token})
        d.s("POST", "/element/%s/click" % d.find("#login-button")[0], {})
        names = d.wait_js("const r = [...document.querySelectorAll('#domains tbody tr')]"
                          ".map(t => t.dataset.domain); return r.includes('%s') ? r : null" % dom)
        report("browser: after login the list shows the domains", bool(names) and "Domain-0" in names,
               "rows: %r" % names)
        cookies = d.s("GET", "/cookie")
        c = [x for x in cookies if x["name"] == "xend_session"]
        report("browser: the session cookie is HttpOnly and SameSite=Strict",
               bool(c) and c[0].get("httpOnly") and c[0].get("sameSite") == "Strict", str(c))
        readable = d.js("return document.cookie")
        report("browser: page scripts cannot read the session cookie", "xend_session" not in readable,
               readable)

        # A domain's page: charts with data points.
        d.go(url + "/domain?name=" + dom)
        n = d.wait_js("const c = document.querySelector('#chart-mem');"
                      "return c && c.querySelector('canvas') && Number(c.dataset.points) > 0 "
                      "&& Number(document.querySelector('#chart-cpu').dataset.points) > 0 "
                      "? [c.dataset.points, document.querySelector('#chart-cpu').dataset.points] : null")
        report("browser: the CPU and memory charts render with data points (uPlot canvas)", bool(n),
               "status: %s" % d.js("return document.getElementById('status').textContent"))
        legend = d.js("return [...document.querySelectorAll('#chart-mem .u-legend .u-label')]"
                      ".map(e => e.textContent)")
        report("browser: the memory chart is uPlot's, with its legend", "memory MiB" in (legend or []),
               str(legend))
        canvas = d.find("#chart-mem canvas")
        if canvas:
            shot = base64.b64decode(d.s("GET", "/element/%s/screenshot" % canvas[0]))
            open(os.path.join(tmp, "chart-mem.png"), "wb").write(shot)
            try:
                w, h, colours = png_pixels(shot)
                report("browser: a screenshot of the memory chart is a PNG that is not blank",
                       w > 100 and h > 100 and len(colours) >= 3,
                       "%dx%d, %d colours" % (w, h, len(colours)))
            except Exception as e:
                report("browser: a screenshot of the memory chart is a PNG that is not blank", False,
                       str(e))
        else:
            report("browser: a screenshot of the memory chart is a PNG that is not blank", False,
                   "no canvas")

        # The whole page, kept with the logs for a human to look at.
        open(os.path.join(tmp, "domain-page.png"), "wb").write(
            base64.b64decode(d.s("GET", "/screenshot")))

        # The Pause button pauses the domain (xenctl sees it).
        before = state()
        d.wait_js("return document.getElementById('state').textContent === 'running'")
        d.s("POST", "/element/%s/click" % d.find("#pause")[0], {})
        after = None
        for _ in range(POLLS):
            after = state()
            if after == "paused":
                break
            time.sleep(0.2)
        report("browser: the Pause button pauses the domain (xenctl info says paused)",
               before == "running" and after == "paused", "before %r, after %r" % (before, after))
        shown = d.wait_js("return document.getElementById('state').textContent === 'paused' "
                          "&& document.getElementById('status').textContent")
        report("browser: the page then shows it paused", bool(shown) and "pause: done" in shown,
               str(shown))
        d.s("DELETE", "")
        d.sid = None
    finally:
        if d.sid:
            try:
                d.s("DELETE", "")
            except Exception:
                pass
        cd.terminate()
        try:
            cd.wait(timeout=30)
        except subprocess.TimeoutExpired:
            cd.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
