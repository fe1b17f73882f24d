"""Schemathesis over the served schema: for every operation, a bounded number of
generated requests as an official and as a village head; none may answer 500, and every
answer must match the schema (status code, content type and body)."""

import os

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.tokens import issue_token
from beneficiaries.services import open_case, request_move
from tests.factories import (
    EnterpriseFactory,
    GroupFactory,
    HouseholdFactory,
    MembershipFactory,
    PersonFactory,
)

# Per operation and user; about 50 operations x 2 users stay within a minute or two on 2 cores.
EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "10"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def keep_connection_open():
    """Schemathesis calls the WSGI app directly; like Django's test client, keep the
    request signals from closing the test's database connection (and its transaction)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def known_ids(head_a, program, partner, db):
    """Real rows of village A, so that some generated requests reach existing records."""
    household = HouseholdFactory()
    person = PersonFactory(household=household)
    case = open_case(actor=head_a, household=household)
    move = request_move(actor=head_a, case=case, to="exited", exit_reason="moved")
    group = GroupFactory(enterprise=EnterpriseFactory())
    MembershipFactory(group=group, household=household)
    return {
        "households": household.pk,
        "persons": person.pk,
        "cases": case.pk,
        "moves": move.pk,
        "groups": group.pk,
        "enterprises": group.enterprise_id,
        "programs": program.pk,
        "partners": partner.pk,
        "regencies": "36.01",
        "districts": "36.01.01",
        "villages": "36.01.01.2001",
    }


def fuzz_operation(operation, token: str, known: dict) -> None:
    resource = operation.path.split("/")[3]

    @hypothesis.given(case=operation.as_strategy(), use_known=st.booleans())
    @hypothesis.settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
    )
    def run(case, use_known):
        params = case.path_parameters or {}
        for name in ("id", "code"):
            if use_known and name in params and resource in known:
                params[name] = known[resource]
        headers = {"Authorization": f"Token {token}"}
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)

    run()


@pytest.fixture(autouse=True)
def _reads_unlimited(settings):
    """The fuzzer sends thousands of reads as one user: past the read limits they would all
    be 429 (tests/api/test_throttles.py proves those limits)."""
    settings.API_READ_RATE = settings.API_IDENTITY_READ_RATE = "1000000/hour"


@pytest.mark.parametrize("user", ["province", "head_a"])
def test_generated_requests_get_no_500_and_answers_that_match_the_schema(
    request, known_ids, keep_connection_open, user
):
    token = issue_token(user=request.getfixturevalue(user))[1]
    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/schema/?format=json", get_wsgi_application(), headers={"Authorization": f"Token {token}"}
    )
    # Revoking the fuzzer's own token would leave every later request at 401: test_auth.py
    # covers that endpoint.
    operations = [
        op
        for op in (result.ok() for result in schema.get_all_operations())
        if not (op.method.upper() == "DELETE" and "/auth/tokens/{" in op.path)
    ]
    assert len(operations) > 40
    for operation in operations:
        fuzz_operation(operation, token, known_ids)
