"""Reads of case work: the one read layer of the app, for pages, admin and API alike.
Every queryset starts from `visible_to(user)`, and each function runs a fixed number of
queries whatever the size of the region."""

import datetime
import functools
import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connections
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError
from core.limits import Budget
from core.pagination import SEARCH_EXACT_UP_TO
from regions.models import Level, User, Village
from regions.selectors import regencies_visible_to, scope_of, villages_visible_to

from .identity import sees_every_number_whole
from .models import (
    Activity,
    Assistance,
    Case,
    CaseStatus,
    Group,
    GroupMembership,
    Household,
    MoveState,
    Person,
    Relation,
    Stage,
    StageTransition,
)
from .models.cases import AssistanceKind


def cases_for(user: User) -> QuerySet[Case]:
    return Case.objects.visible_to(user).select_related("household", "village", "program")


def pending_moves_for(user: User) -> QuerySet[StageTransition]:
    """Proposals waiting for a decision in the user's region, oldest first, each with the
    name of its household's head (`head_name`)."""
    return (
        StageTransition.objects.visible_to(user)
        .filter(state=MoveState.PENDING)
        .select_related("case__household", "village", "proposed_by")
        .annotate(head_name=head_name_subquery("case__household"))
        .order_by("proposed_at", "id")
    )


def cases_by_stage_per_regency(user: User) -> list[dict]:
    """One row per visible regency: open cases per stage, graduated, exited. Two queries."""
    counts = {
        row["regency_id"]: row
        for row in Case.objects.visible_to(user).values("regency_id").annotate(**_position_counts())
    }
    rows = []
    for regency in regencies_visible_to(user):
        row = counts.get(regency.code, {})
        rows.append(
            {
                "regency": regency,
                "stages": [row.get(f"stage_{s}", 0) for s in Stage.values],
                "graduated": row.get("graduated", 0),
                "exited": row.get("exited", 0),
            }
        )
    return rows


# ---------------------------------------------------------------- households and search


def head_name_subquery(household: str = "household") -> Subquery:
    """The full name of the head of each row's household; `household` leads from the row to
    it: "pk" for households, "household" for cases, "case__household" for moves."""
    head = Person.objects.current().filter(household=OuterRef(household), relation=Relation.HEAD)
    return Subquery(head.values("full_name")[:1])


def with_head_and_stage(households: QuerySet, household_ref: str = "pk") -> QuerySet:
    """Annotate the head's name and the open case's stage, so a list needs one query."""
    case = Case.objects.filter(household=OuterRef(household_ref), status=CaseStatus.ACTIVE)
    return households.annotate(
        head_name=head_name_subquery(household_ref),
        case_stage=Subquery(case.values("stage")[:1]),
    )


IDENTITY_LENGTH = 16


def _identity_term(query: str) -> str | None:
    """The digits of a query that is a number (spaces and dots allowed), else None."""
    digits = "".join(query.replace(".", " ").split())
    return digits if digits.isascii() and digits.isdigit() else None


def search_by_identity(
    rows: QuerySet,
    user: User,
    query: str,
    *,
    kk: str | None = None,
    nik: str | None = None,
    names: Sequence[str] = (),
) -> QuerySet:
    """The one search over NIK, KK and names, for pages, admin and API. `kk`, `nik` and
    `names` are the paths from the rows to those fields. A number (spaces and dots allowed)
    matches a NIK or KK only whole, 16 digits, unless the user sees every number of their
    region whole (then its start is enough); otherwise each word must appear in a name.
    Whole-number searches of who may not see numbers whole draw on NUMBER_SEARCHES; past
    it they raise the `rate_limited` DomainError (field `q`) without asking the database."""
    query = (query or "").strip()
    if not query:
        return rows
    digits = _identity_term(query)
    if digits is not None:
        # The start of a number is enough only for who sees every number whole: for anyone
        # else it would find out the hidden serial digit by digit.
        lookup = "startswith" if sees_every_number_whole(user) else "exact"
        if lookup == "exact":
            if len(digits) != IDENTITY_LENGTH:
                return rows.none()
            _charge_number_search(user)
        if len(digits) == IDENTITY_LENGTH:
            lookup = "exact"  # a whole number: the unique index answers, not a range of it
        paths = [p for p in (kk, nik) if p]
        if not paths:
            return rows.none()
        if lookup == "exact":
            return _matching(rows, [Q(**{f"{path}__exact": digits}) for path in paths])
        alternatives = [_starting_with(path, digits) for path in paths]
        # The start of a number is a range: "3603" is every number of Kab. Tangerang, a
        # hundred thousand households. Cut it as a name search is, each alternative too.
        return _first_matches(rows, _matching(rows, alternatives, limit=NAME_MATCHES, walk=paths))
    if not names:
        return rows.none()
    match = Q()
    for word in query.split():
        match &= functools.reduce(operator.or_, (Q(**{f"{path}__icontains": word}) for path in names))
    return _first_matches(rows, _matching(rows, [match]))


