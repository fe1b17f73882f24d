"""What every page a browser walk visits must pass, at 360 px and at 1280 px: it fits its
width (no sideways scroll) and axe-core (shipped inside axe-playwright-python; nothing is
fetched) finds no violation of impact "serious" or "critical"."""

from axe_playwright_python.sync_playwright import Axe

BLOCKING = {"serious", "critical"}
_axe = Axe()


def violations(page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now, one line each."""
    found = _axe.run(page).response["violations"]
    return [
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
