"""The batch benchmark says in one line when a command it is given cannot run."""

from __future__ import annotations

import os

import pytest

from benchmarks.batch import run_once


def test_a_command_that_does_not_exist_is_one_line() -> None:
    with pytest.raises(SystemExit) as stopped:
        run_once(["no-such-footnote-command"], ["hi"], None, dict(os.environ))
    message = "no-such-footnote-command: cannot run it: No such file or directory"
    assert str(stopped.value) == message
