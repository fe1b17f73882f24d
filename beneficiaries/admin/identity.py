"""NIK and KK numbers in the admin: shown as `beneficiaries.identity` decides, found only
through the one search selector, and checked for duplicates only by the services.

Lists mask every number for everyone (a list cell does not know who reads it); a single
record shows it whole to a user who may see the identity numbers of its village
(`regions.policy.may_see_full_identity`), and its history pages follow the same answer.
"""

from django import forms
from django.contrib import messages
from simple_history.template_utils import HistoricalRecordContextHelper

from core.access import record_access
from core.errors import DomainError
from core.models import AccessKind
from regions import policy

from ..identity import mask_kk, mask_nik
from ..selectors import search_by_identity
from ..services.common import IDENTITY_FIELDS

MASKS = {"nik": mask_nik, "kk_number": mask_kk}


def sees_full_identity(request, village_code: str | None) -> bool:
    return bool(village_code) and policy.may_see_full_identity(request.user, village_code)


class ServiceValidatedForm(forms.ModelForm):
    """The services look up whether a NIK or KK is already registered, counted by their
    duplicate limiter; the form does not look first, or it would answer uncounted."""

    def validate_unique(self):
        pass

    def _get_validation_exclusions(self):
        # Unique constraints on a number (the NIB's) are checked by the form's full_clean
        # too: leave those fields to the service as well.
        return super()._get_validation_exclusions() | {f for f in IDENTITY_FIELDS if f in self.fields}


class MaskedIdentityHistory(HistoricalRecordContextHelper):
    def __init__(self, *args, full: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.full = full

    def prepare_delta_change_value(self, change, value):
        if change.field in MASKS and not self.full:
            return MASKS[change.field](value)
        return super().prepare_delta_change_value(change, value)


class IdentityAdminMixin:
    """For the admins of households and persons: `identity_village(obj)` names the village
    whose numbers the record shows."""

    form = ServiceValidatedForm

    def identity_village(self, obj) -> str | None:
        raise NotImplementedError

    def sees_full(self, request, obj) -> bool:
        full = obj is not None and sees_full_identity(request, self.identity_village(obj))
        logged = request.__dict__.setdefault("_identity_logged", set())
        if full and (obj._meta.label, obj.pk) not in logged:
            logged.add((obj._meta.label, obj.pk))
            self.record_full_identity(request, obj)
        return full

    def record_full_identity(self, request, obj) -> None:
        """A record (its form, its history) shown with its NIK or KK whole: the access log."""
        kind = AccessKind.FULL_KK if hasattr(obj, "kk_number") else AccessKind.FULL_NIK
        record_access(actor=request.user, kind=kind, obj=obj, region_code=self.identity_village(obj) or "")

    def history_view(self, request, object_id, extra_context=None):
        request._sees_full_identity = self.sees_full(request, self.get_object(request, object_id))
        return super().history_view(request, object_id, extra_context)

    def get_historical_record_context_helper(self, request, historical_record):
        full = getattr(request, "_sees_full_identity", False)
        return MaskedIdentityHistory(self.model, historical_record, full=full)


def identity_search_paths(search_fields) -> dict:
    """`search_fields` read as paths for `search_by_identity`: fields ending in `nik` or
    `kk_number` are identity numbers, the rest names; admin operators (^ = @) are ignored."""
    paths: dict = {"kk": None, "nik": None, "names": []}
    for field in search_fields:
        path = field.lstrip("^=@")
        if path.endswith("kk_number"):
            paths["kk"] = path
        elif path.endswith("nik"):
            paths["nik"] = path
        else:
            paths["names"].append(path)
    return paths


class IdentitySearchMixin:
    """Admin search (lists and autocomplete) through `search_by_identity`, so a NIK or KK
    matches only whole for a user who may not see it whole."""

    def get_search_results(self, request, queryset, search_term):
        paths = identity_search_paths(self.get_search_fields(request))
        try:
            return search_by_identity(queryset, request.user, search_term, **paths), False
        except DomainError as error:  # too many searches by number: say so, find nothing
            messages.error(request, error.message)
            return queryset.none(), False
