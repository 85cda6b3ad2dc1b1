"""A stack's spec glob, read from the project's files (Pulumi.yaml, Pulumi.<stack>.yaml) without the pulumi CLI.

`vodjobs validate --stack S` and the pre-commit hook run where neither the engine nor the backend is available (a
laptop's hook, a fork's pull request), so they read the committed stack files with PyYAML, the one library
`vodjobs validate` needs. Only the plaintext `vodjobs:specs` is read; secrets are never decrypted here.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

import yaml

from vod_provider.errors import CliError
from vod_provider.spec.loader import DEFAULT_SPEC_GLOB, SpecIssue

# The same key as vod_provider.api.settings.CONFIG_SPECS (tests/unit/test_stack_files.py checks): validate may not
# import the API layer, which loads requests.
CONFIG_SPECS = "vodjobs:specs"


class StackFileError(CliError):
    """A stack named on the command line has no Pulumi.<stack>.yaml, or a stack file cannot be read."""


def stack_names(root: Path) -> list[str]:
    """The stacks whose settings files are committed beside Pulumi.yaml (Pulumi.<stack>.yaml), sorted."""
    return sorted(path.name[len("Pulumi."):-len(".yaml")] for path in root.glob("Pulumi.*.yaml"))


@dataclass(frozen=True)
class SpecGlob:
    """A stack's glob of spec files, and where it was set: `file` (Pulumi.<stack>.yaml or Pulumi.yaml) at `line`,
    `column`, 1-based; for the built-in default, the stack's file (or Pulumi.yaml) at 1:1."""

    pattern: str
    file: str
    line: int = 1
    column: int = 1

    def no_files_issue(self) -> SpecIssue:
        """The spec problem of a glob that matches no file, pointing at where the glob was set."""
        return SpecIssue(self.file, self.line, self.column, CONFIG_SPECS, "no-files",
                         f"no spec file matches {self.pattern!r}; to remove every job on purpose, keep one file "
                         "containing `jobs: {}`")


def stack_spec_glob(stack: str, root: Path, required: bool = True) -> str:
    """The glob of spec files `stack` reads: its `vodjobs:specs`, else the project's default, else DEFAULT_SPEC_GLOB.

    Raises StackFileError for a stack with no Pulumi.<stack>.yaml when `required` (naming the nearest stack there
    is; `pulumi` itself accepts a stack without one, so a preview does not require it), a file that is not valid
    YAML, or a `vodjobs:specs` that is not a string.
    """
    return spec_glob(stack, root, required).pattern


def spec_glob(stack: str, root: Path, required: bool = True) -> SpecGlob:
    """`stack_spec_glob`, with where the glob was set (for a problem report)."""
    path = root / f"Pulumi.{stack}.yaml"
    if required and not path.is_file():
        known = stack_names(root)
        close = difflib.get_close_matches(stack, known, n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"the stacks here: {', '.join(known) or 'none'}"
        raise StackFileError(f"no stack {stack!r}: {path.name} does not exist in {root}; {hint}")
    for candidate in (path, root / "Pulumi.yaml"):
        found = _config_value(candidate)
        if found is not None:
            return found
    return SpecGlob(DEFAULT_SPEC_GLOB, path.name if path.is_file() else "Pulumi.yaml")


def project_spec_glob(root: Path) -> str:
    """The project's default glob of spec files: `vodjobs:specs` in Pulumi.yaml's config, else DEFAULT_SPEC_GLOB."""
    found = _config_value(root / "Pulumi.yaml")
    return found.pattern if found is not None else DEFAULT_SPEC_GLOB


def _config_value(path: Path) -> SpecGlob | None:
    """`vodjobs:specs` in a stack or project file (None when the file or the key is absent), with its position."""
    if not path.is_file():
        return None
    try:
        document = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, yaml.YAMLError) as exc:
        raise StackFileError(f"{path.name}: cannot read it: {exc}") from None
    node = _mapping_value(_mapping_value(document, "config"), CONFIG_SPECS)
    if isinstance(node, yaml.MappingNode):  # Pulumi.yaml declares project config as {default: …} or {value: …}
        node = _mapping_value(node, "value") or _mapping_value(node, "default")
    if node is None:
        return None
    if not isinstance(node, yaml.ScalarNode) or node.tag != "tag:yaml.org,2002:str" or not node.value:
        raise StackFileError(f"{path.name}:{node.start_mark.line + 1}: {CONFIG_SPECS} must be a glob such as "
                             f"'specs/**/*.yaml', got {node.value if isinstance(node, yaml.ScalarNode) else 'a ' + type(node).__name__}")
    return SpecGlob(node.value, path.name, node.start_mark.line + 1, node.start_mark.column + 1)


def _mapping_value(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    return next((value for name, value in node.value if isinstance(name, yaml.ScalarNode) and name.value == key), None)