def _starting_with(path: str, digits: str) -> Q:
    """Numbers (all digits) that start with `digits`, as a range of the column's own order:
    read off its unique index in that order and cut there, where a LIKE reads the prefix
    index (which has no such order) to the end. Digits sort alike in every collation."""
    following = str(int(digits) + 1).zfill(len(digits))
    if len(following) > len(digits):  # "999...": every number from it up
        return Q(**{f"{path}__gte": digits})
    return Q(**{f"{path}__gte": digits, f"{path}__lt": following})


# A name search, or a search by the start of a number, lists at most this many matches (a
# common name has 30,000 over the province, a regency's code prefix 100,000: the user narrows
# the search, nobody pages through them); one more than a search counts exactly, so that a
# list cut here says its count is an estimate.
NAME_MATCHES = SEARCH_EXACT_UP_TO + 1


def _first_matches(rows: QuerySet, found: QuerySet) -> QuerySet:
    """The first NAME_MATCHES rows of a name search, in the list's order. The matches are
    found first (the trigram index), then ordered: ordered the other way round, PostgreSQL
    walks the list's order index and tests every row's name (seconds, for a full name it
    expects more often than it finds)."""
    return rows.filter(pk__in=found.order_by().values("pk")[:NAME_MATCHES])


# A whole number found or not confirms a guess: for who may not see numbers whole, serials
# guessed one search at a time would rebuild masked numbers. So such searches have a budget.
NUMBER_SEARCHES = Budget("number-search", limit=30, window_seconds=60 * 60)


def _charge_number_search(user: User) -> None:
    if NUMBER_SEARCHES.spent(user):
        raise DomainError(
            _(
                "Terlalu banyak pencarian dengan NIK atau nomor KK dalam satu jam. Demi "
                "perlindungan data, cari dengan nama dulu atau coba lagi nanti."
            ),
            field="q",
            code=DomainError.RATE_LIMITED,
        )
    NUMBER_SEARCHES.charge(user)


def _matching(
    rows: QuerySet, alternatives: list[Q], *, limit: int | None = None, walk: Sequence[str] = ()
) -> QuerySet:
    """Rows matching any of `alternatives`. A single alternative that joins nothing to-many
    (a person's own name) filters the rows directly: a self-subquery over tens of thousands
    of matches costs a scan. Otherwise through a subquery on the same model, so a join to
    members yields each row once; alternatives on different tables (the KK on the
    household, the NIK on a member) are a UNION of one indexed lookup each: an OR across a
    join would read every person."""
    manager = rows.model._default_manager
    if len(alternatives) == 1 and not _joins_many(rows.model, alternatives[0]):
        return rows.filter(alternatives[0])
    if limit is None or not connections[rows.db].features.supports_slicing_ordering_in_compound:
        found = [manager.filter(q).order_by().values("pk") for q in alternatives]
    else:
        # The first `limit` matches of each among the rows (so within the user's region) in
        # the order of the field matched (`walk`, one an alternative), so that each is read
        # off that field's index and stops there: the UNION need not gather them all
        # (PostgreSQL; SQLite cannot cut the parts of a UNION, and gathers them).
        found = [rows.filter(q).order_by(path).values("pk")[:limit] for q, path in zip(alternatives, walk, strict=True)]
    return rows.filter(pk__in=found[0].union(*found[1:]) if len(found) > 1 else found[0])


