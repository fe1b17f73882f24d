"""Error pages speak Indonesian and say what to do next."""

from django.test import override_settings


@override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"])
def test_it_answers_404_in_indonesian(client, head_a):
    client.force_login(head_a)
    response = client.get("/tidak-ada-halaman-ini/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()
