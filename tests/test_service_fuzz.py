"""A fuzz pass over the service from its own OpenAPI document (schemathesis, a bounded and
derandomized number of examples per operation): no request makes a 500, and every answer has
a documented status, content type and shape."""

from __future__ import annotations

from collections import Counter

import pytest

from translator.service.options import ServiceOptions

from .conftest import needs_apertium
from .service_support import running, translator  # noqa: F401  (fixture)

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = needs_apertium
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def api_schema(translator):  # noqa: F811
    options = ServiceOptions(access_log="off", char_limit=2000, batch_limit=20, timeout=30)
    with running(options, translator) as srv:
        yield schemathesis.openapi.from_url(srv.url + "/spec")


def test_no_request_makes_a_server_error(api_schema):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 7
    statuses: Counter = Counter()
    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=30, derandomize=True, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case) -> None:
            response = case.call_and_validate(checks=CHECKS)
            statuses[(operation.label, response.status_code)] += 1

        check()
    print(sorted(statuses.items()))
    assert sum(statuses.values()) >= 7 * 10  # examples really sent
    assert statuses[("POST /translate", 200)] and statuses[("POST /translate", 400)]
