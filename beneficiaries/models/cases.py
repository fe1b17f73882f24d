"""A case is one household's path through the three stages; moves are its audit trail."""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.formatting import long_date, rupiah
from core.models import VersionedModel
from core.validators import validate_plain_text
from programs.models import Partner, Program
from regions.selectors import scoped_queryset

from .base import VillageRowModel, not_in_future, raise_if, user_fk
from .people import Household, Person


class Stage(models.TextChoices):
    BASIC_NEEDS = "1", _("Tahap 1: pemenuhan kebutuhan dasar")
    INDEPENDENCE = "2", _("Tahap 2: kemandirian rumah tangga")
    CONSOLIDATION = "3", _("Tahap 3: konsolidasi kelompok")


class CaseStatus(models.TextChoices):
    ACTIVE = "active", _("Aktif")
    GRADUATED = "graduated", _("Mandiri (lulus)")
    EXITED = "exited", _("Keluar")


class Target(models.TextChoices):
    """Where a move goes: a stage, graduation, or exit."""

    STAGE_1 = "1", _("Tahap 1")
    STAGE_2 = "2", _("Tahap 2")
    STAGE_3 = "3", _("Tahap 3")
    GRADUATED = "graduated", _("Mandiri (lulus)")
    EXITED = "exited", _("Keluar")


class ExitReason(models.TextChoices):
    MOVED = "moved", _("Pindah domisili")
    DECEASED = "deceased", _("Meninggal dunia")
    DECLINED = "declined", _("Menolak ikut program")
    INELIGIBLE = "ineligible", _("Tidak memenuhi syarat")
    DUPLICATE = "duplicate", _("Data ganda")


class MoveState(models.TextChoices):
    PENDING = "pending", _("Menunggu persetujuan")
    APPLIED = "applied", _("Berlaku")
    REJECTED = "rejected", _("Ditolak")


class Case(VersionedModel, VillageRowModel):
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="cases", verbose_name=_("rumah tangga")
    )
    program = models.ForeignKey(
        Program,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("program"),
    )
    stage = models.CharField(_("tahap"), max_length=1, choices=Stage.choices, default=Stage.BASIC_NEEDS)
    status = models.CharField(
        _("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.ACTIVE
    )
    opened_on = models.DateField(_("dibuka"))
    closed_on = models.DateField(_("ditutup"), null=True, blank=True)
    exit_reason = models.CharField(_("alasan keluar"), max_length=12, choices=ExitReason.choices, blank=True)
    opened_by = user_fk(_("dibuka oleh"))

    objects = scoped_queryset("").as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("kasus")
        verbose_name_plural = _("kasus")
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=models.Q(status="active"),
                name="one_open_case_per_household",
                violation_error_code="unique",
                violation_error_message=_("Rumah tangga ini sudah punya kasus yang masih aktif."),
            ),
            models.CheckConstraint(
                condition=models.Q(status="active", closed_on__isnull=True)
                | (~models.Q(status="active") & models.Q(closed_on__isnull=False)),
                name="case_closed_on_iff_closed",
            ),
            models.CheckConstraint(
                condition=models.Q(status="exited") & ~models.Q(exit_reason="")
                | ~models.Q(status="exited") & models.Q(exit_reason=""),
                name="case_exit_reason_iff_exited",
            ),
        ]
        indexes = [
            models.Index(fields=["regency", "status", "stage"], name="case_regency_status_idx"),
            models.Index(fields=["district", "status", "stage"], name="case_district_status_idx"),
            models.Index(fields=["-opened_on", "-id"], name="case_list_order_idx"),
            # A village's list in its order: without it PostgreSQL walks the province's
            # order index past every other village's cases to find this one's 50.
            models.Index(fields=["village", "-opened_on", "-id"], name="case_village_list_idx"),
        ]

    def __str__(self) -> str:
        return f"Kasus #{self.pk} · {self.household}"

    def clean(self) -> None:
        errors: dict[str, list] = {}
        not_in_future(errors, "opened_on", self.opened_on)
        raise_if(errors)

    @property
    def is_open(self) -> bool:
        return self.status == CaseStatus.ACTIVE

    @property
    def position(self) -> str:
        """Where the case stands, as a move target: "1", "2", "3", "graduated" or "exited"."""
        return self.stage if self.is_open else self.status

    def save(self, *args, **kwargs) -> None:
        if self.household_id and not self.village_id:
            self.village_id = self.household.village_id
        super().save(*args, **kwargs)