def _joins_many(model, match: Q) -> bool:
    """Whether a lookup path of `match` crosses a one-to-many or many-to-many relation."""
    for child in match.children:
        if isinstance(child, Q):
            if _joins_many(model, child):
                return True
            continue
        current = model
        for part in child[0].split("__")[:-1]:  # type: ignore[index]  # a (lookup, value) pair
            field = current._meta.get_field(part)
            if field.one_to_many or field.many_to_many:
                return True
            current = field.related_model
    return False


def search_households(rows: QuerySet[Household], user: User, query: str) -> QuerySet[Household]:
    return search_by_identity(
        rows, user, query, kk="kk_number", nik="members__nik", names=["members__full_name"]
    )


def search_persons(rows: QuerySet[Person], user: User, query: str) -> QuerySet[Person]:
    return search_by_identity(rows, user, query, kk="household__kk_number", nik="nik", names=["full_name"])


def households_matching(user: User, query: str, stage: str = "") -> QuerySet[Household]:
    """Visible households found by `search_households`, and by the stage of their open case."""
    households = Household.objects.visible_to(user)
    if stage in Stage.values:
        households = households.filter(cases__status=CaseStatus.ACTIVE, cases__stage=stage)
    households = search_households(households, user, query)
    return with_head_and_stage(households.select_related("village")).order_by("-created_at", "-id")


def aid_total(assistance: QuerySet[Assistance] | list[Assistance]) -> int:
    """The rupiah total of some aid rows, summed by the database; rows a page has already
    read (a household's) are added up as they are, without a second query."""
    if isinstance(assistance, list):
        return sum(a.amount for a in assistance)
    return assistance.aggregate(total=Coalesce(Sum("amount"), 0))["total"]


def household_aid(user: User, household: Household) -> QuerySet[Assistance]:
    return (
        Assistance.objects.visible_to(user)
        .filter(case__household=household)
        .select_related("program", "partner", "recipient")
    )


# ---------------------------------------------------------------- home pages


STUCK_IN_STAGE_1 = datetime.timedelta(days=183)
NO_AID_FOR = datetime.timedelta(days=90)
REJECTION_SHOWN_FOR = datetime.timedelta(days=90)


def stage_counts(user: User) -> list[tuple[str | Promise, int, str]]:
    """(label, number, stage key) for the open cases per stage, graduated and exited."""
    row = Case.objects.visible_to(user).aggregate(**_position_counts())
    counts: list[tuple[str | Promise, int, str]] = [
        (label, row[f"stage_{value}"], value) for value, label in Stage.choices
    ]
    counts.append((CaseStatus.GRADUATED.label, row["graduated"], "graduated"))
    counts.append((CaseStatus.EXITED.label, row["exited"], "exited"))
    return counts


def _position_counts() -> dict[str, Count]:
    """Open cases per stage, graduated and exited: the one definition of the stage counts."""
    return {
        **{f"stage_{s}": Count("id", filter=Q(status=CaseStatus.ACTIVE, stage=s)) for s in Stage.values},
        "graduated": Count("id", filter=Q(status=CaseStatus.GRADUATED)),
        "exited": Count("id", filter=Q(status=CaseStatus.EXITED)),
    }


@dataclass
class Attention:
    case: Case
    reasons: list[str]


