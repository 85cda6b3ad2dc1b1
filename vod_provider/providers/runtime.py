"""The provider process's settings and VOD client, filled in by `configure()`.

Pulumi pickles every dynamic provider *instance* into state, so nothing about
the stack (endpoint, AccessKey) may live on it. It lives here instead: one
holder per provider process, set once from the stack config and environment,
read by every provider call (on up to four threads at once).

A settings problem is remembered, not raised, at configure time: a preview
that only diffs declared jobs against state needs no credentials, so it must
not fail for lack of them. The first call that needs the API raises it.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path

from vod_provider.api.client import VodClient
from vod_provider.api.credentials import ConfigGetter, CredentialsError
from vod_provider.api.pacing import RateLimiter
from vod_provider.api.settings import SettingsError, resolve_settings
from vod_provider.errors import VodjobsError
from vod_provider.providers.read_batching import ReadBatcher
from vod_provider.safety.journal import Journal
from vod_provider.safety.journal_location import (
    CONFIG_JOURNAL_DIR,
    CONFIG_JOURNAL_URL,
    JournalLocation,
    LocalJournalLocation,
    journal_location,
    stack_backend_url,
)
from vod_provider.safety.stores import open_journal


class ProviderNotConfiguredError(VodjobsError):
    """A provider method needed the API before the engine configured the provider."""


class ProviderRuntime:
    """Thread-safe holder of the configured VodClient (or of the reason there is none)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._client: VodClient | None = None
        self._batcher: ReadBatcher | None = None
        self._journal_location: JournalLocation = LocalJournalLocation(Path.cwd() / ".vodjobs" / "journal")
        self._journal: Journal = open_journal(self._journal_location)
        self._journal_problem: Exception | None = None
        self._problem: Exception | None = ProviderNotConfiguredError(
            "the vodjobs provider was used before Pulumi configured it"
        )

    def configure(self, get_config: ConfigGetter, environ: Mapping[str, str]) -> None:
        self._configure_journal(get_config, environ)
        try:
            settings = resolve_settings(get_config, environ)
        except (SettingsError, CredentialsError) as exc:
            with self._lock:
                self._client, self._problem = None, exc
            return
        with self._lock:
            # One client, and so one RateLimiter, for every resource and thread of this process.
            client = VodClient(settings.endpoint, settings.credentials, limiter=RateLimiter(settings.max_qps))
            self._client, self._problem = client, None
            self._batcher = ReadBatcher(client.get_ai_image_jobs)

    def client(self) -> VodClient:
        """The configured client; raises the configuration problem if there is one."""
        with self._lock:
            if self._client is None:
                problem = self._problem
                assert problem is not None
                # A fresh exception per call: several threads may raise it at once.
                raise type(problem)(*problem.args)
            return self._client

    def journal(self) -> Journal:
        """The stack's journal; raises the problem of its settings (vodjobs:journalUrl / journalDir) if there is one."""
        with self._lock:
            if self._journal_problem is not None:
                raise type(self._journal_problem)(*self._journal_problem.args)
            return self._journal

    def _configure_journal(self, get_config: ConfigGetter, environ: Mapping[str, str]) -> None:
        settings = {key: value for key in (CONFIG_JOURNAL_URL, CONFIG_JOURNAL_DIR) if (value := get_config(key))}
        # The provider runs in the project directory: relative paths and Pulumi.yaml are found from here.
        project_dir = Path.cwd()
        try:
            location = journal_location(settings, stack_backend_url(project_dir, environ), project_dir)
        except VodjobsError as exc:
            with self._lock:
                self._journal_problem = exc
            return
        with self._lock:
            self._journal_problem = None
            # Both providers configure the one runtime: keep the open journal (and what it read) if it is the same.
            if location != self._journal_location:
                self._journal_location, self._journal = location, open_journal(location)

    def batcher(self) -> ReadBatcher:
        """Job lookups that share GetAIImageJobs calls with the other threads' lookups."""
        self.client()  # raises the configuration problem, if any
        with self._lock:
            assert self._batcher is not None
            return self._batcher


# The one runtime of this provider process, shared by the job and template providers (both are configured with the
# same stack config; configure() is idempotent).
RUNTIME = ProviderRuntime()
