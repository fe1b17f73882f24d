"""The page's move form carries the case's version: a form opened before someone else
changed the case is refused with who changed what, and the newer data stays."""

from django.db.models import F
from django.urls import reverse

from beneficiaries.models import Case, StageTransition


def test_it_refuses_a_stale_move_form_and_keeps_the_newer_case(client, head_a, case_a):
    """Opened at version n; the case is saved meanwhile (version n+1); the old form's
    POST writes no move and says the data was changed by someone else."""
    client.force_login(head_a)
    url = reverse("move_create", args=[case_a.pk])
    html = client.get(url).content.decode()
    opened = case_a.version
    moves_before = StageTransition.objects.filter(case=case_a).count()  # opening the case is one
    assert f'name="expected_version" value="{opened}"' in html
    Case.objects.filter(pk=case_a.pk).update(version=F("version") + 1)  # another official's save
    response = client.post(url, {"to": "2", "reason": "Sudah mandiri", "expected_version": opened})
    assert response.status_code == 200
    assert "sudah diubah oleh" in response.content.decode()
    assert StageTransition.objects.filter(case=case_a).count() == moves_before
    assert Case.objects.get(pk=case_a.pk).version == opened + 1
