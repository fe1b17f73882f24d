"""What every API view shares: auth, permissions, pagination, filters, errors, schema,
and the write path (validate the shape, call the service, answer with the fresh row)."""

from django.db.models import Model, QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.authentication import SessionAuthentication
from rest_framework.filters import OrderingFilter
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

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


class ReferenceViewSet(ApiViewSet):
    """Province-wide reference data: any user with a region reads all of it; a user with
    no region reads nothing."""

    permission_classes = [IsAuthenticated]

    def get_queryset(self) -> QuerySet:
        rows = self.model._default_manager.all()
        return rows if region_codes_q(self.request.user) is not None else rows.none()
