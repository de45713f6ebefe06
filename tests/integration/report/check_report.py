#!/usr/bin/env python3
"""The demo report in headless Chromium, in English and Brazilian Portuguese
(docs/report.md): a full-page PNG of each (and one in dark mode) saved in
WORKDIR, no network request and no console message, no two labels of a chart
overlapping, and every chart mark equal to the kpis value it draws, one mark
per period of the chart's window; the cohort heatmap's cells equal
cohort_retention.   usage: check_report.py CSKPI WORKDIR CHROMIUM"""
import base64
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cdp import Browser  # noqa: E402

cskpi, work, chromium = sys.argv[1], sys.argv[2], (sys.argv[3] if len(sys.argv) > 3 else "")
if not chromium or chromium.endswith("NOTFOUND") or not os.path.exists(chromium):
    print("chromium not installed: browser test skipped")
    sys.exit(77)
os.makedirs(work, exist_ok=True)
AS_OF = "2026-11-30"
db = os.path.join(work, "demo.sqlite")
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
        print("FAIL:", what)


def run(*args):
    return subprocess.run([cskpi, *args], check=True, capture_output=True, text=True, cwd=work).stdout


# The demo ERP and both reports (the second run reuses the ERP as it is:
# --no-activity, so both pages show the data computed below).
if os.path.exists(db):
    os.remove(db)
pages = {}
for lang in ("en", "pt-BR"):
    html = os.path.join(work, "report-%s.html" % lang)
    run("demo", "--db", db, "--customers", "800", "--as-of", AS_OF, "--lang", lang, "--html", html,
        "--report", os.path.join(work, "report.md"), "--no-activity")
    pages[lang] = html

# The numbers the charts must draw, through the same command (the demo's configuration).
config = os.path.join(work, "demo.json")
with open(config, "w") as f:
    json.dump({"source": {"backend": "sqlite3", "connection": "db=" + db, "profile": "demo"},
               "timezone": "America/Sao_Paulo", "granularity": "month",
               "sla_hours": {"urgent": 8, "high": 24, "default": 72}, "calendar": {"holiday_sets": ["BR"]}}, f)
kpis = json.loads(run("compute", "--config", config, "--as-of", AS_OF, "--json"))
value = {(r["kpi"], r["period_start"]): r["value"] for r in kpis if r["segment"] == "all"}
complete = sorted({r["period_start"] for r in kpis if not r["partial"]})
window = complete[-24:]
cohorts = json.loads(run("compute", "--config", config, "--as-of", AS_OF, "--table", "cohort_retention", "--json"))
cohort_rate = {(r["cohort_start"], r["period_offset"]): r["rate"] for r in cohorts if r["segment"] == "all"}

# What the page draws, read in the browser after layout.
PROBE = r"""JSON.stringify((() => {
  const marks = [...document.querySelectorAll('figure.chart .mark[data-period]')].map(e => ({
    figure: e.closest('figure').id, kpi: e.dataset.kpi, period: e.dataset.period,
    offset: e.dataset.offset === undefined ? null : +e.dataset.offset, value: e.dataset.value}));
  const overlaps = [], outside = [];
  for (const svg of document.querySelectorAll('svg')) {
    const box = svg.getBoundingClientRect();
    const texts = [...svg.querySelectorAll('text')].map(t => ({s: t.textContent, b: t.getBoundingClientRect()}));
    for (const t of texts)
      if (t.b.left < box.left - 1 || t.b.right > box.right + 1) outside.push([svg.id || svg.closest('figure').id, t.s]);
    for (let i = 0; i < texts.length; i++)
      for (let j = i + 1; j < texts.length; j++) {
        const a = texts[i].b, b = texts[j].b;
        if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5)
          overlaps.push([svg.id || svg.closest('figure').id, texts[i].s, texts[j].s]);
      }
  }
  return {marks, overlaps, outside, charts: [...document.querySelectorAll('figure.chart')].map(f => f.id),
          lang: document.documentElement.lang, height: document.documentElement.scrollHeight,
          unavailable: document.querySelectorAll('.unavailable').length};
})())"""


