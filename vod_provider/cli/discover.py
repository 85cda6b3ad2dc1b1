"""`vodjobs discover`: write a spec that adopts the image-AI jobs some videos already have, so onboarding submits nothing.

For each video (a file as a job set reads it, or ids on the command line): ListAIImageInfo gives the JobIds of its
finished jobs, GetAIImageJobs (10 JobIds per call) their template, status and UserData, every call paced just under
its documented QPS (the client's RateLimiter, `vodjobs:maxQps` honoured). The newest successful job of each video and
template is written as a row of a job set with `adopt:` (spec/adoption_spec.py says how), and the spec is loaded back
before it is written. Videos without a job are named (and listed in `<out>-without-job.txt`), to declare if wanted.

Exit 0 when the spec was written; 1 when nothing was found to adopt (nothing written) or the videos file is invalid;
2 for a usage problem (no videos, a malformed id, a file that exists without --force); 3 when the stack, its config
or the API cannot be used.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TextIO, TypeVar

from vod_provider.api.client import VodClient
from vod_provider.api.errors import VodError, means_gone
from vod_provider.api.models import MAX_JOB_IDS_PER_QUERY, AIImageJobInfo
from vod_provider.api.pacing import RateLimiter
from vod_provider.api.settings import check_config_keys, resolve_settings
from vod_provider.cli.discover_plan import Discovery, plan_discovery
from vod_provider.cli.discover_report import render_report, repeated_sentence
from vod_provider.cli.exit_codes import ExitCode
from vod_provider.cli.progress import Progress
from vod_provider.cli.stack_files import spec_glob
from vod_provider.cli.stack_reader import export_stack, recorded_jobs, stack_config, stack_name
from vod_provider.errors import VodjobsError
from vod_provider.spec.adoption_spec import AdoptionSpec, render_adoption_spec
from vod_provider.spec.loader import display_path, find_spec_files, load_spec_files, read_video_ids
from vod_provider.spec.model import SpecError, SpecSet
from vod_provider.spec.schema import ID_SHAPE, NAME_SHAPE
from vod_provider.spec.set_decl import default_name_pattern, name_pattern_problem

DEFAULT_SET = "discovered"
WORKERS = 4  # enough to reach the pace over a real network; the RateLimiter, not the pool, bounds the rate
DESCRIPTION = """\
Find the image-AI jobs that videos already have (run by scripts before vodjobs) and write a spec that adopts them:
`pulumi preview` then shows one adoption per job and `pulumi up` records their JobIds, submitting nothing.

