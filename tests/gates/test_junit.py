from __future__ import annotations

from pathlib import Path

from conveyor.gates.junit import merge_cases, parse_junit

from .conftest import Sample


def test_real_pytest_junit_gives_node_ids(sample: Sample) -> None:
    cases = {c.id: c for c in parse_junit(sample.junit_xml, "junit.xml", sample.root)}
    assert set(cases) == {
        "tests/test_calc.py::test_add",
        "tests/test_calc.py::test_param[1]",
        "tests/test_calc.py::test_param[2]",
        "tests/test_calc.py::TestDiv::test_div",
        "tests/test_calc.py::test_fails",
        "tests/test_calc.py::test_skipped",
    }
    assert cases["tests/test_calc.py::test_fails"].outcome == "failed"
    assert "assert False is True" in cases["tests/test_calc.py::test_fails"].message
    assert cases["tests/test_calc.py::test_skipped"].outcome == "skipped"
    assert (
        cases["tests/test_calc.py::TestDiv::test_div"].alt_id == "tests.test_calc.TestDiv::test_div"
    )
    assert cases["tests/test_calc.py::test_param[1]"].known_as("tests/test_calc.py::test_param")


def test_file_attribute_is_used_when_present(tmp_path: Path) -> None:
    (tmp_path / "j.xml").write_text(
        '<testsuite><testcase file="tests/unit/test_a.py" classname="tests.unit.test_a.TestA" name="test_x"/></testsuite>'
    )
    [case] = parse_junit(tmp_path / "j.xml", "j.xml", tmp_path)
    assert case.id == "tests/unit/test_a.py::TestA::test_x"


def test_module_path_is_guessed_when_the_file_is_not_there(tmp_path: Path) -> None:
    (tmp_path / "j.xml").write_text(
        '<testsuites><testsuite><testcase classname="tests.test_net.TestRetry" name="test_retry"/>'
        '<testcase classname="tests.test_net" name="test_ok"><error message="boom"/></testcase></testsuite></testsuites>'
    )
    cases = parse_junit(tmp_path / "j.xml", "j.xml", tmp_path)
    assert [c.id for c in cases] == [
        "tests/test_net.py::TestRetry::test_retry",
        "tests/test_net.py::test_ok",
    ]
    assert cases[1].outcome == "error"


def test_surefire_rerun_elements_become_attempts(tmp_path: Path) -> None:
    (tmp_path / "j.xml").write_text(
        "<testsuite>"
        '<testcase classname="t.test_a" name="test_flaky"><flakyFailure message="x"/><flakyFailure message="y"/></testcase>'
        '<testcase classname="t.test_a" name="test_broken"><rerunFailure/><failure message="z"/></testcase>'
        "</testsuite>"
    )
    flaky, broken = parse_junit(tmp_path / "j.xml", "j.xml", tmp_path)
    assert flaky.attempts == ("failed", "failed", "passed")
    assert flaky.flaky
    assert flaky.outcome == "passed"
    assert broken.attempts == ("failed", "failed")
    assert not broken.flaky


def test_the_same_id_twice_is_two_attempts(tmp_path: Path) -> None:
    (tmp_path / "j.xml").write_text(
        '<testsuite><testcase classname="t.test_a" name="test_x"><failure/></testcase>'
        '<testcase classname="t.test_a" name="test_x"/></testsuite>'
    )
    [case] = merge_cases(parse_junit(tmp_path / "j.xml", "j.xml", tmp_path))
    assert case.attempts == ("failed", "passed")
    assert case.flaky
