"""With BANTEN_REQUIRE_SERVICES=1 (CI) a skipped test fails, naming what it skipped for;
without it, skips stay skips (SQLite on a laptop)."""

import pytest

pytest_plugins = ["pytester"]

CONFTEST = "from tests.conftest import pytest_make_collect_report, pytest_runtest_makereport\n"
TESTS = """
import pytest

def test_row_locks():
    pytest.skip("row locks need PostgreSQL")

@pytest.mark.skipif(True, reason="Debian's chromium is not installed")
def test_browser():
    pass

@pytest.mark.xfail(reason="a known defect, not a missing service")
def test_known_defect():
    assert False

def test_plain():
    pass
"""
MODULE_SKIP = 'import pytest\npytest.skip("Redis is not reachable", allow_module_level=True)\n'


@pytest.fixture
def run(pytester, monkeypatch):
    """Run the suite above in this process, with the project's hooks and no Django."""
    pytester.makeconftest(CONFTEST)

    def run(required: bool, **files: str):
        monkeypatch.setenv("BANTEN_REQUIRE_SERVICES", "1" if required else "")
        pytester.makepyfile(**files)
        return pytester.runpytest("-p", "no:django", "-p", "no:cacheprovider", "-rA")

    return run


def test_a_skip_fails_when_services_are_required(run):
    result = run(True, test_suite=TESTS)
    result.assert_outcomes(failed=1, errors=1, passed=1, xfailed=1)  # skipif acts at setup: an error
    result.stdout.fnmatch_lines(  # errors (setup) are listed before failures (call)
        [
            "*ERROR at setup of test_browser*",
            "BANTEN_REQUIRE_SERVICES=1, so no test may skip, but this one did: Debian's chromium is not installed",
            "*test_row_locks*",
            "BANTEN_REQUIRE_SERVICES=1, so no test may skip, but this one did: row locks need PostgreSQL",
        ]
    )
    assert result.ret == pytest.ExitCode.TESTS_FAILED


def test_a_module_skip_fails_when_services_are_required(run):
    result = run(True, test_queue=MODULE_SKIP)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*no test may skip, but this one did: Redis is not reachable*"])
    assert result.ret != pytest.ExitCode.OK


def test_skips_stay_skips_otherwise(run):
    result = run(False, test_suite=TESTS, test_queue=MODULE_SKIP)
    result.assert_outcomes(skipped=3, passed=1, xfailed=1)
    assert result.ret == pytest.ExitCode.OK
