"""Forms of the village pages. They only parse input; the services decide what is allowed
and their DomainError comes back here as errors next to the fields (`show_domain_error`)."""

import copy
import re
import uuid

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from programs.models import Partner, Program

from .growth.who import Position
from .models import ExitReason, Household, Person, Relation, Sex
from .models.activities import Topic
from .models.cases import AssistanceKind
from .models.groups import Sector
from .models.growth import SPECIFIC_KINDS as SPECIFIC_KIND_VALUES
from .models.growth import CloseReason, InterventionKind
from .models.people import LeftReason

# The one label of a select's empty choice, on every page form.
EMPTY_CHOICE = _("— Pilih —")


def with_empty(choices) -> list:
    return [("", EMPTY_CHOICE), *choices]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def today():
    return timezone.localdate()


def numeric(maxlength: int) -> dict:
    return {"inputmode": "numeric", "autocomplete": "off", "maxlength": str(maxlength)}


class PageForm(forms.Form):
    """Labels without a trailing colon, as the pages show them above each input."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class RupiahField(forms.IntegerField):
    """Accepts what people type: `1.250.000`, `Rp 1.250.000`, `Rp. 1.250.000` or `1250000`; nothing looser
    (`1.5` is not 15 rupiah, `1_000` and digits of other scripts are not numbers here)."""

    TYPED = re.compile(r"(?:Rp\.?\s?)?([0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)", re.ASCII)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
        if isinstance(value, str) and value:
            match = self.TYPED.fullmatch(value)
            if match is None:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            value = match.group(1).replace(".", "")
        return super().to_python(value)


def fit_village_field(field: forms.ModelChoiceField, villages) -> None:
    """A village user works in one village: nothing to choose. Anyone above picks from
    the villages they see, grouped by district when they span more than one."""
    field.queryset = villages
    field.empty_label = EMPTY_CHOICE
    rows = list(villages.select_related("district").order_by("district__name", "name"))
    if len(rows) == 1:
        field.initial = rows[0].pk
        field.widget = forms.HiddenInput()
        return
    by_district: dict[str, list[tuple[str, str]]] = {}
    for village in rows:
        by_district.setdefault(f"{_('Kec.')} {village.district.name}", []).append((village.pk, str(village)))
    if len(by_district) == 1:
        field.choices = [("", EMPTY_CHOICE)] + next(iter(by_district.values()))
    else:
        field.choices = [("", EMPTY_CHOICE)] + [(name, items) for name, items in by_district.items()]


def new_submission_key() -> str:
    return uuid.uuid4().hex


class VersionField(forms.IntegerField):
    """Hidden: the version of the record the form was opened with. The service refuses the
    save when the record changed since (two officials on the same household)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, min_value=1, max_value=2**31 - 1, **kwargs)