Videos come from --videos FILE (a .csv with a videoId column, a .txt/.list with one id per line, or a .yaml list,
as a job set's items) and/or as arguments. For each video and template the newest successful job is adopted; older
ones are named and left out. Only finished, successful jobs can be found (ListAIImageInfo lists their images).
The spec is a job set per template over a CSV (videoId, adopt, and a userData.<path> column for each UserData text
that differs between jobs); a job whose UserData a CSV row cannot carry is written under `jobs:` in full.
Videos without a job are printed and listed in <out>-without-job.txt, ready to be the items of a set that submits.
The endpoint and credentials are the stack's (as `vodjobs status` reads them); calls are paced under the documented
QPS limits (ListAIImageInfo 100/s, GetAIImageJobs 30/s, or vodjobs:maxQps).

exit status: 0 spec written; 1 nothing to adopt, or an invalid videos file; 2 usage (no videos, a malformed id,
an existing output without --force); 3 the stack, its config, its credentials or the API could not be used.
"""

Result = TypeVar("Result")


class DiscoverUsageError(VodjobsError):
    """The command line cannot be run as given; the message says what to change."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = DESCRIPTION
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("video_ids", nargs="*", metavar="VIDEO_ID", help="a video to look at (besides --videos)")
    parser.add_argument("--videos", type=Path, metavar="FILE", help="the videos: .csv (videoId column), .txt/.list, .yaml")
    parser.add_argument("--template-id", action="append", default=[], metavar="ID",
                        help="adopt only jobs that ran on this AITemplateId (repeatable; default: any template)")
    parser.add_argument("--set", default=DEFAULT_SET, metavar="NAME",
                        help=f"the job set's name; its jobs are NAME-<videoId> (default {DEFAULT_SET})")
    parser.add_argument("--out", type=Path, metavar="PATH",
                        help="the spec to write (default specs/NAME.yaml); its CSV items are written beside it")
    parser.add_argument("--force", action="store_true", help="overwrite the spec and its items files if they exist")
    parser.add_argument("--user-data-secret", action="store_true",
                        help="mark the written userData as secret (it holds a callback token, say)")
    parser.add_argument("--stack", "-s", help="the stack whose endpoint and credentials to use (default: the selected stack)")
    parser.add_argument("--cwd", type=Path, default=Path.cwd(), help="the Pulumi project directory (default: here)")


def run(args: argparse.Namespace, out: TextIO) -> int:
    try:
        videos, spec_path = _checked_arguments(args)
    except DiscoverUsageError as error:
        sys.stderr.write(f"vodjobs discover: {error}\n")
        return ExitCode.USAGE
    except SpecError as error:
        sys.stderr.write(f"vodjobs discover: {error}\n")
        return ExitCode.FAILED
    # A stack, setting, credentials or API problem (a VodjobsError) is reported by vodjobs' main as one message, exit 3.
    stack = stack_name(args.stack, args.cwd)
    config = stack_config(stack, args.cwd)
    check_config_keys(config)
    settings = resolve_settings(config.get, os.environ)
    client = VodClient(settings.endpoint, settings.credentials, limiter=RateLimiter(settings.max_qps))
    # Jobs the stack already records are not offered again: adopting one would record its JobId twice.
    managed = {job.job_id: job.name for job in recorded_jobs(export_stack(stack, args.cwd))}
    discovery = discover(client, videos, args.template_id, sys.stderr, managed)
    if not discovery.adopted:
        out.write(render_report(discovery, None, None, args.cwd, template_ids=args.template_id))
        return ExitCode.FAILED
    rendered = render_adoption_spec(args.set, discovery.adopted, spec_path.stem, _comment(discovery, spec_path),
                                    args.user_data_secret)
    written = _check_loads(rendered, spec_path.name, len(discovery.adopted))
    glob = spec_glob(stack, args.cwd, required=False).pattern
    try:
        if not args.force:
            _refuse_overwrite([spec_path.parent / name for name in rendered.items])
        stack_files = find_spec_files(glob, args.cwd)
        _refuse_clashes(stack_files, args.cwd, spec_path, rendered, written)
    except (DiscoverUsageError, SpecError) as error:
        sys.stderr.write(f"vodjobs discover: {error}\n")
        return ExitCode.USAGE
    without_path = _without_job_path(spec_path) if discovery.without_job else None
    _write(spec_path, rendered, without_path, discovery.without_job)
    read = {path.resolve() for path in find_spec_files(glob, args.cwd)}  # now that it is written
    unread = None if spec_path.resolve() in read else (stack, glob)
    out.write(render_report(discovery, spec_path, rendered, args.cwd, without_path, args.template_id, unread))
    return ExitCode.OK


def discover(client: VodClient, videos: Sequence[str], template_ids: Sequence[str], err: TextIO,
             managed: Mapping[str, str] | None = None) -> Discovery:
    """List each video's jobs, read them 10 per call, and sort them into adoptions (progress on `err`); `managed`:
    JobId → job name of the jobs the stack already holds, never adopted again."""
    listed = dict(zip(videos, _each(videos, lambda video: _job_ids(client, video),
                                    Progress(err, "videos listed (ListAIImageInfo)", len(videos), "discover: ")),
                      strict=True))
    job_ids = sorted({job_id for ids in listed.values() if ids for job_id in ids})
    batches = [job_ids[start:start + MAX_JOB_IDS_PER_QUERY] for start in range(0, len(job_ids), MAX_JOB_IDS_PER_QUERY)]
    found: list[AIImageJobInfo] = []
    if batches:
        progress = Progress(err, "jobs read (GetAIImageJobs)", len(job_ids), "discover: ")
        for answer, batch in zip(_each(batches, client.get_ai_image_jobs, None), batches, strict=True):
            found += answer
            progress.advance(len(batch))
    return plan_discovery(videos, listed, found, frozenset(template_ids), managed)


def _job_ids(client: VodClient, video: str) -> list[str] | None:
    """The video's finished jobs; None when the service does not know the video."""
    try:
        return client.list_ai_image_job_ids(video)
    except VodError as error:
        if means_gone(error.code, "Video"):
            return None
        raise


def _each(items: Sequence[str] | Sequence[list[str]], call: Callable[..., Result], progress: Progress | None) -> list[Result]:
    """`call` on every item, a few at once (the client paces them), answers in the items' order."""
    with ThreadPoolExecutor(WORKERS) as pool:
        futures = [pool.submit(call, item) for item in items]
        answers = []
        for future in futures:
            answers.append(future.result())
            if progress is not None:
                progress.advance()
        return answers


def _checked_arguments(args: argparse.Namespace) -> tuple[list[str], Path]:
    """The videos in order, each once, and the spec's path; DiscoverUsageError or SpecError (the videos file)."""
    problem = name_pattern_problem(default_name_pattern(False), args.set, (), "--set")
    if not NAME_SHAPE.match(args.set) or problem:
        raise DiscoverUsageError(f"--set {args.set!r} cannot name a job set: letters, digits, '_', '.', '-', "
                                 f"and short enough that NAME-<videoId> is at most 100 characters")
    for value, option in [*((v, "VIDEO_ID") for v in args.video_ids), *((t, "--template-id") for t in args.template_id)]:
        if not ID_SHAPE.match(value):
            raise DiscoverUsageError(f"{option} {value!r} is not a VOD id (32 lower-case hex characters)")
    listed = read_video_ids(args.videos if args.videos.is_absolute() else args.cwd / args.videos, args.cwd) if args.videos else None
    if listed is not None and listed.repeated:
        sys.stderr.write(f"vodjobs discover: {repeated_sentence(args.videos, listed.repeated)}\n")
    videos = list(dict.fromkeys([*(listed.video_ids if listed else ()), *args.video_ids]))
    if not videos:
        raise DiscoverUsageError("no videos: give --videos FILE or video ids as arguments")
    spec_path = args.out or Path("specs") / f"{args.set}.yaml"
    spec_path = spec_path if spec_path.is_absolute() else args.cwd / spec_path
    if spec_path.suffix not in (".yaml", ".yml"):
        raise DiscoverUsageError(f"--out {spec_path.name!r}: a spec file ends in .yaml or .yml")
    if not args.force:
        _refuse_overwrite([spec_path, _without_job_path(spec_path)])
    return videos, spec_path


def _refuse_overwrite(paths: Sequence[Path]) -> None:
    taken = [str(path) for path in paths if path.exists()]
    if taken:
        raise DiscoverUsageError(f"{', '.join(taken)} already exist{'s' if len(taken) == 1 else ''}: "
                                 "add --force to overwrite, or choose another --out")


def _comment(discovery: Discovery, spec_path: Path) -> list[str]:
    lines = [f"Written by `vodjobs discover`: {len(discovery.adopted)} image-AI jobs that already ran.",
             "`adopt:` records each JobId in the stack instead of submitting the job again."]
    if discovery.without_job:
        lines.append(f"{len(discovery.without_job)} listed videos have no job: {_without_job_path(spec_path).name}.")
    return lines


def _without_job_path(spec_path: Path) -> Path:
    return spec_path.with_name(f"{spec_path.stem}-without-job.txt")


def _refuse_clashes(stack_files: Sequence[Path], root: Path, spec_path: Path, rendered: AdoptionSpec, written: SpecSet) -> None:
    """DiscoverUsageError when what would be written clashes with the stack's other specs (a set, job or adoption
    declared twice, or an items file of another set overwritten), so that the stack would no longer load."""
    others = [path for path in stack_files if path.resolve() != spec_path.resolve()]
    if not others:
        return
    try:
        existing = load_spec_files(others, root)
    except SpecError as error:
        raise DiscoverUsageError(f"the stack's specs do not load now, so a spec added to them could not be checked; "
                                 f"fix them first:\n{error}") from None
    clashes = [f"job set {s.name!r} is already declared at {s.file}:{s.line}" for s in existing.job_sets
               if s.name in {w.name for w in written.job_sets}]
    taken = {name: job for job in existing.jobs for name in (job.name, *job.aliases)}
    clashes += [f"job {job.name!r} is already declared at {taken[job.name].file}:{taken[job.name].line}"
                for job in written.jobs if job.name in taken]
    adopting = {job.adopt: job for job in existing.jobs if job.adopt}
    clashes += [f"JobId {job.adopt} is already adopted by job {adopting[job.adopt].name!r} at "
                f"{adopting[job.adopt].file}:{adopting[job.adopt].line}" for job in written.jobs if job.adopt in adopting]
    items = {display_path(spec_path.parent / name, root) for name in rendered.items}
    clashes += [f"{s.items_file} is the items file of job set {s.name!r} ({s.file}:{s.line}); writing it would change "
                "that set's jobs" for s in existing.job_sets if s.items_file in items]
    if clashes:
        raise DiscoverUsageError("what it would write clashes with the stack's specs, so nothing was written:\n"
                                 + "\n".join(f"  {clash}" for clash in clashes)
                                 + "\nchoose another --set or --out (or remove what it names first)")


def _check_loads(rendered: AdoptionSpec, spec_name: str, expected: int) -> SpecSet:
    """Load the files as `pulumi preview` will, before writing them: every job there, each adopting its JobId."""
    with tempfile.TemporaryDirectory(prefix="vodjobs-discover-") as scratch:
        root = Path(scratch)
        (root / spec_name).write_text(rendered.spec_text, encoding="utf-8")
        for name, text in rendered.items.items():
            (root / name).write_text(text, encoding="utf-8")
        try:
            loaded = load_spec_files([root / spec_name], root)
        except SpecError as error:
            raise VodjobsError(f"the spec discover made does not load (a bug of vodjobs; please report it):\n{error}") from None
    adopting = [job for job in loaded.jobs if job.adopt]
    if len(adopting) != expected or len(loaded.jobs) != expected:
        raise VodjobsError(f"the spec discover made declares {len(loaded.jobs)} jobs, {len(adopting)} adopting, for "
                           f"{expected} found (a bug of vodjobs; please report it)")
    return loaded


def _write(spec_path: Path, rendered: AdoptionSpec, without_path: Path | None, without: Sequence[str]) -> None:
    spec_path.parent.mkdir(parents=True, exist_ok=True)
    for name, text in rendered.items.items():
        (spec_path.parent / name).write_text(text, encoding="utf-8")
    if without_path is not None:
        without_path.write_text("".join(f"{video}\n" for video in without), encoding="utf-8")
    spec_path.write_text(rendered.spec_text, encoding="utf-8")  # last: a spec never names items not yet written
