"""Searches by NIK, KK or name never travel in a URL (UU 27/2022: access logs, browser
history, the Referer sent onwards).

The search box POSTs its term here; the term is kept in the user's session under a keyed
hash (HMAC-SHA256 with SECRET_KEY, so the log holds nothing that a list of possible NIKs
could be matched against), and the browser is sent back to the list with `q=~<hash>`.
Lists, pagination links and filters then carry only the hash; `recall` turns it back into
the term for the search selector.
"""

import hashlib
import hmac
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponseBadRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

REF_PREFIX = "~"
SESSION_KEY = "search-refs"
KEPT = 20  # the latest searches a session can page back through
NOT_PASSED_ON = {"csrfmiddlewaretoken", "next", "q", "page", "p"}


def reference(term: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), f"search:{term}".encode(), hashlib.sha256)
    return REF_PREFIX + digest.hexdigest()[:24]


def remember(request: HttpRequest, term: str) -> str:
    """The reference for `term`, kept in the session ("" for an empty search)."""
    term = term.strip()
    if not term:
        return ""
    ref = reference(term)
    refs = {k: v for k, v in request.session.get(SESSION_KEY, {}).items() if k != ref}
    refs[ref] = term
    request.session[SESSION_KEY] = dict(list(refs.items())[-KEPT:])
    return ref


def recall(request: HttpRequest, value: str | None) -> str:
    """The term behind a reference; a plain value (typed into the URL by hand) as it is;
    an unknown or expired reference finds nothing ("")."""
    value = value or ""
    if not value.startswith(REF_PREFIX):
        return value
    session = getattr(request, "session", None)
    return session.get(SESSION_KEY, {}).get(value, "") if session is not None else ""


def is_plain(value: str | None) -> bool:
    return bool(value) and not str(value).startswith(REF_PREFIX)


@require_POST
def search_redirect(request: HttpRequest):
    """POST `q` and `next` (a path of this site), plus any filters to keep: back to `next`
    with the filters and `q=~<hash>`."""
    target = request.POST.get("next", "")
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseBadRequest()
    params = [(k, v) for k, values in request.POST.lists() if k not in NOT_PASSED_ON for v in values]
    ref = remember(request, request.POST.get("q", ""))
    if ref:
        params.append(("q", ref))
    path = target.split("?", 1)[0]
    return HttpResponseRedirect(f"{path}?{urlencode(params)}" if params else path)
