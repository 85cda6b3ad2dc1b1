"""A stack's spec glob, read from the project's files (Pulumi.yaml, Pulumi.<stack>.yaml) without the pulumi CLI.

`vodjobs validate --stack S` and the pre-commit hook run where neither the engine nor the backend is available (a
laptop's hook, a fork's pull request), so they read the committed stack files with PyYAML, the one library
`vodjobs validate` needs. Only the plaintext `vodjobs:specs` is read; secrets are never decrypted here.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import yaml

from vod_provider.errors import CliError
from vod_provider.spec.loader import DEFAULT_SPEC_GLOB

# The same key as vod_provider.api.settings.CONFIG_SPECS (tests/unit/test_stack_files.py checks): validate may not
# import the API layer, which loads requests.
CONFIG_SPECS = "vodjobs:specs"


class StackFileError(CliError):
    """A stack named on the command line has no Pulumi.<stack>.yaml, or a stack file cannot be read."""


def stack_names(root: Path) -> list[str]:
    """The stacks whose settings files are committed beside Pulumi.yaml (Pulumi.<stack>.yaml), sorted."""
    return sorted(path.name[len("Pulumi."):-len(".yaml")] for path in root.glob("Pulumi.*.yaml"))


def stack_spec_glob(stack: str, root: Path) -> str:
    """The glob of spec files `stack` reads: its `vodjobs:specs`, else the project's default, else DEFAULT_SPEC_GLOB.

    Raises StackFileError for a stack with no Pulumi.<stack>.yaml (naming the stacks there are) or a file that is
    not valid YAML, or whose `vodjobs:specs` is not a string.
    """
    path = root / f"Pulumi.{stack}.yaml"
    if not path.is_file():
        known = stack_names(root)
        close = difflib.get_close_matches(stack, known, n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"the stacks here: {', '.join(known) or 'none'}"
        raise StackFileError(f"no stack {stack!r}: {path.name} does not exist in {root}; {hint}")
    return _config_value(_read(path), path) or project_spec_glob(root)


def project_spec_glob(root: Path) -> str:
    """The project's default glob of spec files: `vodjobs:specs` in Pulumi.yaml's config, else DEFAULT_SPEC_GLOB."""
    return _config_value(_read(root / "Pulumi.yaml"), root / "Pulumi.yaml") or DEFAULT_SPEC_GLOB


def _read(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise StackFileError(f"{path.name}: cannot read it: {exc}") from None
    return document if isinstance(document, dict) else {}


def _config_value(document: dict[str, Any], path: Path) -> str | None:
    config = document.get("config")
    value = config.get(CONFIG_SPECS) if isinstance(config, dict) else None
    if isinstance(value, dict):  # Pulumi.yaml declares project config as {default: …} or {value: …}
        value = value.get("value", value.get("default"))
    if value is None:
        return None
    if not isinstance(value, str):
        raise StackFileError(f"{path.name}: {CONFIG_SPECS} must be a glob string, got {type(value).__name__}")
    return value
