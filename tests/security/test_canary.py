"""The canary walk (issue 11, "Prove that no door leaks").

Village A's officials (its village head and cadre, the camat of its district, the regent's
official of its regency) walk every URL pattern of the project, found by walking the URL
resolver: every admin view of every registered model (list, add, change, history, delete,
the per-version history, custom views), the admin's autocomplete for every autocomplete
field, every API resource (list, search by POST, detail, actions), every page, each with
the path parameters filled with ids of the foreign villages' rows, of A's rows and of ids
that do not exist. No response (HTML, JSON, XLSX, CSV, PDF, SVG) may hold a canary of a
village the reader may not see, and an out-of-region id must answer exactly as a missing
id: the same status and the same body once the id itself is set aside.

A pattern the walk cannot classify fails `test_it_classifies_every_url_pattern`: a new view
is either given the models its parameters name (so the walk fills them) or allowlisted
here with the reason it holds no personal data.
"""

import io
import json
import re
import zipfile

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client

from tests.security.doors import Door, model_admin_of, walk
from tests.security.world import World, build_world

MISSING = 987_654_321  # no row of any table has this id

# Patterns with no personal data behind them, each with the reason. They are still
# requested (without parameters) and their bodies checked for canaries.
NO_PERSONAL_DATA = {
    "favicon.ico": "a redirect to a static file",
    "i18n/setlang/": "sets the language cookie (POST only)",
    "admin/login/": "the sign-in form",
    "admin/logout/": "signs out (skipped: it would end the walk's session)",
    "admin/password_change/": "the user's own password form",
    "admin/password_change/done/": "a confirmation page",
    "admin/jsi18n/": "the admin's translated JavaScript strings",
    "admin/<url>": "the admin's catch-all: a redirect or 404 for unknown paths",
    "admin/": "the admin index: model names and counts are links only",
    "admin/<app_label>/": "an app's index: model names only (filled with each app label)",
    "api/v1/": "the API root: resource names",
    "api/v1/schema/": "the OpenAPI schema: no rows",
    "api/v1/docs/": "the Swagger page: no rows",
    "api/v1/auth/token/": "obtains a token by password (POST only)",
    "masuk/": "the sign-in form",
    "keluar/": "signs out (skipped: it would end the walk's session)",
    "ganti-sandi/": "the user's own password form",
    "verifikasi/": "the user's own second-factor code form",
    "verifikasi/daftar/": "the user's own second-factor enrolment",
}
SKIPPED = {"admin/logout/", "keluar/"}  # the schema and docs: generated from code, slow

# Reference tables, the same for every region and holding no personal data: filled with
# one row's id; they need not 404 anywhere.
REFERENCE_MODELS = {
    "regions.regency",
    "regions.district",
    "regions.village",
    "regions.regionlistload",
    "programs.program",
    "auth.group",
    "django_celery_beat.periodictask",
    "django_celery_beat.clockedschedule",
    "django_celery_beat.crontabschedule",
    "django_celery_beat.solarschedule",
    "django_celery_beat.intervalschedule",
}

