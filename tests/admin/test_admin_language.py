"""The admin speaks Bahasa Indonesia through and through: no page an official reaches shows
one of unfold's own English strings.

unfold ships no Indonesian (and this release no .po at all), so its msgids are read at test
time from its installed sources (templates and Python), the way makemessages finds them; an
unfold upgrade that adds a string fails here until locale/id/ translates it. The walk covers
every registered ModelAdmin: the list with rows and its filter panel, the list filtered to
nothing, the add form, the change form and the history page of a row, and the dashboard,
as a superuser and as a regency official, under the default language (id)."""

import ast
import datetime
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import unfold
from django.contrib import admin
from django.contrib.auth.models import Group as AuthGroup
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django_celery_beat.models import ClockedSchedule, CrontabSchedule, IntervalSchedule, SolarSchedule

from api.tokens import issue_token
from reports.models import ReportDelivery, ReportRecipient

# Single words too plain to flag ("No" is in every address, "To", "Name", "Code"...) are left
# out; these are the single words that can only be unfold's English.
DISTINCTIVE_WORDS = {
    "Filters", "Run", "Light", "Dark", "System", "Collapse", "Export", "Import", "Submit",
    "Cancel", "Previous", "Next", "Changes", "Skipped", "Save", "Delete", "History", "Remove",
    "Update", "Unknown", "Summary", "Objects", "Comment", "Revert", "Close", "General", "Edit",
    "Undo", "Redo", "Paragraph", "Heading", "Unlink",
}  # fmt: skip
# Phrases written the same in Indonesian, which a correct page may show.
SAME_IN_INDONESIAN: set[str] = set()

TEMPLATE_TRANS = re.compile(r"""\{%\s*(?:trans|translate)\s+(["'])(.*?)\1""")
TEMPLATE_UNDERSCORE = re.compile(r"""\b_\((["'])(.*?)\1\)""")
BLOCKTRANS = re.compile(
    r"\{%\s*blocktrans(?:late)?\b([^%]*)%\}(.*?)\{%\s*endblocktrans(?:late)?\s*%\}", re.DOTALL
)
PYTHON_CALL = re.compile(
    r"""\b(?:_|gettext|gettext_lazy|ngettext|ngettext_lazy|pgettext|pgettext_lazy)\(\s*"""
    r"""(?:(["'])(?:.*?)\1\s*,\s*)?(["'])((?:\\.|(?!\2).)*)\2"""
)
# what interrupts a msgid's fixed text: a placeholder, a variable, markup
BREAKS = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\}|\{\{.*?\}\}|\{%.*?%\}|<[^>]+>")


def unfold_msgids() -> set[str]:
    root = Path(unfold.__file__).parent
    found: set[str] = set()
    for path in root.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        found.update(m.group(2) for m in TEMPLATE_TRANS.finditer(text))
        found.update(m.group(2) for m in TEMPLATE_UNDERSCORE.finditer(text))
        for options, body in BLOCKTRANS.findall(text):
            for part in body.split("{% plural %}"):
                found.add(" ".join(part.split()) if "trimmed" in options else part)
    for path in root.rglob("*.py"):
        for match in PYTHON_CALL.finditer(path.read_text(encoding="utf-8")):
            found.add(ast.literal_eval(match.group(2) + match.group(3) + match.group(2)))
    return found


def english_phrases() -> list[str]:
    """The fixed runs of text of unfold's msgids worth flagging: two words or more, or a
    distinctive single word."""
    phrases = set()
    for msgid in unfold_msgids():
        for segment in BREAKS.split(msgid):
            segment = " ".join(segment.split()).strip(" .:,'\"")
            words = re.findall(r"[A-Za-z’']+", segment)
            if len(words) >= 2 or segment in DISTINCTIVE_WORDS:
                phrases.add(segment)
    return sorted(phrases - SAME_IN_INDONESIAN, key=len, reverse=True)