def open_page(browser, path, dark):
    target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    s = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for domain in ("Page", "Network", "Runtime", "Log"):
        browser.send(domain + ".enable", session=s)
    browser.send("Emulation.setDeviceMetricsOverride",
                 {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}, session=s)
    browser.send("Emulation.setEmulatedMedia",
                 {"features": [{"name": "prefers-color-scheme", "value": "dark" if dark else "light"}]}, session=s)
    url = "file://" + os.path.abspath(path)
    browser.send("Page.navigate", {"url": url}, session=s)
    browser.wait_event("Page.loadEventFired", session=s)
    probe = json.loads(browser.send("Runtime.evaluate", {"expression": PROBE, "returnByValue": True},
                                    session=s)["result"]["value"])
    shot = browser.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
                                                   "clip": {"x": 0, "y": 0, "width": 1280,
                                                            "height": probe["height"], "scale": 1}}, session=s)
    return s, url, probe, base64.b64decode(shot["data"])


def page_events(browser, session, url):
    requests = [e["params"]["request"]["url"] for e in browser.events
                if e.get("sessionId") == session and e.get("method") == "Network.requestWillBeSent"
                and e["params"]["request"]["url"] != url]
    console = [e for e in browser.events if e.get("sessionId") == session and e.get("method") in
               ("Runtime.consoleAPICalled", "Runtime.exceptionThrown", "Log.entryAdded")]
    return requests, console


def check_marks(lang, probe):
    seen = {}
    for m in probe["marks"]:
        if m["offset"] is not None:  # a heatmap cell: cohort_retention / cohort_revenue
            if m["kpi"] == "cohort_retention":
                check(float(m["value"]) == cohort_rate.get((m["period"], m["offset"])),
                      "%s: cohort %s +%d is %s, table %s" % (lang, m["period"], m["offset"], m["value"],
                                                          cohort_rate.get((m["period"], m["offset"]))))
            continue
        key = (m["figure"], m["kpi"])
        check(m["period"] not in seen.setdefault(key, set()), "%s: two marks of %s in %s" % (lang, key, m["period"]))
        seen[key].add(m["period"])
        expected = value.get((m["kpi"], m["period"]))
        check(expected is not None and float(m["value"]) == expected,
              "%s: %s %s draws %s, kpis has %s" % (lang, m["kpi"], m["period"], m["value"], expected))
    for (figure, kpi), periods in seen.items():
        drawn = {p for p in window if value.get((kpi, p)) is not None}
        check(periods == drawn, "%s: %s/%s marks %d periods, the window has %d with values"
              % (lang, figure, kpi, len(periods), len(drawn)))
    for kpi in ("customers_new", "customers_churned", "churn_rate", "nrr", "new_revenue", "tickets_opened",
                "ttr_business_hours_p90", "sla_breach_rate", "nps"):
        check(any(k == kpi for _, k in seen), "%s: no chart draws %s" % (lang, kpi))
    return sum(len(p) for p in seen.values())


browser = Browser(chromium)
try:
    for lang, path in pages.items():
        for dark in ((False, True) if lang == "en" else (False,)):
            name = "report-%s%s" % (lang, "-dark" if dark else "")
            session, url, probe, png = open_page(browser, path, dark)
            with open(os.path.join(work, name + ".png"), "wb") as f:
                f.write(png)
            requests, console = page_events(browser, session, url)
            check(not requests, "%s: network requests %s" % (name, requests))
            check(not console, "%s: console messages %s" % (name, console))
            check(not probe["overlaps"], "%s: overlapping labels %s" % (name, probe["overlaps"][:5]))
            check(not probe["outside"], "%s: labels outside their chart %s" % (name, probe["outside"][:5]))
            check(probe["lang"] == lang, "%s: html lang %s" % (name, probe["lang"]))
            check(probe["unavailable"] == 0, "%s: a section says not available on the demo" % name)
            marks = check_marks(name, probe)
            print("%s: %d charts, %d marks checked, %d px tall, screenshot %s.png"
                  % (name, len(probe["charts"]), marks, probe["height"], name))
finally:
    browser.close()

if failures:
    print("%d failures" % len(failures))
    sys.exit(1)
print("report in the browser: all checks passed")