# Pages and API views: the model each path parameter names.
PAGE_PARAMS = {
    "household_detail": {"pk": "beneficiaries.household"},
    "case_open": {"pk": "beneficiaries.household"},
    "household_edit": {"pk": "beneficiaries.household"},
    "member_add": {"pk": "beneficiaries.household"},
    "member_edit": {"pk": "beneficiaries.household", "person_pk": "beneficiaries.person"},
    "member_left": {"pk": "beneficiaries.household", "person_pk": "beneficiaries.person"},
    "head_change": {"pk": "beneficiaries.household"},
    "assistance_create": {"pk": "beneficiaries.case"},
    "move_create": {"pk": "beneficiaries.case"},
    "move_detail": {"pk": "beneficiaries.stagetransition"},
    "move_decide": {"pk": "beneficiaries.stagetransition"},
    "group_detail": {"pk": "beneficiaries.group"},
    "group_member_add": {"pk": "beneficiaries.group"},
    "group_member_remove": {"pk": "beneficiaries.group", "household_pk": "beneficiaries.household"},
    "group_member_restore": {"pk": "beneficiaries.group", "household_pk": "beneficiaries.household"},
    "activity_detail": {"pk": "beneficiaries.activity"},
    "growth_measure": {"person_pk": "beneficiaries.person.child"},
    "child_detail": {"pk": "beneficiaries.person.child"},
    "child_chart": {"pk": "beneficiaries.person.child", "indicator": "haz"},
    "business_create": {"pk": "beneficiaries.household"},
    "enrolment_create": {"pk": "beneficiaries.household"},
    "followup_create": {"pk": "beneficiaries.business"},
    "capital_help_create": {"pk": "beneficiaries.business"},
    "capital_help_step": {"pk": "beneficiaries.capitalhelp"},
}
API_BASENAMES = {
    "household": "beneficiaries.household",
    "person": "beneficiaries.person",
    "case": "beneficiaries.case",
    "move": "beneficiaries.stagetransition",
    "assistance": "beneficiaries.assistance",
    "group": "beneficiaries.group",
    "enterprise": "beneficiaries.enterprise",
    "capital-access": "beneficiaries.capitalaccess",
    "activity": "beneficiaries.activity",
    "measurement": "beneficiaries.measurement",
    "followup": "beneficiaries.growthfollowup",
    "business": "beneficiaries.business",
    "capital-help": "beneficiaries.capitalhelp",
    "women-enrolment": "beneficiaries.womenenrolment",
    "partner": "programs.partner",
    "program": "programs.program",
    "token": "api.apitoken",
}
API_EXTRA_PARAMS = {"household": "beneficiaries.household"}
REGION_BASENAMES = {"regency", "district", "village"}  # public reference, by code
# Admin views whose name does not say their model.
ADMIN_NAMES = {"admin:auth_user_password_change": "regions.user"}
# Site-wide views the walk gives their own requests.
ADMIN_SITE_VIEWS = {
    "admin:index",
    "admin:search",
    "admin:autocomplete",
    "admin:view_on_site",
    "admin:app_list",
    "admin:reports_preview",
}
PAGE_LISTS = {
    "home",
    "attention_list",
    "event_list",
    "household_list",
    "household_create",
    "move_list",
    "group_list",
    "group_create",
    "activity_list",
    "activity_create",
    "growth_session",
    "search_ref",
    "women_programme",
}
API_LISTS = {"api:growth-coverage", "api:tokens"}


def admin_model_label(door: Door) -> str | None:
    """The model of an admin view: its ModelAdmin, else the name's `app_model_` prefix."""
    if door.name in ADMIN_NAMES:
        return ADMIN_NAMES[door.name]
    model_admin = model_admin_of(door)
    if model_admin is not None:
        return model_admin.model._meta.label_lower
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        if door.name.startswith(prefix):
            return model._meta.label_lower
    return None


def api_basename(door: Door) -> str:
    """The router's basename: the longest known one the name starts with."""
    name = door.name.removeprefix("api:")
    known = [b for b in (*API_BASENAMES, *REGION_BASENAMES) if name.startswith(b + "-")]
    return max(known, key=len) if known else name.rsplit("-", 1)[0]


def params_of(door: Door) -> dict[str, str] | None:
    """The model (label) each path parameter of a door names; None: not classified."""
    if door.route in NO_PERSONAL_DATA or door.name in ADMIN_SITE_VIEWS:
        return {p: "handled apart" for p in door.params}  # see walk_admin_site_view
    if door.route.startswith("admin/"):
        label = admin_model_label(door)
        if label is None:
            return None
        return {p: (f"{label}.history" if p == "history_id" else label) for p in door.params}
    if door.name.startswith("api:"):
        if door.name in API_LISTS:
            return {}
        if door.name == "api:token-detail":
            return {"pk": "api.apitoken"}
        basename = api_basename(door)
        if basename in REGION_BASENAMES:
            return {p: f"regions.{basename}" for p in door.params}
        if basename not in API_BASENAMES:
            return None
        return {p: API_EXTRA_PARAMS.get(p, API_BASENAMES[basename]) for p in door.params}
    if door.name in PAGE_LISTS:
        return {}
    return PAGE_PARAMS.get(door.name)


def test_it_classifies_every_url_pattern():
    """Every pattern of the project is either walked with its parameters filled or on the
    allowlist with a reason; a new unscoped view cannot slip past the canary walk."""
    unclassified = [
        door.route
        for door in walk()
        if (params := params_of(door)) is None or set(params) != set(door.params)
    ]
    assert unclassified == []


