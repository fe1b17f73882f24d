"""The security headers every answer carries: a Content-Security-Policy that allows no
inline script or style of ours (loosened only for the admin's and Swagger UI's own code),
and a Permissions-Policy that turns off the browser features nothing here uses."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Emails carry their styles inline (mail programs need it); the PDF is never served.
NOT_SERVED_AS_PAGES = {"emails", "report_pdf.html"}
INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=\"|\son[a-z]+=\"", re.I)


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in policy.split(";") if part.strip()}


@pytest.mark.parametrize("path", ["/masuk/", "/api/v1/", "/tidak-ada/"])
def test_pages_allow_only_our_own_files(client, db, path):
    policy = directives(client.get(path))
    assert policy["script-src"] == "script-src 'self'"
    assert policy["style-src"] == "style-src 'self'"
    assert policy["object-src"] == "object-src 'none'"
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"


def test_the_admin_adds_only_what_unfold_needs(client, db):
    policy = directives(client.get("/admin/login/"))
    assert policy["script-src"] == "script-src 'self' 'unsafe-eval'"
    assert policy["style-src"] == "style-src 'self' 'unsafe-inline'"
    assert "'unsafe-inline'" not in policy["script-src"]


def test_every_answer_has_a_permissions_policy(client, db):
    value = client.get("/masuk/")["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment"):
        assert f"{feature}=()" in value
    assert Client().get("/api/v1/cases/")["Permissions-Policy"] == value


def test_no_template_of_ours_has_inline_script_or_style():
    """Inline code would be blocked by the policy: it goes to static/ instead."""
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        if NOT_SERVED_AS_PAGES & set(path.relative_to(TEMPLATES).parts):
            continue
        for match in INLINE.finditer(path.read_text()):
            offenders.append(f"{path.relative_to(TEMPLATES)}: {match.group(0)}")
    assert not offenders, offenders
