"""Property-based fuzzing of the JSON API from its own OpenAPI document (schemathesis), in process, on each backend.

Every operation the document declares gets a bounded, derandomised run (`EXAMPLES` generated cases, no shrinking,
no example database) as a platform administrator and as an organisation member, each with a real API token; every
case runs in a SAVEPOINT rolled back afterwards (see tests/security/conftest.py). The oracle is "never a server
error". `test_the_document_declares_every_api_route` keeps the document honest: an API route missing from it
would otherwise never be fuzzed.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from tests.security.conftest import World
from tests.security.test_authz_matrix import routes

EXAMPLES = 15


FUZZ = settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))


def _fuzz(world: World, who: str) -> tuple[list[str], list[str]]:
    """Run every /api/v1 operation of the document; returns (operations run, failures)."""
    token = world.personas[who].token
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", world.app)
    ran: list[str] = []
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()  # an operation the fuzzer cannot load raises here: nothing is skipped silently
        if not operation.path.startswith("/api/v1/"):
            continue  # the HTML pages are in the document too; the matrix covers them
        label = f"{operation.method.upper()} {operation.path}"
        seen: list[str] = []

        @FUZZ
        @given(case=st.one_of(operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE)))
        def run(case: schemathesis.Case) -> None:
            nested = world.connection.begin_nested()
            try:
                response = case.call(headers={"Authorization": f"Bearer {token}"})
            except Exception as exc:  # the in-process transport re-raises what the app's 500 handler saw
                if not seen:
                    seen.append(f"{label}: {case.as_curl_command()} -> 500 ({type(exc).__name__}: {str(exc)[:200]})")
                return
            finally:
                if nested.is_active:
                    nested.rollback()
            try:
                case.validate_response(response, checks=[not_a_server_error])
            except AssertionError as failure:  # schemathesis' failures are AssertionErrors
                if not seen:
                    seen.append(f"{label}: {case.as_curl_command()} -> {response.status_code}: {str(failure)[:300]}")

        run()
        ran.append(label)
        failures.extend(seen)
    return ran, failures


@pytest.mark.parametrize("who", ["platform_admin", "org_member:JP"])
def test_no_server_error(world: World, who: str) -> None:
    """Every JSON operation, fuzzed with valid and invalid input as `who`: never a 5xx."""
    ran, failures = _fuzz(world, who)
    assert len(ran) > 50
    assert not failures, "\n".join(failures)


def test_the_document_declares_every_api_route(world: World) -> None:
    """Every /api/v1 route of the app is an operation of the OpenAPI document (so the fuzzer reaches it)."""
    document = world.app.openapi()
    declared = {f"{method.upper()} {path}" for path, item in document["paths"].items() for method in item}
    api = {f"{e.method} {e.path}" for e in routes() if e.path.startswith("/api/v1/")}
    assert api - declared == set()
