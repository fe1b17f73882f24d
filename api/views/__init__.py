from .cases import AssistanceViewSet, CaseViewSet, MoveViewSet
from .groups import ActivityViewSet, CapitalAccessViewSet, EnterpriseViewSet, GroupViewSet
from .households import HouseholdViewSet, PersonViewSet
from .reference import DistrictViewSet, PartnerViewSet, ProgramViewSet, RegencyViewSet, VillageViewSet

__all__ = [
    "ActivityViewSet",
    "AssistanceViewSet",
    "CapitalAccessViewSet",
    "CaseViewSet",
    "DistrictViewSet",
    "EnterpriseViewSet",
    "GroupViewSet",
    "HouseholdViewSet",
    "MoveViewSet",
    "PartnerViewSet",
    "PersonViewSet",
    "ProgramViewSet",
    "RegencyViewSet",
    "VillageViewSet",
]
