"""What `vodjobs discover` tells its user: what it wrote, what to run next, and every video and job it left out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from vod_provider.cli.discover_plan import Discovery
from vod_provider.spec.adoption_spec import AdoptionSpec
from vod_provider.wording import counted, rows_text


def _shown(path: Path, cwd: Path) -> str:
    try:
        return str(path.resolve().relative_to(cwd.resolve()))
    except ValueError:
        return str(path)


def render_report(discovery: Discovery, spec_path: Path | None, rendered: AdoptionSpec | None, cwd: Path,
                  without_path: Path | None = None, template_ids: Sequence[str] = (),
                  unread: tuple[str, str] | None = None) -> str:
    """The report as text: `spec_path`/`rendered` None when nothing was written; `template_ids`: the --template-id
    filter; `unread`: (stack, its spec glob) when the glob does not read the written spec. Pure."""
    videos = len({job.video_id for job in discovery.adopted})
    lines = [f"Found {counted(len(discovery.adopted), 'job')} to adopt on {counted(videos, 'video')}."]
    if spec_path is not None and rendered is not None:
        items = ", ".join(_shown(spec_path.parent / name, cwd) for name in rendered.items)
        lines.append(f"Wrote {_shown(spec_path, cwd)}: {counted(rendered.set_jobs, 'job')} in job sets"
                     + (f" (items {items})" if items else "")
                     + (f", {counted(len(rendered.plain_jobs), 'job')} under jobs: (UserData of another shape than the set's rows)"
                        if rendered.plain_jobs else "") + ".")
        if unread is not None:
            lines.append(f"Not read yet: stack {unread[0]} reads the spec files {unread[1]!r}, which do not include "
                         f"{_shown(spec_path, cwd)}; move it there, or change the stack's vodjobs:specs, before `pulumi preview`.")
        else:
            lines.append(f"Next: `pulumi preview` shows {counted(len(discovery.adopted), 'adoption')} (+ create, each job "
                         "checked against the service), and `pulumi up` records their JobIds, submitting nothing.")
    else:
        lines.append("Nothing written: no video listed has a finished job to adopt.")
    if discovery.without_job:
        on = f" on {'the template' if len(template_ids) == 1 else 'the templates'} of --template-id" if template_ids else ""
        notes = ([f"listed in {_shown(without_path, cwd)}"] if without_path is not None else []) + (
            ["jobs on other templates are listed below as not adopted"] if template_ids else [])
        where = f" ({'; '.join(notes)})" if notes else ""
        lines += ["", f"{counted(len(discovery.without_job), 'video')} without a job{on}{where}; declare them to submit one:",
                  *(f"  {video}" for video in discovery.without_job)]
    if discovery.unknown_videos:
        lines += ["", f"{counted(len(discovery.unknown_videos), 'video')} unknown to the service (InvalidVideo.NotFound); "
                      "check the ids and vodjobs:region:", *(f"  {video}" for video in discovery.unknown_videos)]
    if discovery.passed_over:
        lines += ["", f"{counted(len(discovery.passed_over), 'job')} found but not adopted:",
                  *(f"  {p.job_id} (video {p.video_id}{f', template {p.template_id}' if p.template_id else ''}): {p.reason}"
                    for p in discovery.passed_over)]
    return "\n".join(lines) + "\n"


def repeated_sentence(videos_file: Path, repeated: Mapping[str, Sequence[int]], most: int = 3) -> str:
    """E.g. "videos.csv lists 2 videos more than once (aaaa… on lines 2, 4, …): each is looked up and adopted once"."""
    shown = [f"{video} on {rows_text(lines, 'line')}" for video, lines in list(repeated.items())[:most]]
    more = ", …" if len(repeated) > most else ""
    return (f"{videos_file} lists {counted(len(repeated), 'video')} more than once ({'; '.join(shown)}{more}): each is "
            "looked up and adopted once")
