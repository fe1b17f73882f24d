"""Erasure of a person registered by mistake (UU 27/2022: the subject's right to have
wrongly held data removed). Correction goes through `update_person` (history kept).

What identifies a person goes, in the row and in every history row: the NIK, the name,
the day of birth (the month and year stay: see `coarse_birth_date`), the note on
leaving; and, when no one else with data remains in the household, its KK and
street address. Everything else stays, so aid, cases, measurements and the report
figures count the row as before. The erasure record holds who, when, where and why.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from core.access import record_access
from core.errors import DomainError
from core.models import AccessKind
from core.validators import validate_plain_text
from regions import policy
from regions.models import User

from ..models import Household, Person, PersonErasure
from .common import visible_or_404

ERASED_NAME = "[data dihapus]"
ERASED_ADDRESS = "[alamat dihapus]"


def erased_kk(household_pk: int) -> str:
    """A KK that is unique, 16 characters and can never be a real number (not digits)."""
    return f"X{household_pk:015d}"


def coarse_birth_date(born: datetime.date) -> datetime.date:
    """The day of birth goes, the month and year stay: the 15th stands for every day but
    the 1st, which the monthly toddler windows (`birth_date > <1st of a month> - 5 years`)
    treat apart, so every monthly report counts the person exactly as before."""
    return born if born.day == 1 else born.replace(day=15)


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Alasan penghapusan wajib diisi."), field="reason")
    try:
        validate_plain_text(reason)
    except ValidationError as error:
        raise DomainError(error.messages[0], field="reason") from None
    return reason


def _erase_person_rows(person: Person) -> None:
    fields = {"nik": None, "has_no_nik": True, "full_name": ERASED_NAME, "left_note": ""}
    born = coarse_birth_date(person.birth_date)
    Person.objects.filter(pk=person.pk).update(**fields, birth_date=born, version=F("version") + 1)
    history = Person.history.model.objects.filter(id=person.pk)
    history.update(**fields)
    for day in history.values_list("birth_date", flat=True).distinct():
        history.filter(birth_date=day).update(birth_date=coarse_birth_date(day))


def _erase_household_rows(household: Household, *, erased: Person) -> bool:
    """The KK and address go too when every other member's data is already gone."""
    others = Person.objects.filter(household=household, erasure__isnull=True).exclude(pk=erased.pk)
    if others.exists():
        return False
    fields = {"kk_number": erased_kk(household.pk), "address": ERASED_ADDRESS}
    Household.objects.filter(pk=household.pk).update(**fields, version=F("version") + 1)
    Household.history.model.objects.filter(id=household.pk).update(**fields)
    return True


@transaction.atomic
def erase_person(*, person: Person | int, actor: User, reason: str) -> PersonErasure:
    """Erase the identifying data of a person registered by mistake, with the reason."""
    person = visible_or_404(Person, person, actor, lock=True)
    village = person.household.village_id
    policy.ensure_may_erase_person(actor, village)
    reason = _clean_reason(reason)
    if PersonErasure.objects.filter(person=person).exists():
        raise DomainError(_("Data orang ini sudah dihapus."), code=DomainError.CONFLICT)
    _erase_person_rows(person)
    household_erased = _erase_household_rows(person.household, erased=person)
    erasure = PersonErasure.objects.create(
        person=person, erased_by=actor, region_code=village, reason=reason, household_erased=household_erased
    )
    record_access(actor=actor, kind=AccessKind.ERASURE, obj=person, region_code=village)
    return erasure
