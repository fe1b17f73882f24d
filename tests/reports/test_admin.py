"""The reports admin: who sees which recipients and deliveries, "Kirim ulang", the preview."""

import html
import re

import pytest
from django.urls import reverse

from reports.models import DeliveryEvent, ReportDelivery, ReportRecipient

from .conftest import PERIOD

DELIVERIES = "admin:reports_reportdelivery_changelist"
RECIPIENTS = "admin:reports_reportrecipient_changelist"


@pytest.fixture
def deliveries(recipients):
    return {
        code: ReportDelivery.objects.create(
            recipient=r,
            period=PERIOD,
            status="sent",
            sent_at="2024-07-01T07:00:00+07:00",
            message_id=f"<{code}@x>",
        )
        for code, r in recipients.items()
    }


def listed(client, user, url_name) -> set[int]:
    client.force_login(user)
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    return {obj.pk for obj in response.context["cl"].result_list}


def test_it_lists_the_recipients_of_regions_the_official_sees(client, recipients, province, regency_official):
    """The province sees every recipient; Pandeglang's official its own and the governor's."""
    assert listed(client, province, RECIPIENTS) == {r.pk for r in recipients.values()}
    assert listed(client, regency_official, RECIPIENTS) == {recipients["36"].pk, recipients["36.01"].pk}


def test_it_lists_deliveries_by_the_same_rule(client, deliveries, regency_official, north_official):
    """Kota Tangerang's official sees only the governor's delivery, never Pandeglang's."""
    assert listed(client, regency_official, DELIVERIES) == {deliveries["36"].pk, deliveries["36.01"].pk}
    assert listed(client, north_official, DELIVERIES) == {deliveries["36"].pk}


def test_it_shows_a_stranger_nothing(client, deliveries, stranger):
    """A user without a region reaches no delivery list."""
    client.force_login(stranger)
    assert client.get(reverse(DELIVERIES)).status_code == 403


def test_it_lets_only_the_region_above_change_a_recipient(client, recipients, province, regency_official):
    """The governor's address is read-only below the province."""
    client.force_login(regency_official)
    url = reverse("admin:reports_reportrecipient_change", args=[recipients["36"].pk])
    response = client.post(
        url, {"region_code": "36", "title": "X", "name": "X", "email": "x@x.id", "active": "on"}
    )
    assert response.status_code == 403
    assert ReportRecipient.objects.get(pk=recipients["36"].pk).email == "gubernur@bantenprov.go.id"
    client.force_login(province)
    response = client.post(
        url,
        {
            "region_code": "36",
            "title": "Gubernur Banten",
            "name": "Gubernur",
            "email": "pj@bantenprov.go.id",
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert ReportRecipient.objects.get(pk=recipients["36"].pk).email == "pj@bantenprov.go.id"


def test_it_resends_from_the_admin_and_records_it(
    client, deliveries, province, django_capture_on_commit_callbacks, mailoutbox
):
    """ "Kirim ulang" makes a resend row, sends it, and logs the official."""
    client.force_login(province)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse(DELIVERIES),
            {"action": "resend", "_selected_action": [deliveries["36.02"].pk]},
            follow=True,
        )
    assert response.status_code == 200
    resend = ReportDelivery.objects.get(is_resend=True)
    assert (resend.resend_of, resend.requested_by, resend.status) == (deliveries["36.02"], province, "sent")
    assert [m.to for m in mailoutbox] == [["bupati@lebakkab.go.id"]]
    assert DeliveryEvent.objects.filter(delivery=resend, kind="resend", actor=province).exists()


def test_it_refuses_a_resend_without_the_change_permission(client, deliveries, district_official):
    """A district official (no rights on reports) has no "Kirim ulang"."""
    client.force_login(district_official)
    client.post(reverse(DELIVERIES), {"action": "resend", "_selected_action": [deliveries["36.01"].pk]})
    assert not ReportDelivery.objects.filter(is_resend=True).exists()


def test_it_previews_a_report_in_the_browser(client, world, regency_official):
    """The preview renders the email of Pandeglang for June 2024, chart inline."""
    client.force_login(regency_official)
    response = client.get(reverse("admin:reports_preview"), {"region": "36.01", "period": "2024-06"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kabupaten Pandeglang, Juni 2024" in page
    assert "data:image/png;base64," in page
    assert "Kec" not in response.context["email_html"] or "Sumur" in response.context["email_html"]


def test_it_puts_the_whole_email_into_the_preview_frame_escaped(client, world, regency_official):
    """The frame's srcdoc holds the email HTML escaped (one attribute, not cut at the email's
    first quote, so the frame is not blank): unescaped it is the whole email of Pandeglang."""
    client.force_login(regency_official)
    response = client.get(reverse("admin:reports_preview"), {"region": "36.01", "period": "2024-06"})
    page = response.content.decode()
    srcdoc = re.search(r'<iframe[^>]*\ssrcdoc="([^"]*)"', page).group(1)
    assert "<" not in srcdoc and "&lt;!DOCTYPE html&gt;" in srcdoc
    email = html.unescape(srcdoc)
    assert email.strip() == response.context["email_html"].strip()
    assert "Kabupaten Pandeglang" in email and email.rstrip().endswith("</html>")


@pytest.mark.parametrize("region", ["36.02", "36"])
def test_it_refuses_a_preview_outside_the_officials_region(client, regency_official, region):
    """Pandeglang's official cannot read Lebak's or the province's report."""
    client.force_login(regency_official)
    response = client.get(reverse("admin:reports_preview"), {"region": region, "period": "2024-06"})
    assert response.status_code == 403


def test_it_refuses_a_preview_to_a_district_official(client, district_official):
    """A regency report shows the other districts: a camat reads none."""
    client.force_login(district_official)
    assert client.get(reverse("admin:reports_preview"), {"region": "36.01"}).status_code == 403


RECIPIENT_ADD = "admin:reports_reportrecipient_add"


def test_it_adds_a_recipient_through_the_service_only_for_the_officials_regency(client, db, regency_official):
    """Pandeglang's official is offered only Pandeglang; the governor's region is refused on the
    field and nothing is written; their own regent is saved."""
    client.force_login(regency_official)
    form = client.get(reverse(RECIPIENT_ADD)).context["adminform"].form
    assert [code for code, _label in form.fields["region_code"].choices] == ["36.01"]
    data = {
        "region_code": "36",
        "title": "Gubernur",
        "name": "X",
        "email": "x@bantenprov.go.id",
        "active": "on",
    }
    response = client.post(reverse(RECIPIENT_ADD), data)
    assert response.status_code == 200 and response.context["adminform"].form.errors["region_code"]
    assert not ReportRecipient.objects.exists()
    response = client.post(
        reverse(RECIPIENT_ADD), {**data, "region_code": "36.01", "title": "Bupati Pandeglang"}
    )
    assert response.status_code == 302
    assert ReportRecipient.objects.get().region_code == "36.01"
