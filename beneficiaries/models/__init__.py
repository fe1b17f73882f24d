from .activities import Activity, Attendance
from .cases import (
    Assistance,
    Case,
    CaseStatus,
    ExitReason,
    MoveState,
    Stage,
    StageTransition,
    Target,
)
from .groups import CapitalAccess, Enterprise, Group, GroupMembership
from .growth import (
    CloseReason,
    FollowUpReason,
    FollowUpStatus,
    GrowthFollowUp,
    Intervention,
    InterventionKind,
    Measurement,
)
from .imports import ImportMode, ImportRun, ImportStatus
from .people import Household, Person, Relation, Sex
from .privacy import PersonErasure

__all__ = [
    "Measurement",
    "InterventionKind",
    "Intervention",
    "GrowthFollowUp",
    "FollowUpStatus",
    "FollowUpReason",
    "CloseReason",
    "Activity",
    "Assistance",
    "Attendance",
    "CapitalAccess",
    "Case",
    "CaseStatus",
    "Enterprise",
    "ExitReason",
    "Group",
    "GroupMembership",
    "Household",
    "ImportMode",
    "ImportRun",
    "ImportStatus",
    "MoveState",
    "Person",
    "PersonErasure",
    "Relation",
    "Sex",
    "Stage",
    "StageTransition",
    "Target",
]
