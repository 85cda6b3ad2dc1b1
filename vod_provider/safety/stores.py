"""Opening a stack's journal where journal_location says it lives (the one place that knows both stores)."""

from __future__ import annotations

from vod_provider.safety.bucket_journal import BucketJournal
from vod_provider.safety.journal import Journal, SubmissionJournal
from vod_provider.safety.journal_location import BucketJournalLocation, JournalLocation


def open_journal(location: JournalLocation) -> Journal:
    """The journal at `location`; nothing is read or written until it is first used."""
    if isinstance(location, BucketJournalLocation):
        return BucketJournal(location)
    return SubmissionJournal(location.directory)
