"""Where a stack's submission journal lives: a local directory, or objects in an S3-API bucket (OSS, S3, MinIO).

The rule, in order (README "When a run dies"):

1. `vodjobs:journalUrl` names a bucket explicitly, in the URL form of Pulumi's DIY backend:
   `s3://bucket/prefix?endpoint=https://oss-cn-shanghai.aliyuncs.com&region=cn-shanghai&use_path_style=true`.
2. `vodjobs:journalDir` names a local directory (relative paths: relative to the project).
3. A stack whose backend is itself `s3://…` keeps its journal in that bucket, beside the state, under
   `<backend prefix>/.vodjobs/journal/`: a pipeline that keeps its state on OSS gets a durable journal with no setting.
4. Otherwise `.vodjobs/journal/` in the project: only as durable as the disk of the machine that runs `pulumi up`.

Pure but for `stack_backend_url`, which reads where the pulumi CLI is logged in.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import yaml

from vod_provider.errors import VodjobsError
from vod_provider.safety.journal import DEFAULT_DIR

CONFIG_JOURNAL_DIR = "vodjobs:journalDir"
CONFIG_JOURNAL_URL = "vodjobs:journalUrl"
BESIDE_STATE = ".vodjobs/journal"
# Query parameters of an s3:// URL that the journal understands (Pulumi's DIY backend takes the same ones).
URL_PARAMETERS = ("endpoint", "region", "use_path_style", "s3ForcePathStyle", "disableSSL", "awssdk", "profile")


class JournalLocationError(VodjobsError):
    """vodjobs:journalUrl / vodjobs:journalDir cannot be used as given."""


@dataclass(frozen=True)
class LocalJournalLocation:
    directory: Path

    def describe(self) -> str:
        return f"the local directory {self.directory}"

    @property
    def durable(self) -> bool:
        return False


@dataclass(frozen=True)
class BucketJournalLocation:
    """Objects under `s3://bucket/prefix/`; endpoint None means the AWS SDK's default for the region."""

    bucket: str
    prefix: str
    endpoint: str | None = None
    region: str | None = None
    path_style: bool = False
    profile: str | None = None

    def describe(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}" + (f" at {self.endpoint}" if self.endpoint else "")

    @property
    def durable(self) -> bool:
        return True


JournalLocation = LocalJournalLocation | BucketJournalLocation


def parse_bucket_url(url: str, setting: str, subpath: str = "") -> BucketJournalLocation:
    """`s3://bucket/prefix?endpoint=…&region=…&use_path_style=true` → where the objects go (prefix + subpath)."""
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc:
        raise JournalLocationError(
            f"{setting} = {url!r} is not a bucket URL such as "
            "'s3://my-bucket/vodjobs?endpoint=https://oss-cn-shanghai.aliyuncs.com&region=cn-shanghai'"
        )
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    unknown = sorted(set(query) - set(URL_PARAMETERS))
    if unknown:
        raise JournalLocationError(f"{setting}: unknown URL parameter {unknown[0]!r}; known: {', '.join(URL_PARAMETERS)}")
    prefix = "/".join(part for part in (parts.path.strip("/"), subpath) if part)
    path_style = "true" in (query.get("use_path_style", "").lower(), query.get("s3ForcePathStyle", "").lower())
    return BucketJournalLocation(parts.netloc, prefix, query.get("endpoint") or None, query.get("region") or None,
                                 path_style, query.get("profile") or None)


def journal_location(config: Mapping[str, str], backend_url: str | None, project_dir: Path) -> JournalLocation:
    """The stack's journal location from its config and backend URL (module docstring); JournalLocationError."""
    url, directory = config.get(CONFIG_JOURNAL_URL), config.get(CONFIG_JOURNAL_DIR)
    if url and directory:
        raise JournalLocationError(f"set {CONFIG_JOURNAL_URL} or {CONFIG_JOURNAL_DIR}, not both: the journal lives in one place")
    if url:
        return parse_bucket_url(url, CONFIG_JOURNAL_URL)
    if directory:
        path = Path(directory)
        return LocalJournalLocation(path if path.is_absolute() else project_dir / path)
    if backend_url and backend_url.startswith("s3://"):
        return parse_bucket_url(backend_url, "the stack's backend URL", BESIDE_STATE)
    return LocalJournalLocation(project_dir / DEFAULT_DIR)


def stack_backend_url(project_dir: Path, environ: Mapping[str, str]) -> str | None:
    """The backend the pulumi CLI uses here: PULUMI_BACKEND_URL, else Pulumi.yaml's backend.url, else `pulumi login`'s."""
    if environ.get("PULUMI_BACKEND_URL"):
        return environ["PULUMI_BACKEND_URL"]
    try:
        project = yaml.safe_load((project_dir / "Pulumi.yaml").read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        project = {}
    backend = project.get("backend") if isinstance(project, dict) else None
    if isinstance(backend, dict) and backend.get("url"):
        return str(backend["url"])
    home = Path(environ.get("PULUMI_HOME") or Path(environ.get("HOME", "~")).expanduser() / ".pulumi")
    try:
        current = json.loads((home / "credentials.json").read_text(encoding="utf-8")).get("current")
    except (OSError, ValueError):
        return None
    return str(current) if current else None


def describe_for_ci(location: JournalLocation, environ: Mapping[str, str]) -> str | None:
    """The one warning an `up` on a CI runner gets when its journal dies with the runner; None otherwise."""
    if location.durable or environ.get("CI", "").lower() not in ("true", "1"):
        return None
    return (f"vodjobs keeps its submission journal in {location.describe()} on this CI runner: if the runner dies mid-run, "
            f"crash safety dies with its disk. Keep the state in an s3:// (OSS) backend, or set {CONFIG_JOURNAL_URL} "
            "(README \"When a run dies\").")
