"""What every API view shares: auth, permissions, pagination, filters, errors, schema,
and the write path (validate the shape, call the service, answer with the fresh row)."""

import re

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.authentication import SessionAuthentication
from rest_framework.filters import OrderingFilter
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from core.errors import DomainError
from regions.selectors import region_codes_q

from .errors import api_exception_handler
from .filters import IdentitySearchFilter
from .pagination import Pagination
from .permissions import RolePermissions
from .schema import ApiSchema
from .throttles import ReadsThrottled
from .tokens import ExpiringTokenAuthentication


class ApiViewSet(GenericViewSet):
    # Token first, so an anonymous request gets 401 with `WWW-Authenticate: Token`.
    authentication_classes = [ExpiringTokenAuthentication, SessionAuthentication]
    permission_classes = [RolePermissions]
    pagination_class = Pagination
    filter_backends = [DjangoFilterBackend, IdentitySearchFilter, OrderingFilter]
    ordering_fields = ["id"]
    lookup_value_regex = r"[0-9]+"
    schema = ApiSchema()

    def get_exception_handler(self):
        return api_exception_handler

    def throttled(self, request, wait):
        raise ReadsThrottled(wait)

    model: type[Model]  # each viewset names its model; no viewset declares a queryset of all rows

    def get_queryset(self) -> QuerySet:
        """Fail closed: by default the rows this user may see (the one visibility selector),
        so a viewset that forgets to scope shows nothing more than its user's region."""
        return self.model._default_manager.visible_to(self.request.user)

    def visible(self) -> QuerySet:
        return ApiViewSet.get_queryset(self)

    def read(self, serializer_class, *, partial: bool = False) -> dict:
        serializer = serializer_class(
            data=self.request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def respond(self, obj, status_code: int = 200) -> Response:
        fresh = self.get_queryset().filter(pk=obj.pk).first() or obj
        return Response(self.get_serializer(fresh).data, status=status_code)

    def expected_version(self) -> int | None:
        """The version a PUT/PATCH was made from: `If-Match` (the ETag of a detail GET,
        `"3"` or `W/"3"`) or a `version` field in the body; None when neither is sent."""
        header = self.request.headers.get("If-Match", "").strip()
        if header and header != "*":
            match = ETAG.fullmatch(header)
            if match is None:
                raise DomainError(_('If-Match harus ETag dari GET data ini, misalnya "3".'), field="version")
            return int(match.group(1))
        body = self.request.data.get("version") if hasattr(self.request.data, "get") else None
        if body is None or body == "":
            return None
        if isinstance(body, bool) or not str(body).isdigit() or len(str(body)) > 9:
            raise DomainError(_("Versi harus bilangan bulat dari GET data ini."), field="version")
        return int(body)

    def finalize_response(self, request, response, *args, **kwargs):
        """A single versioned record answers with its version as a strong ETag."""
        response = super().finalize_response(request, response, *args, **kwargs)
        data = getattr(response, "data", None)
        if (
            self.detail
            and 200 <= response.status_code < 300
            and isinstance(data, dict)
            and isinstance(data.get("version"), int)
        ):
            response["ETag"] = f'"{data["version"]}"'
        return response


ETAG = re.compile(r'(?:W/)?"(\d{1,9})"')


class ReferenceViewSet(ApiViewSet):
    """Province-wide reference data: any user with a region reads all of it; a user with
    no region reads nothing."""

    permission_classes = [IsAuthenticated]

    def get_queryset(self) -> QuerySet:
        rows = self.model._default_manager.all()
        return rows if region_codes_q(self.request.user) is not None else rows.none()