# ---------------------------------------------------------------------------- the world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> World:
    """Built once for the module inside a transaction that is rolled back at the end; each
    test runs in a savepoint inside it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = build_world()
            _plant_extras(built)
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _plant_extras(world: World) -> None:
    """Rows outside the case work that still name a person: second-factor devices, API
    tokens, sign-in attempts and the history rows of everything above."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from api.tokens import issue_token

    for village in (world.a, *world.foreign.values()):
        user = village.rows["regions.user"]
        device = TOTPDevice.objects.create(user=user, name=f"HP {user.username}", confirmed=True)
        issue_token(user=user)
        token = user.api_tokens.get()
        village.rows["otp_totp.totpdevice"] = device
        village.rows["api.apitoken"] = token
        attempt = {
            "username": user.username,
            "ip_address": "10.0.0.9",
            "user_agent": "x",
            "path_info": "/masuk/",
        }
        village.rows["axes.accessattempt"] = AccessAttempt.objects.create(
            **attempt, get_data="", post_data="", failures_since_start=1
        )
        village.rows["axes.accesslog"] = AccessLog.objects.create(**attempt)
        village.rows["axes.accessfailurelog"] = AccessFailureLog.objects.create(**attempt, locked_out=False)
        if village is not world.a:
            village.canaries.append(token.prefix)


# ---------------------------------------------------------------------------- requests

ROLES = ["village", "cadre", "district", "regency"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"|nonce="[^"]*"|"csrfToken": ?"[^"]*"')


def body_text(response) -> str:
    """The response as text: XLSX cells, PDF text and zipped members decoded too."""
    if getattr(response, "streaming", False):
        raw = b"".join(response.streaming_content)
    else:
        raw = response.content
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind or raw[:2] == b"PK":
        return _xlsx_text(raw)
    if "pdf" in kind:
        return _pdf_text(raw)
    return raw.decode("utf-8", "replace") + response.get("Location", "")


def _xlsx_text(raw: bytes) -> str:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True)
    except (zipfile.BadZipFile, KeyError, OSError):
        return raw.decode("latin-1")
    return "\n".join(
        " ".join(str(v) for v in row if v is not None)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
    )


def _pdf_text(raw: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(raw)).pages)


def shape(response, ids) -> tuple:
    """What a reader learns from an answer, with the asked ids set aside: the status, the
    redirect target and the body (tokens and nonces, which change per request, removed)."""
    text = body_text(response)
    for value in sorted({str(i) for i in ids}, key=len, reverse=True):
        text = text.replace(value, "<id>")
    text = CSRF.sub("", text)
    if "json" in response.get("Content-Type", ""):
        try:
            text = json.dumps(json.loads(text), sort_keys=True)
        except ValueError:
            pass
    return response.status_code, text


class Walk:
    """One user's walk: every request made, and every leak and mismatch found."""

    def __init__(self, world: World, role: str):
        self.world = world
        self.user = world.users[role]
        self.hidden = [c.lower() for c in world.canaries_hidden_from(self.user)]
        assert self.hidden, "a walk with no canary to find proves nothing"
        self.client = Client(raise_request_exception=False)
        self.client.force_login(self.user)
        self.leaks: list[str] = []
        self.errors: list[str] = []
        self.mismatches: list[str] = []
        self.requests = 0
        self.missing: dict = {}  # the answer for a missing id, per door and method

    def check(self, method: str, url: str, data=None, *, term: str = "", **extra):
        self.requests += 1
        response = getattr(self.client, method)(url, data or {}, **extra)
        text = body_text(response).lower()
        if response.status_code >= 500:
            self.errors.append(f"{method.upper()} {url} {data or ''} -> {response.status_code}")
        if term:  # the term searched for, shown back to the one who typed it, is no leak
            text = text.replace(term.lower(), "")
        for canary in self.hidden:
            if canary in text:
                self.leaks.append(f"{method.upper()} {url} {data or ''} -> {response.status_code}: {canary}")
        return response

    def compare(self, method: str, door: Door, foreign: dict, missing: dict, data=None) -> None:
        """An out-of-region row answers as a missing one."""
        got = self.check(method, door.fill(foreign), data)
        key = (method, door.fill(missing))
        if key not in self.missing:
            self.missing[key] = self.check(method, door.fill(missing), data)
        expected = self.missing[key]
        ids = [*foreign.values(), *missing.values()]
        if shape(got, ids) != shape(expected, ids):
            self.mismatches.append(
                f"{method.upper()} {door.fill(foreign)} -> {got.status_code}, missing id -> {expected.status_code}"
            )


