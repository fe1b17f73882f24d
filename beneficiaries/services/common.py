from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.formatting import long_date
from core.limits import Budget
from core.models import VersionedModel
from regions import policy
from regions.models import User, Village
from regions.selectors import villages_visible_to

# Numbers unique in the whole province. "Already registered" tells that a number exists
# somewhere, so each such refusal is counted per user; past the limit a write carrying a new
# number is refused before the database is asked, and a sweep learns nothing more.
IDENTITY_FIELDS = ("nik", "kk_number", "nib")
DUPLICATE_REFUSALS = Budget("duplicate-identity", limit=10, window_seconds=60 * 60)


M = TypeVar("M", bound=models.Model)


def visible_or_404(model: type[M], obj_or_pk: M | int | str, actor: User, *, lock: bool = False) -> M:
    """Re-read a row through the visibility selector: out of region is 'not found'."""
    pk = getattr(obj_or_pk, "pk", obj_or_pk)
    qs = model._default_manager.visible_to(actor)  # type: ignore[attr-defined]
    if lock:
        qs = qs.select_for_update()
    try:
        return qs.get(pk=pk)
    except model.DoesNotExist:  # type: ignore[attr-defined]
        raise DomainError(
            _("%(what)s tidak ditemukan.") % {"what": str(model._meta.verbose_name).capitalize()},
            code=DomainError.NOT_FOUND,
        ) from None


def village_for(actor: User, village: Village | str, *, field: str = "village") -> Village:
    """The village a new record goes to; refused when it lies outside the actor's region."""
    code = getattr(village, "pk", village)
    found = villages_visible_to(actor).filter(code=code, is_active=True).first()
    if found is None:
        raise DomainError(_("Desa/kelurahan tidak ditemukan atau di luar wilayah kerja Anda."), field=field)
    return found


def clean_and_save(
    obj: models.Model, *, actor: User, prefix: str = "", exclude: list[str] | None = None
) -> None:
    """Validate with the model's own rules, then save, recording the actor in the history."""
    raise_collected(validated(obj, actor=actor, prefix=prefix, exclude=exclude))
    save_as(obj, actor)


def save_as(obj: models.Model, actor: User, *, prefix: str = "", **kwargs: Any) -> None:
    """Save, recording the actor in the history and counting the version of a stored row.
    A uniqueness rule that two requests raced past (both checked, neither had written yet)
    is refused by the database: that comes back as the same conflict, with the same field
    and message, as the sequential case, never as a 500."""
    obj._history_user = actor  # type: ignore[attr-defined]  # simple-history's "who", also outside a request
    if isinstance(obj, VersionedModel) and not obj._state.adding:
        obj.version += 1
    try:
        obj.save(**kwargs)
    except IntegrityError as error:
        # The service's transaction is broken now: raise at once, it rolls back whole.
        raise unique_conflict(obj, error, actor=actor, prefix=prefix) from None


def unique_conflict(
    obj: models.Model, error: IntegrityError, *, actor: User, prefix: str = ""
) -> DomainError:
    """The field whose unique rule the database refused (PostgreSQL names the column in
    `Key (nik)=...`, SQLite as `table.nik`), with that field's own "already registered"."""
    text = str(error)
    for field in obj._meta.concrete_fields:
        if not field.unique or field.primary_key:
            continue
        column = field.column
        if f"({column})=" in text or f".{column}" in text or f"_{column}_key" in text:
            if field.name in IDENTITY_FIELDS:
                DUPLICATE_REFUSALS.charge(actor, 1)
            message = field.error_messages.get("unique") or _("Data ini sudah terdaftar.")
            return DomainError(
                str(message) % {"model_name": obj._meta.verbose_name, "field_label": field.verbose_name},
                field=f"{prefix}{field.name}",
                code=DomainError.CONFLICT,
            )
    return DomainError(
        _("Data bentrok dengan data yang sudah ada. Periksa kembali lalu coba lagi."),
        code=DomainError.CONFLICT,
    )


def ensure_fresh(obj: VersionedModel, expected_version: int | None) -> None:
    """Refuse a write made from an older version of the (locked) row, saying who changed
    it, when, and which fields; the newer data stays. None: the caller did not say which
    version it read (a script, the services' own follow-ups)."""
    if expected_version is None or expected_version == obj.version:
        return
    raise DomainError(stale_message(obj, expected_version), field="version", code=DomainError.CONFLICT)


