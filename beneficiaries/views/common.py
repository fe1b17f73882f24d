"""What every page view shares: turning a service's DomainError into the right answer."""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from core.errors import DomainError

from ..forms import show_domain_error


def run_service(service: Callable[..., Any], form, *, formset=None, rows=None, **kwargs) -> Any:
    """Call a service; on refusal put its errors on the form and return None. Out of
    region is 404 (existence does not leak) and a role that may not act is 403."""
    try:
        return service(**kwargs)
    except DomainError as error:
        if error.code == DomainError.NOT_FOUND:
            raise Http404(error.message) from None
        if error.code == DomainError.FORBIDDEN:
            raise PermissionDenied(error.message) from None
        show_domain_error(error, form, formset=formset, rows=rows)
        return None