class SubmissionKeyField(forms.CharField):
    """Hidden: a fresh key on every render of the form, so the same form sent twice (a
    double tap, a resend after a slow network) is written once."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, max_length=64, initial=new_submission_key, **kwargs)


class HouseholdEditForm(PageForm):
    """What the village keeps right on the household page (the KK and the village are
    corrected by officials in the admin)."""

    expected_version = VersionField()

    address = forms.CharField(label=_("Alamat"), max_length=255)
    rt = forms.CharField(label=_("RT"), max_length=3, widget=forms.TextInput(attrs=numeric(3)))
    rw = forms.CharField(label=_("RW"), max_length=3, widget=forms.TextInput(attrs=numeric(3)))
    desil = forms.TypedChoiceField(
        label=_("Desil P3KE"),
        choices=[("", _("Belum diketahui"))] + [(i, str(i)) for i in range(1, 11)],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("1 = paling miskin."),
    )


class HouseholdForm(HouseholdEditForm):
    expected_version = None  # a new household has no earlier version
    village = forms.ModelChoiceField(queryset=None, label=_("Desa/kelurahan"))
    kk_number = forms.CharField(
        label=_("Nomor KK"), max_length=16, widget=forms.TextInput(attrs=numeric(16)), strip=True
    )
    field_order = ["village", "kk_number", "address", "rt", "rw", "desil"]

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        fit_village_field(self.fields["village"], villages)


class MemberForm(PageForm):
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    nik = forms.CharField(
        label=_("NIK"), max_length=16, required=False, widget=forms.TextInput(attrs=numeric(16))
    )
    has_no_nik = forms.BooleanField(label=_("Belum punya NIK (bayi baru lahir)"), required=False)
    sex = forms.ChoiceField(label=_("Jenis kelamin"), choices=with_empty(Sex.choices))
    birth_date = forms.DateField(label=_("Tanggal lahir"), widget=DateInput())
    relation = forms.ChoiceField(
        label=_("Hubungan dengan kepala keluarga"), choices=with_empty(Relation.choices)
    )

    def member_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k in MemberForm.base_fields}


class BaseMemberFormSet(forms.BaseFormSet):
    def kept_forms(self) -> list[MemberForm]:
        """The rows not marked for removal, in order."""
        return [f for f in self.forms if not (self.can_delete and self._should_delete_form(f))]

    def filled_forms(self) -> list[MemberForm]:
        """The rows the user filled in and did not remove, in order."""
        return [f for f in self.kept_forms() if f.has_changed()]


MemberFormSet = forms.formset_factory(
    MemberForm, formset=BaseMemberFormSet, extra=3, can_delete=True, max_num=30
)


class MemberCorrectForm(MemberForm):
    """Correct a member: the same fields and checks as registering one (the service runs
    Person.clean), without the relation, which changes through the head change."""

    relation = None
    expected_version = VersionField()

    def __init__(self, *args, person, nik_whole: bool, **kwargs):
        initial = {f: getattr(person, f) for f in ("full_name", "has_no_nik", "sex", "birth_date")}
        initial["expected_version"] = person.version
        if nik_whole:
            initial["nik"] = person.nik or ""
        super().__init__(*args, initial=initial, **kwargs)
        if not nik_whole and person.nik:
            # Who sees the NIK masked does not get it whole in the form either.
            self.fields["nik"].help_text = _("Tersimpan: %(nik)s. Isi hanya untuk mengoreksinya.") % {
                "nik": person.masked_nik
            }

    def changes(self) -> dict:
        changed = {
            f: self.cleaned_data[f] for f in self.changed_data if f in self.fields and f != "expected_version"
        }
        if "nik" in changed and not changed["nik"] and not self.cleaned_data.get("has_no_nik"):
            del changed["nik"]  # a masked NIK left empty is kept
        return changed


class MemberLeftForm(PageForm):
    left_on = forms.DateField(label=_("Tanggal keluar"), initial=today, widget=DateInput())
    left_reason = forms.ChoiceField(
        label=_("Alasan keluar"), choices=[("", EMPTY_CHOICE)] + LeftReason.choices
    )
    left_note = forms.CharField(
        label=_("Catatan"),
        required=False,
        max_length=255,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Misalnya pindah ke desa mana, atau nomor akta kematian."),
    )


OLD_HEAD_RELATIONS = [(r.value, r.label) for r in (Relation.SPOUSE, Relation.CHILD, Relation.OTHER)]


class ChangeHeadForm(PageForm):
    new_head = forms.ModelChoiceField(
        queryset=Person.objects.none(), label=_("Kepala keluarga baru"), empty_label=EMPTY_CHOICE
    )
    old_head_relation = forms.ChoiceField(
        label=_("Kepala keluarga lama menjadi"),
        choices=OLD_HEAD_RELATIONS,
        initial=Relation.OTHER,
        help_text=_("Hubungannya dengan kepala keluarga baru."),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_head"].queryset = candidates
        self.fields["new_head"].label_from_instance = lambda p: f"{p.full_name} ({p.get_relation_display()})"


class OpenCaseForm(PageForm):
    opened_on = forms.DateField(label=_("Tanggal buka kasus"), initial=today, widget=DateInput())
    program = forms.ModelChoiceField(
        queryset=Program.objects.none(), label=_("Program"), required=False, empty_label=_("Tanpa program")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = Program.objects.visible_to(user)


class AssistanceForm(PageForm):
    kind = forms.ChoiceField(label=_("Jenis bantuan"), choices=with_empty(AssistanceKind.choices))
    program = forms.ModelChoiceField(
        queryset=Program.objects.none(), label=_("Program"), empty_label=EMPTY_CHOICE
    )
    delivered_on = forms.DateField(label=_("Tanggal diserahkan"), initial=today, widget=DateInput())
    # Empty, not 0: a value nobody typed is not shown as one. Left empty it is 0, as the
    # service takes it (aid in kind or training has no rupiah value).
    amount = RupiahField(
        label=_("Nilai (Rp)"),
        required=False,
        min_value=0,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("Rupiah bulat, misalnya 250.000. Kosongkan bila bantuan tanpa nilai uang."),
    )
    recipient = forms.ModelChoiceField(
        queryset=Person.objects.none(), label=_("Penerima"), required=False, empty_label=_("Rumah tangga")
    )
    partner = forms.ModelChoiceField(
        queryset=Partner.objects.none(), label=_("Mitra penyalur"), required=False, empty_label=EMPTY_CHOICE
    )
    quantity = forms.DecimalField(label=_("Jumlah barang"), required=False, min_value=0, decimal_places=2)
    unit = forms.CharField(
        label=_("Satuan"), max_length=30, required=False, help_text=_("Misalnya kg, paket.")
    )
    note = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    idempotency_key = SubmissionKeyField()

    def __init__(self, *args, user, household, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = Program.objects.visible_to(user)
        self.fields["partner"].queryset = Partner.objects.visible_to(user).filter(is_active=True)
        self.fields["recipient"].queryset = (
            Person.objects.visible_to(user).current().filter(household=household)
        )
        self.fields["recipient"].label_from_instance = lambda p: p.full_name

    def clean_amount(self) -> int:
        amount = self.cleaned_data["amount"]
        return 0 if amount is None else amount


class MoveForm(PageForm):
    to = forms.ChoiceField(label=_("Usulkan pindah ke"), widget=forms.RadioSelect)
    expected_version = VersionField()  # the case as the form showed it (request_move refuses a stale one)
    reason = forms.CharField(
        label=_("Alasan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wajib untuk turun tahap, misalnya bencana atau sakit."),
    )
    exit_reason = forms.ChoiceField(
        label=_("Alasan keluar"),
        choices=with_empty(ExitReason.choices),
        required=False,
        help_text=_("Hanya untuk keluar program."),
    )
    evidence = forms.CharField(
        label=_("Bukti"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Misalnya nomor berita acara atau catatan kunjungan."),
    )
    monthly_income = forms.IntegerField(
        label=_("Pendapatan rumah tangga per bulan (Rp)"),
        required=False,
        min_value=0,
        help_text=_("Wajib untuk lulus mandiri."),
    )

    def __init__(self, *args, targets: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = targets
        if len(targets) == 1:
            self.fields["to"].initial = targets[0][0]


class DecisionForm(PageForm):
    note = forms.CharField(
        label=_("Catatan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Wajib bila ditolak."),
    )


class GroupForm(PageForm):
    village = forms.ModelChoiceField(queryset=None, label=_("Desa/kelurahan"))
    name = forms.CharField(label=_("Nama kelompok"), max_length=200)
    sector = forms.ChoiceField(label=_("Bidang usaha"), choices=with_empty(Sector.choices))
    formed_on = forms.DateField(label=_("Tanggal dibentuk"), initial=today, widget=DateInput())

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        fit_village_field(self.fields["village"], villages)


class GroupMemberForm(PageForm):
    household = forms.ModelChoiceField(
        queryset=Household.objects.none(), label=_("Rumah tangga"), empty_label=EMPTY_CHOICE
    )
    joined_on = forms.DateField(label=_("Tanggal bergabung"), initial=today, widget=DateInput())

    def __init__(self, *args, households, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = households
        self.fields["household"].label_from_instance = lambda h: (
            f"{h.head_name or '—'} · {h}" if hasattr(h, "head_name") else str(h)  # str: the masked KK
        )


class ActivityForm(PageForm):
    village = forms.ModelChoiceField(queryset=None, label=_("Desa/kelurahan"))
    partner = forms.ModelChoiceField(
        queryset=Partner.objects.none(), label=_("Mitra (PKK/posyandu)"), empty_label=EMPTY_CHOICE
    )
    topic = forms.ChoiceField(label=_("Topik"), choices=with_empty(Topic.choices))
    title = forms.CharField(label=_("Judul kegiatan"), max_length=200)
    held_on = forms.DateField(label=_("Tanggal"), initial=today, widget=DateInput())
    note = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.visible_to(user).filter(is_active=True)
        fit_village_field(self.fields["village"], villages)


class AttendanceForm(PageForm):
    """Who attended: any of the candidates (`selectors.attendance_candidates`); the page
    shows them ticked or not, filtered by name, and counts those ticked."""

    attendees = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label=_("Yang hadir"),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = people

    def ticked(self) -> set[int]:
        """The ids ticked: as submitted, else as saved (the initial)."""
        if self.is_bound:
            values = self.data.getlist(self.add_prefix("attendees"))
        else:
            values = self.initial.get("attendees") or []
        return {int(v) for v in values if str(v).isdigit()}


class SearchForm(PageForm):
    q = forms.CharField(
        label=_("Cari rumah tangga"),
        required=False,
        max_length=100,
        help_text=_("Nomor KK, NIK, atau nama anggota."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


def focus_first_error(*forms_in_page_order) -> None:
    """After a failed save the first visible field in error gets `autofocus`, so the page
    opens on it (the error banner, pages/_form_errors.html, links to every such field)."""
    for form in forms_in_page_order:
        for name, bound in form._bound_items() if form.is_bound else ():
            if name in form.errors and not bound.is_hidden:
                form.fields[name].widget.attrs["autofocus"] = True
                return


def show_domain_error(error: DomainError, form: forms.Form, formset=None, rows=None) -> None:
    """Put a service's errors next to the fields they name; `members.<i>.<field>` goes to
    the i-th filled member row. What names no field shows on top of the form."""
    for name, messages in error.errors.items():
        if name == "members" and formset is not None:
            formset._non_form_errors = formset.error_class(messages, error_class="nonform")
            continue
        target, field = form, name
        if name.startswith("members.") and rows is not None:
            _prefix, index, field = name.split(".", 2)
            target = rows[int(index)]
        if field not in target.fields or field == NON_FIELD_ERRORS:
            field = None
        for message in messages:
            target.add_error(field, message)


# ---------------------------------------------------------------- posyandu growth monitoring


def decimal_text(maxlength: int) -> dict:
    """A number typed on a phone: the decimal keypad, a comma or a point (8,5 or 8.5)."""
    return {"inputmode": "decimal", "autocomplete": "off", "maxlength": str(maxlength)}


class DecimalTextField(forms.CharField):
    """What the cadre typed, with the Indonesian decimal comma read as a point; the service
    checks the number and its range and names the field when it refuses."""

    def to_python(self, value):
        return super().to_python(value).replace(" ", "").replace(",", ".")


class MeasurementRowForm(PageForm):
    """One toddler's row of the monthly session: weight, length or height and how it was
    measured; LiLA and head circumference optional. Date and posyandu are the session's."""

    measured_on = forms.DateField(widget=forms.HiddenInput)
    posyandu = forms.IntegerField(required=False, widget=forms.HiddenInput)
    weight_kg = DecimalTextField(
        label=_("Berat (kg)"), widget=forms.TextInput(attrs=decimal_text(6)), max_length=6
    )
    height_cm = DecimalTextField(
        label=_("Panjang/tinggi (cm)"), widget=forms.TextInput(attrs=decimal_text(6)), max_length=6
    )
    position = forms.ChoiceField(label=_("Cara ukur"), choices=Position.choices)
    muac_cm = DecimalTextField(
        label=_("LiLA (cm)"), required=False, widget=forms.TextInput(attrs=decimal_text(5)), max_length=5
    )
    head_cm = DecimalTextField(
        label=_("Lingkar kepala (cm)"),
        required=False,
        widget=forms.TextInput(attrs=decimal_text(5)),
        max_length=5,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["weight_kg"].error_messages["required"] = _("Isi berat badan.")
        self.fields["height_cm"].error_messages["required"] = _("Isi panjang/tinggi badan.")
        self.fields["position"].error_messages["required"] = _("Pilih cara ukur.")
        self.fields["measured_on"].error_messages["required"] = _("Isi tanggal pengukuran.")

    def for_row(self, *, prefix: str, initial: dict) -> "MeasurementRowForm":
        """An unbound copy of this unbound form for another row, sharing its fields instead
        of copying them again: a session page has 50 rows, and copying each form's fields
        cost more than drawing the row. Only for rows that are drawn, not bound or changed."""
        assert not self.is_bound
        form = copy.copy(self)
        form.prefix, form.initial, form._bound_fields_cache = prefix, initial, {}
        return form

    def values(self) -> dict:
        """The service's keyword arguments (empty optional fields as None)."""
        data = self.cleaned_data
        return {
            "measured_on": data["measured_on"],
            "weight_kg": data["weight_kg"],
            "height_cm": data["height_cm"],
            "position": data["position"],
            "muac_cm": data["muac_cm"] or None,
            "head_cm": data["head_cm"] or None,
            "posyandu": data["posyandu"],
        }


class InterventionForm(PageForm):
    given_on = forms.DateField(label=_("Tanggal"), initial=today, widget=DateInput())
    kind = forms.ChoiceField(label=_("Jenis intervensi"))
    partner = forms.ModelChoiceField(
        queryset=Partner.objects.none(), label=_("Mitra"), required=False, empty_label=EMPTY_CHOICE
    )
    note = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        specific = [(k.value, k.label) for k in InterventionKind if k.value in SPECIFIC_KIND_VALUES]
        sensitive = [(k.value, k.label) for k in InterventionKind if k.value not in SPECIFIC_KIND_VALUES]
        self.fields["kind"].choices = [
            ("", EMPTY_CHOICE),
            (_("Gizi spesifik"), specific),
            (_("Gizi sensitif"), sensitive),
        ]
        self.fields["partner"].queryset = Partner.objects.visible_to(user).filter(is_active=True)


class CloseFollowUpForm(PageForm):
    """End a follow-up by hand: the child aged out, moved, died, or another reason (with a
    note). Recovery closes it by itself from the measurements."""

    reason = forms.ChoiceField(label=_("Alasan selesai"))
    note = forms.CharField(
        label=_("Catatan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Wajib diisi bila alasannya 'Lainnya'."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = [("", EMPTY_CHOICE)] + [
            (value, label) for value, label in CloseReason.choices if value != CloseReason.RECOVERED
        ]
        self.fields["reason"].error_messages["required"] = _("Pilih alasan selesai pendampingan.")