class StageTransition(VillageRowModel):
    """One move of a case: proposed, applied or rejected, with who, when, why and evidence."""

    class Kind(models.TextChoices):
        ENTRY = "entry", _("Masuk program")
        ADVANCE = "advance", _("Naik tahap")
        FALLBACK = "fallback", _("Turun tahap")
        GRADUATE = "graduate", _("Lulus mandiri")
        EXIT = "exit", _("Keluar")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="moves", verbose_name=_("kasus"))
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    from_position = models.CharField(_("dari"), max_length=10, choices=Target.choices, blank=True)
    to = models.CharField(_("ke"), max_length=10, choices=Target.choices)
    state = models.CharField(_("status"), max_length=10, choices=MoveState.choices)
    reason = models.TextField(_("alasan"), blank=True, validators=[validate_plain_text])
    exit_reason = models.CharField(_("alasan keluar"), max_length=12, choices=ExitReason.choices, blank=True)
    evidence = models.TextField(_("bukti"), blank=True, validators=[validate_plain_text])
    proposed_by = user_fk(_("diajukan oleh"))
    proposed_at = models.DateTimeField(_("diajukan pada"))
    decided_by = user_fk(_("diputuskan oleh"))
    decided_at = models.DateTimeField(_("diputuskan pada"), null=True, blank=True)
    decision_note = models.TextField(_("catatan keputusan"), blank=True, validators=[validate_plain_text])
    # A graduation records what the household earns a month when it stands on its own.
    monthly_income = models.BigIntegerField(
        _("pendapatan rumah tangga per bulan (Rp)"), null=True, blank=True, validators=[MinValueValidator(0)]
    )

    objects = scoped_queryset("").as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-proposed_at", "-id"]
        verbose_name = _("perpindahan tahap")
        verbose_name_plural = _("perpindahan tahap")
        permissions = [("decide_move", _("Dapat menyetujui atau menolak usulan perpindahan tahap"))]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(state="pending"),
                name="one_pending_move_per_case",
                violation_error_code="unique",
                violation_error_message=_("Kasus ini sudah punya usulan yang menunggu persetujuan."),
            ),
        ]
        indexes = [
            models.Index(fields=["regency", "state", "decided_at"], name="move_regency_state_idx"),
            models.Index(fields=["district", "state"], name="move_district_state_idx"),
            # The report's graduations of a month with the income at graduation (covering, on
            # PostgreSQL): the province's have no regency to start from.
            models.Index(
                fields=["decided_at"],
                include=["regency", "monthly_income", "id"],
                condition=models.Q(kind="graduate", state="applied"),
                name="move_graduated_idx",
            ),
        ]

    def __str__(self) -> str:
        origin = self.get_from_position_display() or "—"
        return f"{origin} → {self.get_to_display()} ({self.get_state_display()})"


class AssistanceKind(models.TextChoices):
    FOOD = "food", _("Pangan")
    CASH = "cash", _("Bantuan tunai")
    HEALTH = "health", _("Kesehatan")
    HOUSING = "housing", _("Perumahan")
    EDUCATION = "education", _("Biaya sekolah")
    WORK_TOOLS = "work_tools", _("Alat kerja")
    RAW_MATERIALS = "raw_materials", _("Bahan baku")
    WORKING_CAPITAL = "working_capital", _("Modal kerja")
    TRAINING = "training", _("Pelatihan")


BASIC_NEEDS_KINDS = frozenset({"food", "cash", "health", "housing", "education"})
PRODUCTIVE_KINDS = frozenset({"work_tools", "raw_materials", "working_capital"})