def row_id(world_village, label: str):
    """The id of a village's row for a parameter's model label (history rows by the
    latest history id of the model's row)."""
    if label.endswith(".history"):
        obj = world_village.rows.get(label.removesuffix(".history"))
        return obj.history.latest("history_date").history_id if obj is not None else None
    obj = world_village.rows.get(label)
    return None if obj is None else obj.pk


def hidden_from(world: World, village, user) -> bool:
    return village.canaries[0] in world.canaries_hidden_from(user)


def fillings(world: World, door: Door, params: dict[str, str], user):
    """(fillings by hidden village, fillings of the villages the user sees, the missing
    filling) for a door's parameters."""
    fixed = {p: m for p, m in params.items() if "." not in m}  # a literal, such as the chart's indicator
    typed = {p: m for p, m in params.items() if p not in fixed}
    if any(m in REFERENCE_MODELS or m.startswith("regions.") and m != "regions.user" for m in typed.values()):
        return None
    foreign, own = {}, []
    for tag, village in [("A", world.a), *world.foreign.items()]:
        ids = {p: row_id(village, m) for p, m in typed.items()}
        if None in ids.values():
            continue
        if tag != "A" and hidden_from(world, village, user):
            foreign[tag] = {**ids, **fixed}
        else:
            own.append({**ids, **fixed})
    return (
        foreign,
        own,
        {
            **{p: MISSING for p in typed},
            **fixed,
        },
    )


def search_terms(world: World) -> list[str]:
    """A name of each foreign village and a NIK of the one hidden from every role."""
    return [world.foreign["B"].canaries[0], world.foreign["N"].canaries[0], world.foreign["N"].canaries[1]]


def walk_door(w: Walk, door: Door) -> None:
    params = params_of(door)
    if door.route in SKIPPED:
        return
    if door.name in ADMIN_SITE_VIEWS:
        return walk_admin_site_view(w, door)
    if door.route in NO_PERSONAL_DATA:
        if not door.params and not door.route.startswith(("api/v1/schema", "api/v1/docs")):
            w.check("get", door.fill({}))
        return
    if not door.params:
        w.check("get", door.fill({}))
        if not is_list(door):
            return
        for term in search_terms(w.world):
            if door.name.endswith("-search"):
                w.check(
                    "post",
                    door.fill({}),
                    json.dumps({"search": term}),
                    term=term,
                    content_type="application/json",
                )
            else:
                w.check("get", door.fill({}), {"q": term, "search": term}, term=term)
        return
    filled = fillings(w.world, door, params, w.user)
    if filled is None:  # reference rows: the same for everyone
        values = {p: _reference_value(m) for p, m in params.items()}
        w.check("get", door.fill(values))
        return
    foreign, own, missing = filled
    admin_door = door.route.startswith("admin/")
    if not admin_door or door.name.endswith("_change"):
        for values in own:  # the rows the user may see show nothing of the others either
            w.check("get", door.fill(values))
    for tag, values in foreign.items():
        w.compare("get", door, values, missing)
        # Pages and the API by POST too (the admin's POST finds its row as its GET does),
        # with the village hidden from every role.
        if tag == "N" and not admin_door:
            w.compare("post", door, values, missing)


def is_list(door: Door) -> bool:
    """A door that lists rows and takes a search term."""
    return door.name.endswith(("_changelist", "-list", "-search")) or door.name in PAGE_LISTS - {
        "household_create",
        "group_create",
        "search_ref",
    }


def _reference_value(label: str):
    from django.apps import apps

    if "." not in label:
        return label
    model = apps.get_model(label)
    return model._default_manager.values_list("pk", flat=True).first() or MISSING


