"""What submit_once says when a submit may have run: the words match what it did."""

from __future__ import annotations


def test_the_maybe_submitted_message_says_a_search_was_made_only_when_one_was() -> None:
    from vod_provider.safety.submission import JobMaybeSubmittedError

    first = str(JobMaybeSubmittedError("job 'a'", "v" * 32, None, "tok", "Transport.Broken: …", "p/s/a"))
    later = str(JobMaybeSubmittedError("job 'a'", "v" * 32, None, None, "an earlier run left …", "p/s/a", searched=True))

    assert "no finished job matching it was found" not in first
    assert f"no finished job matching it was found on video {'v' * 32}" in later
    assert "`vodjobs journal forget p/s/a` then `pulumi up` again" in first