def stale_message(obj: VersionedModel, expected_version: int) -> str:
    history = obj.history.order_by("-history_date", "-history_id")  # type: ignore[attr-defined]
    latest = history.first()
    seen = history.filter(version=expected_version).first()
    changed: list[str] = []
    if latest is not None and seen is not None:
        for change in latest.diff_against(seen).changes:
            if change.field not in ("version", "updated_at", "created_at"):
                changed.append(str(getattr(obj._meta.get_field(change.field), "verbose_name", change.field)))
    user = getattr(latest, "history_user", None)
    who = (user.get_full_name() or user.get_username()) if user is not None else _("pengguna lain")
    when = timezone.localtime(latest.history_date) if latest is not None else timezone.localtime()
    return _(
        "Data ini sudah diubah oleh %(who)s pada %(when)s; perubahan: %(changes)s. Perubahan Anda "
        "tidak disimpan agar data yang lebih baru tidak tertimpa: muat ulang halaman, lalu ubah lagi "
        "bila masih perlu."
    ) % {
        "who": who,
        "when": f"{long_date(when.date())} {when:%H.%M}",
        "changes": ", ".join(changed) or _("tidak ada kolom yang berbeda"),
    }


def ensure_caseworker(actor: User, village_code: str | None = None) -> None:
    """Cadres record activities; case work belongs to village heads and officials."""
    policy.ensure_may_work_on_cases(actor, village_code)


def raise_collected(errors: list[DomainError]) -> None:
    """Raise all field errors at once: 409 when every one is a conflict, else 400."""
    if not errors:
        return
    merged: dict[str, list[str]] = {}
    for error in errors:
        for field, messages in error.errors.items():
            merged.setdefault(field, []).extend(messages)
    conflict = all(e.code == DomainError.CONFLICT for e in errors)
    raise DomainError(code=DomainError.CONFLICT if conflict else DomainError.INVALID, errors=merged)


def validated(
    obj: models.Model, *, actor: User, prefix: str = "", exclude: list[str] | None = None
) -> list[DomainError]:
    """The model's own rules as domain errors, uniqueness of NIK, KK and NIB under the
    duplicate limiter (`ensure_identity_lookup_allowed`)."""
    ensure_identity_lookup_allowed(obj, actor)
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as error:
        _count_duplicates(actor, error)
        return [DomainError.from_validation_error(error, prefix=prefix)]
    return []


def already_registered(
    actor: User, model: type[models.Model], field: str, numbers: dict[str, str]
) -> list[DomainError]:
    """Uniqueness of many numbers of one field in one query: `numbers` maps the error's
    field (`members.2.nik`) to the number. Each refusal draws on DUPLICATE_REFUSALS, as
    `validated` does; the caller asks `ensure_identity_lookup_allowed` first."""
    wanted = {n for n in numbers.values() if n}
    if not wanted:
        return []
    lookup = {f"{field}__in": wanted}
    taken = set(model._default_manager.filter(**lookup).order_by().values_list(field, flat=True))
    message = str(model._meta.get_field(field).error_messages["unique"])  # type: ignore[union-attr]
    errors = [
        DomainError(message, field=where, code=DomainError.CONFLICT)
        for where, number in numbers.items()
        if number in taken
    ]
    DUPLICATE_REFUSALS.charge(actor, len(errors))
    return errors


def ensure_identity_lookup_allowed(obj: models.Model, actor: User) -> None:
    """The one duplicate limiter: after DUPLICATE_REFUSALS.limit "already registered"
    refusals within the window, a write that brings a NIK, KK or NIB not already on the row
    is refused without asking the database whether that number exists."""
    if not DUPLICATE_REFUSALS.spent(actor):
        return
    if _brings_new_identity(obj):
        raise DomainError(
            _(
                "Terlalu banyak NIK, nomor KK atau NIB yang ditolak karena sudah terdaftar. Demi "
                "perlindungan data, nomor identitas baru tidak diperiksa sementara; coba lagi "
                "dalam 1 jam atau hubungi admin kabupaten/kota."
            ),
            code=DomainError.RATE_LIMITED,
        )


def _brings_new_identity(obj: models.Model) -> bool:
    values = {f: getattr(obj, f) for f in IDENTITY_FIELDS if hasattr(obj, f) and getattr(obj, f)}
    if not values:
        return False
    if obj._state.adding:
        return True
    # The row's own stored numbers: reading them tells nothing about anyone else's.
    stored = type(obj)._default_manager.filter(pk=obj.pk).values(*values).first() or {}
    return any(stored.get(f) != value for f, value in values.items())


def _count_duplicates(actor: User, error: ValidationError) -> None:
    """One count per number refused as already registered."""
    refused = sum(
        1
        for field, problems in getattr(error, "error_dict", {}).items()
        if field in IDENTITY_FIELDS
        for problem in problems
        if problem.code == "unique"
    )
    DUPLICATE_REFUSALS.charge(actor, refused)


def ensure_case_open(case, *, field: str) -> None:
    """Aid and moves go to an open case only: a closed one is reopened as a new case."""
    if not case.is_open:
        raise DomainError(
            _("Kasus ini sudah ditutup (%(status)s); buka kasus baru bila perlu.")
            % {"status": case.get_status_display()},
            field=field,
            code=DomainError.CONFLICT,
        )
