"""REST API v1 (issue 4)."""

urlpatterns: list = []
