from .business import BusinessViewSet, CapitalHelpViewSet, EnrolmentViewSet
from .cases import AssistanceViewSet, CaseViewSet, MoveViewSet
from .groups import ActivityViewSet, CapitalAccessViewSet, EnterpriseViewSet, GroupViewSet
from .growth import FollowUpViewSet, GrowthCoverageView, MeasurementViewSet
from .households import HouseholdViewSet, PersonViewSet
from .reference import DistrictViewSet, PartnerViewSet, ProgramViewSet, RegencyViewSet, VillageViewSet

__all__ = [
    "BusinessViewSet",
    "CapitalHelpViewSet",
    "EnrolmentViewSet",
    "ActivityViewSet",
    "AssistanceViewSet",
    "CapitalAccessViewSet",
    "CaseViewSet",
    "DistrictViewSet",
    "EnterpriseViewSet",
    "FollowUpViewSet",
    "GroupViewSet",
    "GrowthCoverageView",
    "HouseholdViewSet",
    "MeasurementViewSet",
    "MoveViewSet",
    "PartnerViewSet",
    "PersonViewSet",
    "ProgramViewSet",
    "RegencyViewSet",
    "VillageViewSet",
]
