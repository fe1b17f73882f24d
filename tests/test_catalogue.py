"""The English catalogue keeps up with the code: regenerating it from the sources leaves no
msgid untranslated or fuzzy, and the committed django.mo is the committed django.po compiled.

The regeneration runs on a copy of the sources and of locale/ in a temporary directory, so
the real locale/ and the source tree (makemessages writes a .py copy beside each template)
are never written. To bring the catalogue up to date when these tests fail:

    python manage.py makemessages -l en --no-obsolete -i "tests/*" -i "bench/*" -i "static/*"
    (translate the entries named in the failure, drop their fuzzy flags)
    python manage.py compilemessages -l en
"""

import ast
import gettext
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

pytestmark = pytest.mark.xdist_group("catalogue")

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
# what makemessages reads (its default extensions)
SOURCE_SUFFIXES = {".py", ".html", ".txt"}
# one new msgid in code and one in a template, added to the copy only: the regeneration
# must report exactly these two besides any real lag, or it did not scan the sources
CANARIES = {
    "_catalogue_canary.py": (
        'from django.utils.translation import gettext as _\n\n_("Kenari katalog dari kode.")\n'
    ),
    "templates/_catalogue_canary.html": '{% load i18n %}{% translate "Kenari katalog dari templat." %}\n',
}
CANARY_REPORTS = ["empty: 'Kenari katalog dari kode.'", "empty: 'Kenari katalog dari templat.'"]
# top-level folders the catalogue is not made from (as `-i "tests/*"` etc. above)
NOT_SCANNED = {"tests", "bench", "static", "staticfiles", "media", "var", "test-output", "build"}


def _copy_sources(root: Path, target: Path) -> None:
    """Copy the translatable sources and locale/ (whole), nothing else."""

    def ignore(directory: str, names: list[str]) -> set[str]:
        here = Path(directory)
        if here.relative_to(root).parts[:1] == ("locale",):
            return set()
        return {
            name
            for name in names
            if name.startswith(".")  # .git, .venv: makemessages skips them too
            or (here == root and name in NOT_SCANNED)
            or ((here / name).is_file() and Path(name).suffix not in SOURCE_SUFFIXES)
        }

    shutil.copytree(root, target, ignore=ignore)


def _entries(po_text: str) -> list[dict]:
    """The live entries of a .po file: each a dict of msgid, msgid_plural, msgstr /
    msgstr[n] (unquoted) and its flags. Obsolete (#~) entries are left out."""
    entries = []
    for block in po_text.split("\n\n"):
        lines = [line for line in block.splitlines() if line.strip()]
        if not lines or any(line.startswith("#~") for line in lines):
            continue
        entry: dict = {"flags": set()}
        key = None
        for line in lines:
            if line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                entry[key] += ast.literal_eval(line)
            else:
                key, _, quoted = line.partition(" ")
                entry[key] = ast.literal_eval(quoted)
        if "msgid" in entry:
            entries.append(entry)
    return entries


def _lagging(entries: list[dict]) -> list[str]:
    """The msgids (header excluded) whose translation is missing, partial or fuzzy."""
    lagging = []
    for entry in entries:
        if entry["msgid"] == "":
            continue
        translations = [value for key, value in entry.items() if key.startswith("msgstr")]
        if "fuzzy" in entry["flags"] or not translations or "" in translations:
            state = "fuzzy" if "fuzzy" in entry["flags"] else "empty"
            lagging.append(f"{state}: {entry['msgid']!r}")
    return lagging


def test_every_msgid_of_the_code_has_an_english_translation(tmp_path, settings, monkeypatch):
    """makemessages over the current sources, merged into a copy of the committed catalogue,
    yields no empty and no fuzzy entry: every Indonesian text in the code and templates
    has its English translation committed."""
    copy = tmp_path / "project"
    _copy_sources(Path(settings.BASE_DIR), copy)
    for name, text in CANARIES.items():
        (copy / name).write_text(text, encoding="utf-8")
    settings.LOCALE_PATHS = [str(copy / "locale")]
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["en"], no_obsolete=True, verbosity=0)

    regenerated = (copy / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    lagging = _lagging(_entries(regenerated))

    assert all(canary in lagging for canary in CANARY_REPORTS), f"the sources were not scanned: {lagging}"
    lagging = [entry for entry in lagging if entry not in CANARY_REPORTS]
    assert not lagging, (
        f"{len(lagging)} msgid(s) of the code lack an English translation in "
        "locale/en/LC_MESSAGES/django.po (see this module's docstring):\n" + "\n".join(lagging)
    )


def test_the_committed_mo_is_the_committed_po_compiled(tmp_path):
    """The django.mo Django reads holds exactly the translations of django.po: a .po
    edited without compilemessages would leave the English pages behind."""
    fresh = tmp_path / "django.mo"
    subprocess.run(
        ["msgfmt", "--check-format", "-o", str(fresh), str(CATALOGUE / "django.po")],
        check=True,
        capture_output=True,
    )
    with open(fresh, "rb") as compiled, open(CATALOGUE / "django.mo", "rb") as committed:
        expected = gettext.GNUTranslations(compiled)._catalog
        actual = gettext.GNUTranslations(committed)._catalog

    stale = sorted(str(k) for k in expected.keys() ^ actual.keys())
    changed = sorted(str(k) for k in expected.keys() & actual.keys() if expected[k] != actual[k])
    assert not stale and not changed, (
        "locale/en/LC_MESSAGES/django.mo is not django.po compiled; run "
        f"`python manage.py compilemessages -l en`. Differing msgids: {stale + changed}"
    )