def attention_cases(user: User) -> QuerySet[Case]:
    """Open cases in stage 1 for over six months, without aid for 90 days, or whose
    proposal was rejected lately, oldest first, with the head's name (`head_name`)."""
    now, today = timezone.now(), timezone.localdate()
    applied = StageTransition.objects.filter(case=OuterRef("pk"), state=MoveState.APPLIED)
    rejected = StageTransition.objects.filter(
        case=OuterRef("pk"), state=MoveState.REJECTED, decided_at__gte=now - REJECTION_SHOWN_FOR
    ).order_by("-decided_at")
    aid = Assistance.objects.filter(case=OuterRef("pk")).order_by("-delivered_on")
    cases = (
        cases_for(user)
        .filter(status=CaseStatus.ACTIVE)
        .annotate(
            stage_since=Subquery(applied.order_by("-decided_at").values("decided_at")[:1]),
            last_aid=Subquery(aid.values("delivered_on")[:1]),
            rejected_note=Subquery(rejected.values("decision_note")[:1]),
            rejected_at=Subquery(rejected.values("decided_at")[:1]),
            head_name=head_name_subquery("household"),
        )
        .annotate(aid_or_opened=Coalesce("last_aid", "opened_on"))
    )
    stuck = Q(stage=Stage.BASIC_NEEDS) & (
        Q(stage_since__lt=now - STUCK_IN_STAGE_1)
        | Q(stage_since__isnull=True, opened_on__lt=today - STUCK_IN_STAGE_1)
    )
    no_aid = Q(aid_or_opened__lt=today - NO_AID_FOR)
    return cases.filter(stuck | no_aid | Q(rejected_at__isnull=False)).order_by("opened_on", "id")


def with_reasons(cases: Iterable[Case]) -> list[Attention]:
    """Each case of `attention_cases` with the reasons it needs attention."""
    now, today = timezone.now(), timezone.localdate()
    return [Attention(case, _reasons(case, now, today)) for case in cases]


def cases_needing_attention(user: User, *, limit: int = 20) -> list[Attention]:
    """The first `limit` cases of `attention_cases` with their reasons. One query."""
    return with_reasons(attention_cases(user)[:limit])


def _reasons(case: Case, now: datetime.datetime, today: datetime.date) -> list[str]:
    reasons = []
    # Annotations of attention_cases (django-stubs does not see them).
    since = getattr(case, "stage_since", None)
    if case.stage == Stage.BASIC_NEEDS and (
        (since and since < now - STUCK_IN_STAGE_1)
        or (not since and case.opened_on < today - STUCK_IN_STAGE_1)
    ):
        reasons.append(_("Lebih dari 6 bulan di tahap 1"))
    if getattr(case, "aid_or_opened") < today - NO_AID_FOR:  # noqa: B009
        reasons.append(_("Tidak ada bantuan selama 90 hari"))
    if getattr(case, "rejected_at", None):
        reasons.append(_("Usulan ditolak: %(note)s") % {"note": getattr(case, "rejected_note", "")})
    return reasons


@dataclass
class Event:
    when: datetime.datetime
    household: Household | None  # None: the household has since moved out of the region
    text: str
    head_name: str = ""  # the household's head, when the household is shown


