"""reports.services.save_recipient: who receives a report is set by the officials who read it
(regions.policy.may_read_report), for a report region (reports.models.is_report_region)."""

import pytest

from core.errors import DomainError
from reports.models import ReportRecipient, is_report_region
from reports.services import check_region, save_recipient

REGENT = {"title": "Bupati Pandeglang", "name": "Bupati", "email": "bupati@pandeglangkab.go.id"}


def test_one_rule_says_which_regions_have_a_report(db):
    """The province and its known regencies; the model, the dispatcher and the command agree."""
    assert [is_report_region(c) for c in ("36", "36.01", "36.74")] == [True] * 3
    assert [is_report_region(c) for c in ("36.99", "36.01.01", "32", "")] == [False] * 4
    with pytest.raises(DomainError):
        check_region("36.01.01")


def test_a_regency_official_saves_the_recipient_of_their_own_report(regency_official):
    recipient = save_recipient(actor=regency_official, region_code="36.01", **REGENT)
    save_recipient(actor=regency_official, recipient=recipient, active=False)
    assert ReportRecipient.objects.filter(region_code="36.01", active=False).count() == 1


@pytest.mark.parametrize("region", ["36", "36.02"])
def test_it_refuses_another_regions_recipient(regency_official, region):
    """Neither the governor's nor Lebak's: forbidden on the region field, nothing written."""
    with pytest.raises(DomainError) as error:
        save_recipient(actor=regency_official, region_code=region, **REGENT)
    assert (error.value.code, error.value.field) == ("forbidden", "region_code")
    assert not ReportRecipient.objects.exists()


def test_it_refuses_taking_over_the_governors_recipient(regency_official, province):
    governor = save_recipient(
        actor=province, region_code="36", title="Gubernur", name="G", email="g@bantenprov.go.id"
    )
    with pytest.raises(DomainError) as error:
        save_recipient(actor=regency_official, recipient=governor, region_code="36.01", email="x@x.id")
    assert error.value.code == "forbidden"
    assert ReportRecipient.objects.get(pk=governor.pk).region_code == "36"


def test_it_refuses_a_region_without_a_report(province):
    with pytest.raises(DomainError) as error:
        save_recipient(actor=province, region_code="36.01.01", **REGENT)
    assert (error.value.code, error.value.field) == ("invalid", "region_code")


def test_a_district_official_sets_no_recipient(district_official):
    with pytest.raises(DomainError) as error:
        save_recipient(actor=district_official, region_code="36.01", **REGENT)
    assert error.value.code == "forbidden"