def walk_admin_site_view(w: Walk, door: Door) -> None:
    name = door.name
    if name == "admin:index":
        w.check("get", door.fill({}))
    elif name == "admin:app_list":
        for app_label in {m._meta.app_label for m in admin.site._registry}:
            w.check("get", door.fill({"app_label": app_label}))
    elif name == "admin:search":
        for term in search_terms(w.world):
            w.check("get", door.fill({}), {"s": term, "q": term}, term=term)
    elif name == "admin:reports_preview":
        # Another regency's report answers as a region that does not exist.
        got = w.check("get", door.fill({}), {"region": "36.71"})
        missing = w.check("get", door.fill({}), {"region": "36.99"})
        if shape(got, ["36.71"]) != shape(missing, ["36.99"]):
            w.mismatches.append(
                f"GET {door.fill({})}?region=36.71 -> {got.status_code}, 36.99 -> {missing.status_code}"
            )
        w.check("get", door.fill({}))
    elif name == "admin:autocomplete":
        walk_autocomplete(w, door)
    elif name == "admin:view_on_site":
        for village in [w.world.foreign["N"]]:
            for label, obj in village.rows.items():
                if label.count(".") != 1 or not hasattr(obj, "pk"):
                    continue
                ct = ContentType.objects.get_for_model(obj)
                door_values = {"content_type_id": ct.pk, "object_id": obj.pk}
                w.compare("get", door, door_values, {"content_type_id": ct.pk, "object_id": MISSING})


def autocomplete_fields() -> list[tuple[str, str, str]]:
    """(app_label, model_name, field_name) of every autocomplete field, inlines included."""
    found = []
    for model, model_admin in admin.site._registry.items():
        for holder in (model_admin, *model_admin.inlines):
            owner = getattr(holder, "model", model)
            for field_name in getattr(holder, "autocomplete_fields", ()):
                found.append((owner._meta.app_label, owner._meta.model_name, field_name))
    return found


def walk_autocomplete(w: Walk, door: Door) -> None:
    fields = autocomplete_fields()
    assert fields, "the admin has autocomplete fields; finding none means the walk is broken"
    for app_label, model_name, field_name in fields:
        for term in ["", *search_terms(w.world)[1:]]:
            query = {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": term}
            w.check("get", door.fill({}), query, term=term)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_it_never_shows_a_foreign_canary_through_any_door(world, role, settings):
    """A user of village A's region walks every door; no answer holds a canary of a village
    outside it, and an out-of-region id answers as a missing id."""
    settings.API_READ_RATE = settings.API_IDENTITY_READ_RATE = "100000/hour"
    w = Walk(world, role)
    for door in walk():
        walk_door(w, door)
    assert w.requests > 300
    assert w.leaks == []
    assert w.mismatches == []
    assert w.errors == []


@pytest.mark.django_db
def test_it_never_mails_a_foreign_canary_in_the_regents_report(world, mailoutbox):
    """The monthly report for A's regency, as sent to its regent: subject, text and HTML
    bodies, the XLSX and the PDF hold nothing of a village outside the regency."""
    import datetime

    from django.utils import timezone

    from reports.models import ReportDelivery
    from reports.services import send_delivery

    recipient = world.a.rows["reports.reportrecipient"]
    period = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    delivery = ReportDelivery.objects.create(recipient=recipient, period=period.replace(day=1))
    send_delivery(delivery_id=delivery.pk)
    [message] = mailoutbox
    parts = [message.subject, message.body, *(content for content, _kind in message.alternatives)]
    for name, content, _kind in message.attachments:
        parts.append(_xlsx_text(content) if name.endswith(".xlsx") else _pdf_text(content))
    text = "\n".join(str(p) for p in parts).lower()
    hidden = [c.lower() for c in world.canaries_hidden_from(world.users["regency"])]
    assert [c for c in hidden if c in text] == []
    assert recipient.region_code == "36.01" and "pandeglang" in text


def test_it_fails_on_a_new_view_it_cannot_classify():
    """A page added without telling the walk what its parameters name is unclassified,
    so `test_it_classifies_every_url_pattern` fails until someone looks at it."""
    new_page = Door(route="rumah-tangga/<pk>/cetak/", name="household_print", callback=None, params=("pk",))
    new_api = Door(route="api/v1/exports/<pk>/", name="api:export-detail", callback=None, params=("pk",))
    assert params_of(new_page) is None and params_of(new_api) is None
