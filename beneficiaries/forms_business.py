"""Page forms for businesses, follow-ups, capital help and the women's programme. They
check shapes only; the services decide (owner in region, schedule, the capital table)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import DateInput, PageForm, today, with_empty
from .models import BusinessStatus, CapitalScheme, FollowUpKind, Person, StopReason
from .models.groups import Sector


class BusinessForm(PageForm):
    owner_person = forms.ModelChoiceField(queryset=Person.objects.none(), label=_("Pemilik"), required=False)
    owner_group = forms.ModelChoiceField(
        queryset=None,
        label=_("Atau milik kelompok"),
        required=False,
        help_text=_("Kosongkan bila usaha perorangan."),
    )
    name = forms.CharField(label=_("Nama usaha"), max_length=200)
    sector = forms.ChoiceField(label=_("Bidang usaha"), choices=with_empty(Sector.choices))
    started_on = forms.DateField(label=_("Mulai usaha"), initial=today, widget=DateInput())
    sells_at_market = forms.BooleanField(label=_("Berjualan di pasar"), required=False)
    sells_in_shop = forms.BooleanField(label=_("Berjualan di toko/warung"), required=False)
    sells_online = forms.BooleanField(label=_("Berjualan di platform daring"), required=False)
    nib = forms.CharField(label=_("NIB (jika ada)"), max_length=13, required=False)

    def __init__(self, *args, members, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_person"].queryset = members
        self.fields["owner_person"].label_from_instance = lambda p: p.full_name
        self.fields["owner_group"].queryset = groups


class FollowUpForm(PageForm):
    kind = forms.ChoiceField(label=_("Jenis kunjungan"), choices=FollowUpKind.choices)
    visited_on = forms.DateField(label=_("Tanggal kunjungan"), initial=today, widget=DateInput())
    status = forms.ChoiceField(
        label=_("Kondisi usaha"), choices=BusinessStatus.choices, widget=forms.RadioSelect
    )
    stop_reason = forms.ChoiceField(
        label=_("Alasan berhenti"), choices=with_empty(StopReason.choices), required=False
    )
    monthly_revenue = forms.IntegerField(label=_("Omzet per bulan (Rp)"), min_value=0, initial=0)
    monthly_profit = forms.IntegerField(label=_("Laba per bulan (Rp, jika diketahui)"), required=False)
    workers = forms.IntegerField(label=_("Jumlah pekerja"), min_value=0, initial=1)
    note = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CapitalHelpForm(PageForm):
    scheme = forms.ChoiceField(label=_("Skema"), choices=with_empty(CapitalScheme.choices))
    amount = forms.IntegerField(label=_("Nilai (Rp)"), min_value=1)
    partner = forms.ModelChoiceField(queryset=None, label=_("Mitra"), required=False)
    applied_on = forms.DateField(label=_("Tanggal diajukan"), initial=today, widget=DateInput())
    note = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners


class CapitalStepForm(PageForm):
    to = forms.ChoiceField(label=_("Status baru"), widget=forms.RadioSelect)
    on = forms.DateField(label=_("Tanggal"), initial=today, widget=DateInput())

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = targets


class EnrolmentForm(PageForm):
    person = forms.ModelChoiceField(queryset=Person.objects.none(), label=_("Perempuan yang didaftarkan"))
    enrolled_on = forms.DateField(label=_("Tanggal terdaftar"), initial=today, widget=DateInput())
    note = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, women, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = women
        self.fields["person"].label_from_instance = lambda p: p.full_name
