"""What every page a browser walk visits must pass, at 360 px and at 1280 px: it fits its
width (no sideways scroll), axe-core (shipped inside axe-playwright-python; nothing is
fetched) finds no violation of impact "serious" or "critical", and the browser reported no
breach of the Content-Security-Policy on any page of the walk so far (`watch_csp`)."""

from axe_playwright_python.sync_playwright import Axe

BLOCKING = {"serious", "critical"}
_axe = Axe()


# Runs in every document before its own scripts (added through DevTools, so the page's
# policy does not block it) and keeps what the browser refused.
CSP_LISTENER = """
document.addEventListener('securitypolicyviolation', (e) => {
  (window.__cspViolations = window.__cspViolations || []).push(
    `${e.effectiveDirective} refused ${e.blockedURI || 'inline'} on ${location.pathname}`
    + (e.sourceFile ? ` (${e.sourceFile}:${e.lineNumber})` : ''));
});
"""


def watch_csp(page) -> None:
    """Record every CSP breach on this page, across navigations: the browser's own console
    line ("Refused to ...") and the securitypolicyviolation event."""
    page._csp_breaches = []
    page.add_init_script(CSP_LISTENER)

    def on_console(message) -> None:
        if "Content Security Policy" in message.text:
            page._csp_breaches.append(f"{page.url}: {message.text[:300]}")

    page.on("console", on_console)


def csp_breaches(page) -> list[str]:
    seen = list(getattr(page, "_csp_breaches", []))
    seen += page.evaluate("window.__cspViolations || []")
    return seen


def violations(page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now, one line each,
    and any breach of the Content-Security-Policy seen so far."""
    found = _axe.run(page).response["violations"]
    return csp_breaches(page) + [
        f"{v['impact']}: {v['id']} ({v['help']}) at "
        + ", ".join(f"{n['target']} {n.get('html', '')[:120]}" for n in v["nodes"][:3])
        for v in found
        if v.get("impact") in BLOCKING
    ]


def overflow(page) -> str | None:
    """None when the page fits the viewport's width, else what is too wide."""
    width = page.viewport_size["width"]
    scroll = page.evaluate("document.documentElement.scrollWidth")
    if scroll <= width:
        return None
    widest = page.evaluate(
        """(w) => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > w + 1)
            .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
              + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ')[0] : ''))""",
        width,
    )
    return f"{scroll} px wide at {width} px: {', '.join(widest)}"


def audit(page, name: str) -> None:
    problems = [*violations(page)]
    too_wide = overflow(page)
    if too_wide:
        problems.append(too_wide)
    width = page.viewport_size["width"]
    assert not problems, f"{name} at {width} px:\n  " + "\n  ".join(problems)