class Assistance(VillageRowModel):
    Kind = AssistanceKind

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="assistance", verbose_name=_("kasus")
    )
    kind = models.CharField(_("jenis bantuan"), max_length=16, choices=AssistanceKind.choices)
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="+", verbose_name=_("program")
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("mitra")
    )
    recipient = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assistance_received",
        verbose_name=_("penerima"),
    )
    delivered_on = models.DateField(_("tanggal diserahkan"))
    amount = models.BigIntegerField(_("nilai (Rp)"), default=0, validators=[MinValueValidator(0)])
    quantity = models.DecimalField(
        _("jumlah"), max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    unit = models.CharField(_("satuan"), max_length=30, blank=True, validators=[validate_plain_text])
    note = models.TextField(_("catatan"), blank=True, validators=[validate_plain_text])
    recorded_by = user_fk(_("dicatat oleh"))
    # The key the page form (one per render) or the API client (`Idempotency-Key`) sent:
    # the same aid submitted twice, by a double tap or a retry, is written once.
    idempotency_key = models.CharField(
        _("kunci pengiriman"), max_length=64, null=True, blank=True, editable=False
    )

    objects = scoped_queryset("").as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-delivered_on", "-id"]
        verbose_name = _("bantuan")
        verbose_name_plural = _("bantuan")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="assistance_amount_not_negative"),
            # Not unique on (case, kind, program, date, amount): two identical parcels on one
            # day can be real. A key is unique per user, so a retry can never write twice.
            models.UniqueConstraint(
                fields=["recorded_by", "idempotency_key"],
                condition=models.Q(idempotency_key__isnull=False),
                name="assistance_idempotency_key_once",
                violation_error_code="unique",
                violation_error_message=_(
                    "Bantuan ini sudah terkirim dan tercatat sekali; kiriman yang sama tidak dicatat dua kali."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["regency", "delivered_on", "kind"], name="assistance_regency_date_idx"),
            models.Index(fields=["case", "kind"], name="assistance_case_kind_idx"),
            models.Index(fields=["-delivered_on", "-id"], name="assistance_list_order_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {rupiah(self.amount)}"

    def save(self, *args, **kwargs) -> None:
        if self.case_id and not self.village_id:
            self.village_id = self.case.village_id
        super().save(*args, **kwargs)

    @property
    def category(self) -> str:
        if self.kind in BASIC_NEEDS_KINDS:
            return "basic_needs"
        return "productive" if self.kind in PRODUCTIVE_KINDS else "training"

    def clean(self) -> None:
        """Aid is delivered on a real day between the case's opening and today, under a
        programme that runs that day, to a member of the household. (That the case is
        open is record_assistance's rule, with the case row locked.)"""
        errors: dict[str, list] = {}
        not_in_future(errors, "delivered_on", self.delivered_on)
        case = self.case if self.case_id else None
        if case is not None and self.delivered_on and self.delivered_on < case.opened_on:
            errors.setdefault("delivered_on", []).append(
                _("Tanggal penyerahan tidak boleh sebelum kasus dibuka (%(day)s).")
                % {"day": long_date(case.opened_on)}
            )
        program = self.program if self.program_id else None
        if program and self.delivered_on and not program.runs_on(self.delivered_on):
            errors.setdefault("delivered_on", []).append(
                _("Tanggal di luar masa berlaku program %(program)s.") % {"program": program.name}
            )
        if case is not None and self.recipient_id and self.recipient.household_id != case.household_id:
            errors.setdefault("recipient", []).append(_("Penerima harus anggota rumah tangga kasus ini."))
        left_on = self.recipient.left_on if self.recipient_id else None
        if left_on and self.delivered_on and self.delivered_on > left_on:
            errors.setdefault("recipient", []).append(
                _("Penerima sudah keluar dari rumah tangga pada %(day)s.") % {"day": long_date(left_on)}
            )
        raise_if(errors)
