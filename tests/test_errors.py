"""The error tree: exit statuses, the documented table, the tree drawing, warn()."""

from __future__ import annotations

import inspect
import re

import pytest

from llm_core import errors
from llm_core.errors import (
    EXIT_STATUS_TABLE,
    DateError,
    ExitStatus,
    LLMCoreError,
    UsageError,
    reset_warnings,
    warn,
)

CLASSES = [c for _, c in inspect.getmembers(errors, inspect.isclass) if issubclass(c, LLMCoreError)]


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_every_error_carries_an_exit_status(cls):
    assert isinstance(cls.exit_code, ExitStatus)


def test_the_docstring_draws_every_class_with_its_exit_status():
    drawn = {}
    for line in errors.__doc__.splitlines():
        match = re.match(r"^\s+[│├└─ ]*(\w+(?:Error|Exceeded))\s+(\d+)\s", line)
        if match:
            drawn[match[1]] = int(match[2])
    assert drawn == {c.__name__: int(c.exit_code) for c in CLASSES}


def test_the_docstring_draws_each_class_under_its_parent():
    depth = {}
    for line in errors.__doc__.splitlines():
        match = re.match(r"^(\s+[│├└─ ]*)(\w+(?:Error|Exceeded))\s", line)
        if match:
            depth[match[2]] = len(match[1])
    for cls in CLASSES:
        if cls is not LLMCoreError:
            assert depth[cls.__name__] == depth[cls.__base__.__name__] + 4, cls


def test_the_documented_table_is_the_enum_in_order():
    assert [code for code, _ in EXIT_STATUS_TABLE] == [int(s) for s in ExitStatus]
    assert {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 129, 130, 141, 143} == {int(s) for s in ExitStatus}
    assert all(meaning and "\n" not in meaning for _, meaning in EXIT_STATUS_TABLE)


def test_date_errors_are_usage_errors_inside_the_tree():
    error = DateError("--since: cannot read 'soon'")
    assert isinstance(error, UsageError) and isinstance(error, LLMCoreError)
    assert error.exit_code == ExitStatus.USAGE == 2
    assert str(error) == "--since: cannot read 'soon'"


def test_warn_writes_once_per_key(capsys):
    reset_warnings()
    warn("prices are old")
    warn("prices are old")
    warn("same words", key="a")
    warn("same words", key="b")
    warn("other words", key="a")
    assert capsys.readouterr().err == (
        "Warning: prices are old\nWarning: same words\nWarning: same words\n")
    reset_warnings()
    warn("prices are old")
    assert capsys.readouterr().err == "Warning: prices are old\n"


def test_held_warnings_come_out_when_released_in_order(capsys):
    from llm_core.errors import hold_warnings, reset_warnings, warn

    reset_warnings()
    hold_warnings(True)
    warn("first held")
    hold_warnings(True)  # still open: the same hold
    warn("second held")
    assert capsys.readouterr().err == ""
    hold_warnings(False)
    assert capsys.readouterr().err == "Warning: first held\nWarning: second held\n"
    warn("not held")
    hold_warnings(False)  # nothing held: nothing more
    assert capsys.readouterr().err == "Warning: not held\n"
