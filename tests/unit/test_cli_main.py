"""`vodjobs` itself: a mistyped command or option names the nearest known one, with the usage that helps."""

from __future__ import annotations

import io

import pytest

from vod_provider.cli import main


@pytest.mark.parametrize(("argv", "said"), [
    (["statsu"], "unknown command statsu (did you mean status?); the commands are validate, status, recover"),
    (["status", "--stak", "prod"], "vodjobs status: error: unknown option --stak (did you mean --stack?)"),
    (["validate", "--all-stack"], "vodjobs validate: error: unknown option --all-stack (did you mean --all-stacks?)"),
])
def test_a_mistyped_command_or_option_is_a_usage_error_naming_the_nearest(argv: list[str], said: str,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv, out=io.StringIO())

    assert exited.value.code == 2
    assert said in capsys.readouterr().err