class TextOf(HTMLParser):
    """What a user reads or hears: text outside scripts and styles, and the attributes a
    browser shows (placeholder, title) or reads aloud (aria-label, alt)."""

    ATTRIBUTES = {"placeholder", "title", "aria-label", "alt"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self.skipping += 1
        for name, value in attrs:
            if value and (name in self.ATTRIBUTES or (name == "value" and tag == "input")):
                if name != "value" or dict(attrs).get("type") in {"submit", "button"}:
                    self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self.skipping = max(0, self.skipping - 1)

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def text_parts(html: str) -> list[str]:
    parser = TextOf()
    parser.feed(html)
    return parser.parts


class English:
    """Finds unfold's English in a page: a phrase anywhere in its text, a single word only as
    a whole label (a button "Run", a heading "Filters"), not inside another app's sentence."""

    def __init__(self, phrases: list[str]):
        self.words = {p for p in phrases if " " not in p}
        self.phrases = re.compile("|".join(rf"(?<![\w]){re.escape(p)}(?![\w])" for p in phrases if " " in p))

    def found(self, html: str) -> set[str]:
        parts = text_parts(html)
        labels = {" ".join(part.split()).strip(" .:") for part in parts}
        return set(self.phrases.findall(" ".join(" ".join(parts).split()))) | (labels & self.words)


@pytest.fixture(scope="module")
def english() -> English:
    phrases = english_phrases()
    assert {"Filters", "Apply Filters", "Type to search", "Select all rows", "Reset filters"} <= set(phrases)
    return English(phrases)


@pytest.fixture
def every_model_has_a_row(world, superuser, regency_official):
    """A row behind every registered admin, so each change form and history page renders."""
    recipient = ReportRecipient.objects.create(
        region_code="36.01", title="Bupati Pandeglang", name="Bupati", email="bupati@pandeglangkab.go.id"
    )
    ReportDelivery.objects.create(
        recipient=recipient, period=datetime.date(2024, 6, 1), status="failed", last_error="SMTP 421"
    )
    issue_token(user=superuser)
    IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.DAYS)
    CrontabSchedule.objects.get_or_create(minute="0", hour="7", day_of_month="1")
    SolarSchedule.objects.get_or_create(event="sunrise", latitude=-6.12, longitude=106.15)
    ClockedSchedule.objects.create(clocked_time=datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC))
    assert AuthGroup.objects.exists()


def empty_query(model) -> str:
    """A filter no row passes: the pk lookup Django allows on every list."""
    pk = model._meta.pk
    value = "-1" if pk.get_internal_type().endswith("AutoField") else "tidak-ada"
    return f"?{pk.attname}={value}"


def admin_pages(client: Client) -> list[str]:
    """Every admin URL this user reaches: per registered admin its list, the list filtered to
    nothing, the add form, the change form and the history of its first row."""
    urls = [reverse("admin:index"), reverse("admin:password_change")]
    for model in admin.site._registry:
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        listing = client.get(reverse(f"{name}_changelist"))
        if listing.status_code == 403:
            continue
        assert listing.status_code == 200, (name, listing.status_code)
        urls += [reverse(f"{name}_changelist"), reverse(f"{name}_changelist") + empty_query(model)]
        try:
            urls.append(reverse(f"{name}_add"))
        except NoReverseMatch:
            pass
        rows = listing.context["cl"].result_list
        if rows:
            urls += [
                reverse(f"{name}_change", args=[rows[0].pk]),
                reverse(f"{name}_history", args=[rows[0].pk]),
            ]
    return urls


@pytest.mark.parametrize("who", ["superuser", "regency_official"])
def test_it_shows_no_english_string_of_unfold_on_any_admin_page(who, request, english, every_model_has_a_row):
    """Lists (with rows, filters and empty), add and change forms, history pages and the
    dashboard are Indonesian: each English phrase found is named with its URL."""
    client = Client()
    client.force_login(request.getfixturevalue(who))
    found = []
    pages = admin_pages(client)
    for url in pages:
        response = client.get(url)
        if response.status_code == 403:  # add or change not allowed for this official
            continue
        assert response.status_code == 200, (url, response.status_code)
        for phrase in sorted(english.found(response.content.decode())):
            found.append(f"{phrase!r} on {url}")
    assert len(pages) > 40
    assert not found, "\n".join(found)


def test_it_shows_the_login_page_in_indonesian(db, english):
    """The admin's sign-in page, before anyone is signed in."""
    html = Client().get(reverse("admin:login")).content.decode()
    assert not english.found(html), english.found(html)
    assert "Masuk" in html