def recent_events(user: User, *, limit: int = 10, offset: int = 0) -> list[Event]:
    """The latest moves and aid in the user's region, newest first, from `offset` on.
    Three queries.

    Aid and moves stay in the village where they happened; a household that has since
    moved away is not named (no KK, no name, no link): the village sees only what it
    recorded."""
    head = head_name_subquery("case__household")
    moves = (
        StageTransition.objects.visible_to(user)
        .select_related("case__household", "proposed_by")
        .annotate(head_name=head)
        .order_by("-proposed_at", "-id")[: offset + limit]
    )
    aid = (
        Assistance.objects.visible_to(user)
        .select_related("case__household")
        .annotate(head_name=head)
        .order_by("-created_at", "-id")[: offset + limit]
    )
    events = [
        Event(m.decided_at or m.proposed_at, m.case.household, _move_text(m), m.head_name or "")
        for m in moves
    ] + [Event(a.created_at, a.case.household, aid_recorded_text(a.kind), a.head_name or "") for a in aid]
    events = sorted(events, key=lambda e: e.when, reverse=True)[offset : offset + limit]
    ids = {e.household.pk for e in events if e.household is not None}
    here = set(Household.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
    for event in events:
        if event.household is not None and event.household.pk not in here:
            event.household, event.head_name = None, ""
    return events


class EventFeed:
    """The feed of `recent_events` as a sequence a Paginator can page through: its length
    is counted by the database, each page is three queries."""

    def __init__(self, user: User) -> None:
        self.user = user

    def count(self) -> int:
        return (
            StageTransition.objects.visible_to(self.user).count()
            + Assistance.objects.visible_to(self.user).count()
        )

    def __getitem__(self, index: slice) -> list[Event]:
        start, stop = index.start or 0, index.stop
        return recent_events(self.user, limit=max(stop - start, 0), offset=start)


# What the feed and the page say when aid is recorded: one sentence per kind, as a kind's
# label may itself begin with "Bantuan" ("Bantuan tunai").
AID_RECORDED = {
    AssistanceKind.FOOD: gettext_lazy("Bantuan pangan dicatat"),
    AssistanceKind.CASH: gettext_lazy("Bantuan tunai dicatat"),
    AssistanceKind.HEALTH: gettext_lazy("Bantuan kesehatan dicatat"),
    AssistanceKind.HOUSING: gettext_lazy("Bantuan perumahan dicatat"),
    AssistanceKind.EDUCATION: gettext_lazy("Bantuan biaya sekolah dicatat"),
    AssistanceKind.WORK_TOOLS: gettext_lazy("Bantuan alat kerja dicatat"),
    AssistanceKind.RAW_MATERIALS: gettext_lazy("Bantuan bahan baku dicatat"),
    AssistanceKind.WORKING_CAPITAL: gettext_lazy("Bantuan modal kerja dicatat"),
    AssistanceKind.TRAINING: gettext_lazy("Pelatihan dicatat"),
}


def aid_recorded_text(kind: str) -> str:
    """ "Bantuan tunai dicatat": the sentence for aid of `kind` just recorded."""
    return str(AID_RECORDED[AssistanceKind(kind)])


def _move_text(move: StageTransition) -> str:
    return _("%(kind)s ke %(to)s (%(state)s)") % {
        "kind": move.get_kind_display(),
        "to": move.get_to_display(),
        "state": move.get_state_display().lower(),
    }


def activities_for(user: User) -> QuerySet[Activity]:
    return (
        Activity.objects.visible_to(user)
        .select_related("partner", "village")
        .annotate(attendee_count=Count("attendance"))
        .order_by("-held_on", "-id")
    )


# ---------------------------------------------------------------- village pages


def home_village(user: User) -> Village | None:
    """The village a village user works in, with its district and regency; None for others."""
    scope = scope_of(user)
    if scope.everything or scope.level != Level.VILLAGE:
        return None
    return villages_visible_to(user).select_related("district", "regency").filter(code=scope.code).first()


def groups_for(user: User) -> QuerySet[Group]:
    """Visible groups by name, each with its number of members (`member_count`)."""
    return (
        Group.objects.visible_to(user)
        .select_related("enterprise", "village")
        .annotate(member_count=Count("memberships"))
        .order_by("name", "id")
    )


def attendance_candidates(user: User, village_code: str) -> QuerySet[Person]:
    """Who may be ticked as attending an activity held in a village: the current residents
    of that village the user sees, by RT/RW and household. The one place that says so."""
    return (
        Person.objects.visible_to(user)
        .current()
        .filter(household__village_id=village_code)
        .select_related("household")
        .order_by("household__rt", "household__rw", "household_id", "full_name", "id")
    )


def removed_membership(user: User, *, group: Group, household: Household):
    """The history row of the household's latest removal from the group (it keeps the
    membership as it was, `joined_on` included), or None when its last change was not a
    removal or the group is out of the user's sight."""
    if not Group.objects.visible_to(user).filter(pk=group.pk).exists():
        return None
    last = (
        GroupMembership.history.filter(group_id=group.pk, household_id=household.pk)
        .order_by("-history_date", "-history_id")
        .first()
    )
    return last if last is not None and last.history_type == "-" else None
