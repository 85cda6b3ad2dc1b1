"""The targets of bench/scale.py and the table it prints (pure: a result dict in, targets and text out)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from vod_provider.api.pacing import HEADROOM

MB = 1024 * 1024
OPERATIONS = ("cold up", "no-op preview", "no-op up", "add one", "refresh", "status")
# What each vodjobs operation is compared with on the engine floor.
FLOOR_OF = {"cold up": "cold up", "no-op preview": "no-op preview", "no-op up": "no-op up",
            "add one": "no-op up", "refresh": "refresh"}
GROWTH_LIMIT = 1.5
COLD_UP_LIMIT = 1.25  # × the QPS floor, on a file backend
PIPELINE_COLD_UP_LIMIT = 1.3  # × the QPS floor, as `make ci-up` runs: state and journal in a bucket
LIST_PAGE = 1000  # keys per ListObjectsV2 page
JOURNAL_KINDS = ("journal PUT", "journal LIST", "journal GET", "journal DeleteObjects")


TARGET_N = 1000  # the time, memory and state targets are set at N = 1,000; the call counts at any N
# --job-set (issue 15): N jobs in one CSV, set at N = 10,000 and checked at any N.
JOB_SET_VALIDATE_SECONDS = 2.0
JOB_SET_COLD_UP_LIMIT = 1.2  # × the QPS floor
FAR_COLD_UP_LIMIT = 1.3  # × the QPS floor, with --latency-ms (a runner far from the region)
JOB_SET_RATIO = 1.3  # × the floor's: no-op preview, peak RSS of the CLI and the provider, CPU seconds of a cold up
JOB_SET_GROWTH = 1.3  # s/job at N ÷ at N = 1,000, for no-op preview and add one
CPU_ROLES = ("cli", "program", "provider")


@dataclass(frozen=True)
class Target:
    name: str
    value: float
    limit: float
    holds: bool
    required: bool = True  # False: reported for comparison only (a ratio target measured at another N)


def _at_most(name: str, value: float | None, limit: float) -> Target:
    return Target(name, -1.0 if value is None else round(value, 3), round(limit, 3), value is not None and value <= limit)


def _exactly(name: str, value: float, wanted: float) -> Target:
    return Target(name, value, wanted, value == wanted)


def _peak(ops: dict[str, Any], role: str) -> int:
    return max((op["peak_rss"].get(role, 0) for label, op in ops.items() if label in FLOOR_OF), default=0)


def _state(ops: dict[str, Any]) -> float:
    return max(op["state_bytes_per_job"] or 0.0 for label, op in ops.items() if label in FLOOR_OF)


def cpu_sum(op: dict[str, Any]) -> float:
    """CPU seconds of the CLI, the program and the provider together during one operation."""
    return float(sum(op["cpu_seconds"].get(role, 0.0) for role in CPU_ROLES))


def targets_for(result: dict[str, Any], baseline: dict[str, Any] | None = None) -> list[Target]:
    """Every target of the issue, measured on `result` (and growth against an N=1,000 `baseline`)."""
    if result.get("jobSet"):
        return job_set_targets(result, baseline)
    n, vod, floor = result["jobs"], result["vodjobs"], result["floor"]
    calls = {label: op["calls"] for label, op in vod.items()}
    cold_limit = PIPELINE_COLD_UP_LIMIT if result.get("pipeline") else COLD_UP_LIMIT
    targets = [
        _exactly("every command succeeded", sum(1 for side in (vod, floor) for op in side.values() if op["error"]), 0),
        _at_most(f"cold up ≤ {cold_limit:g} × QPS floor (s)", vod["cold up"]["seconds"], cold_limit * result["qpsFloorSeconds"]),
        _exactly("cold up: SubmitAIImageJob calls", calls["cold up"].get("SubmitAIImageJob", 0), n),
        _exactly("cold up: throttling errors", vod["cold up"]["throttled"], 0),
        _at_most("no-op preview ≤ 1.3 × floor's (s)", vod["no-op preview"]["seconds"], 1.3 * floor["no-op preview"]["seconds"]),
        _exactly("no-op preview: API calls", sum(calls["no-op preview"].values()), 0),
        _at_most("add one ≤ 1.3 × floor's no-op up (s)", vod["add one"]["seconds"], 1.3 * floor["no-op up"]["seconds"]),
        _exactly("add one: SubmitAIImageJob calls", calls["add one"].get("SubmitAIImageJob", 0), 1),
        _at_most("refresh: GetAIImageJobs calls ≤ ⌈N/4⌉", calls["refresh"].get("GetAIImageJobs", 0), math.ceil((n + 1) / 4)),
        _exactly("status: GetAIImageJobs calls = ⌈N/10⌉", calls["status"].get("GetAIImageJobs", 0), math.ceil((n + 1) / 10)),
        _at_most("state bytes per job ≤ 1.5 × floor's", _state(vod), 1.5 * _state(floor)),
        _at_most("CLI peak RSS ≤ 1.2 × floor's (MB)", _peak(vod, "cli") / MB, 1.2 * _peak(floor, "cli") / MB),
        _provider_rss(result),
    ]
    if result.get("pipeline"):
        targets += journal_targets(result)
    if n != TARGET_N:
        ratios = [t.name for t in targets if "floor" in t.name]
        targets = [Target(t.name, t.value, t.limit, t.holds, t.name not in ratios) for t in targets]
    if baseline is not None:
        for label in OPERATIONS:
            targets.append(_at_most(f"growth: s/job of {label} at N={n} ÷ at N={baseline['jobs']}",
                                    growth(result, baseline, "vodjobs", label), GROWTH_LIMIT))
    return targets


def job_set_targets(result: dict[str, Any], baseline: dict[str, Any] | None = None) -> list[Target]:
    """Issue 15's targets for N jobs declared by one CSV, side by side with the floor's N plain resources (at any N;
    growth against an N=1,000 `baseline` of the same mode)."""
    n, vod, floor = result["jobs"], result["vodjobs"], result["floor"]
    calls = {label: op["calls"] for label, op in vod.items()}
    far = bool(result.get("latencyMs"))
    cold_limit = FAR_COLD_UP_LIMIT if far else JOB_SET_COLD_UP_LIMIT
    targets = [
        _exactly("every command succeeded", sum(1 for side in (vod, floor) for op in side.values() if op["error"]), 0),
        _at_most(f"vodjobs validate of the {n}-row set ≤ {JOB_SET_VALIDATE_SECONDS:g} s", vod["validate"]["seconds"],
                 JOB_SET_VALIDATE_SECONDS),
        _at_most(f"cold up ≤ {cold_limit:g} × QPS floor (s)", vod["cold up"]["seconds"], cold_limit * result["qpsFloorSeconds"]),
        _exactly("cold up: SubmitAIImageJob calls", calls["cold up"].get("SubmitAIImageJob", 0), n),
        _exactly("cold up: throttling errors", vod["cold up"]["throttled"], 0),
        _at_most(f"cold up: CPU s of CLI + program + provider ≤ {JOB_SET_RATIO:g} × floor's", cpu_sum(vod["cold up"]),
                 JOB_SET_RATIO * cpu_sum(floor["cold up"])),
        _at_most(f"no-op preview ≤ {JOB_SET_RATIO:g} × floor's (s)", vod["no-op preview"]["seconds"],
                 JOB_SET_RATIO * floor["no-op preview"]["seconds"]),
        _exactly("no-op preview: API calls", sum(calls["no-op preview"].values()), 0),
        _exactly("add one: SubmitAIImageJob calls", calls["add one"].get("SubmitAIImageJob", 0), 1),
        _at_most("refresh: GetAIImageJobs calls ≤ ⌈N/4⌉", calls["refresh"].get("GetAIImageJobs", 0), math.ceil((n + 1) / 4)),
        _exactly("status: GetAIImageJobs calls = ⌈N/10⌉", calls["status"].get("GetAIImageJobs", 0), math.ceil((n + 1) / 10)),
        _at_most("state bytes per job ≤ 1.5 × floor's", _state(vod), 1.5 * _state(floor)),
        _at_most(f"CLI peak RSS ≤ {JOB_SET_RATIO:g} × floor's (MB)", _peak(vod, "cli") / MB, JOB_SET_RATIO * _peak(floor, "cli") / MB),
        _at_most(f"provider peak RSS ≤ {JOB_SET_RATIO:g} × floor's (MB)", _peak(vod, "provider") / MB,
                 JOB_SET_RATIO * _peak(floor, "provider") / MB),
    ]
    if baseline is not None:
        for label in ("no-op preview", "add one"):
            targets.append(_at_most(f"growth: s/job of {label} at N={n} ÷ at N={baseline['jobs']}",
                                    growth(result, baseline, "vodjobs", label), JOB_SET_GROWTH))
    return targets


def _provider_rss(result: dict[str, Any]) -> Target:
    """Provider peak RSS ≤ 1.2 × the floor's; with the journal in a bucket, plus boto3's S3 client as measured in the
    same run (scale_bucket.s3_client_bytes): the README's chosen client, not vodjobs' own memory."""
    limit = 1.2 * _peak(result["floor"], "provider") / MB
    client = result.get("s3ClientBytes")
    if client is None:
        return _at_most("provider peak RSS ≤ 1.2 × floor's (MB)", _peak(result["vodjobs"], "provider") / MB, limit)
    return _at_most(f"provider peak RSS ≤ 1.2 × floor's + boto3's S3 client ({client / MB:.1f} MB) (MB)",
                    _peak(result["vodjobs"], "provider") / MB, limit + client / MB)


def first_run(op: dict[str, Any]) -> dict[str, int]:
    """The bucket requests of an operation's first run (several runs of a no-op operation are kept apart)."""
    samples: list[dict[str, int]] = op.get("bucket_samples") or [op["bucket"]]
    return samples[0]


def journal_targets(result: dict[str, Any]) -> list[Target]:
    """--pipeline: the journal's bucket requests, as README "When a run dies" states them (two PUTs per submit, one paged
    LIST per run), during the cold up and the no-op up after it (which settles what the cold up wrote)."""
    vod = result["vodjobs"]
    cold, after = vod["cold up"]["bucket"], first_run(vod["no-op up"])
    submits = vod["cold up"]["calls"].get("SubmitAIImageJob", 0)
    written = cold.get("journal PUT", 0)
    return [
        _exactly("cold up: journal PUTs per submit", round(written / submits, 3) if submits else -1.0, 2),
        _exactly("cold up: journal LIST requests (an empty journal: one page)", cold.get("journal LIST", 0), 1),
        _exactly(f"no-op up after it: journal LIST requests (one paged LIST of {written} objects)",
                 after.get("journal LIST", 0), max(1, math.ceil(written / LIST_PAGE))),
        _exactly("no-op up after it: journal PUTs", after.get("journal PUT", 0), 0),
    ]


def growth(result: dict[str, Any], baseline: dict[str, Any], side: str, label: str) -> float | None:
    then = baseline[side].get(label)
    if then is None or not then["seconds"]:
        return None
    return float((result[side][label]["seconds"] / result["jobs"]) / (then["seconds"] / baseline["jobs"]))


def _row(side: str, label: str, op: dict[str, Any], versus: float | None) -> str:
    calls = ", ".join(f"{action.replace('AIImageJob', '')} {count}" for action, count in op["calls"].items()) or "0"
    rss = op["peak_rss"]
    state = op["state_bytes_per_job"]
    return (f"{side:<8} {label:<14} {op['seconds']:8.2f} {'' if versus is None else f'{versus:6.2f}':>6}  "
            f"{calls:<24} {op['throttled']:>9} {rss.get('cli', 0) / MB:7.0f} {rss.get('provider', 0) / MB:8.0f} "
            f"{rss.get('program', 0) / MB:7.0f} {'' if state is None else f'{state:7.0f}':>9}"
            + (" FAILED" if op["error"] else ""))


def render_table(result: dict[str, Any]) -> str:
    n, floor, vod = result["jobs"], result["floor"], result["vodjobs"]
    lines = [f"N = {n} jobs; flags {result['flags'] or 'none (per-step checkpoints)'}; QPS floor {result['qpsFloorSeconds']:.1f} s",
             f"{'side':<8} {'operation':<14} {'wall s':>8} {'÷floor':>6}  {'API calls':<24} {'throttled':>9} "
             f"{'CLI MB':>7} {'prov MB':>8} {'prog MB':>7} {'state B/job':>9}"]
    lines += [_row("naive", label, op, None) for label, op in result["naive"].items()]
    lines += [_row("floor", label, op, None) for label, op in floor.items()]
    for label, op in vod.items():
        base = floor.get(FLOOR_OF.get(label, ""))
        lines.append(_row("vodjobs", label, op, op["seconds"] / base["seconds"] if base and base["seconds"] else None))
    cold = vod["cold up"]["seconds"]
    lines += ["", "cold up ratios: "
              f"÷ QPS floor {cold / result['qpsFloorSeconds']:.2f}, ÷ engine floor {cold / floor['cold up']['seconds']:.2f}, "
              + ", ".join(f"÷ naive {label} {cold / op['seconds']:.2f}" for label, op in result["naive"].items())]
    if result.get("jobSet"):
        lines.append("cold up CPU s (CLI + program + provider): "
                     + "; ".join(f"{side} {cpu_sum(result[side]['cold up']):.1f} = "
                                 + " + ".join(f"{result[side]['cold up']['cpu_seconds'].get(role, 0.0):.1f}" for role in CPU_ROLES)
                                 for side in ("floor", "vodjobs")))
    if result.get("latencyMs"):
        lines.append(f"every API call answered {result['latencyMs']:g} ms late (a runner far from the region)")
    if result.get("pacedFloor"):
        lines.append("the floor's provider created at vodjobs' pace (--paced-floor): both cold ups last about as long")
    timeline = vod["cold up"].get("submits")
    if timeline:
        lines.append(f"cold up submits: first at {timeline['first']:.1f} s, last at {timeline['last']:.1f} s, "
                     f"{timeline['perSecond']:.1f}/s in between (the pace: {HEADROOM * n / result['qpsFloorSeconds']:.1f}/s)")
    lines.append("")
    if result.get("pipeline"):
        lines += bucket_lines(result)
    lines += [f"{'HOLDS' if t['holds'] else 'FAILS'}  {t['name']}: {t['value']:g} (limit {t['limit']:g})"
              + ("" if t["required"] else f"  [set at N = {TARGET_N}; shown for comparison]") for t in result["targets"]]
    return "\n".join(lines)


def _bucket_row(side: str, label: str, requests: dict[str, int], server_cpu: float | None) -> str:
    return (f"{side:<8} {label:<16} {requests.get('pulumi', 0):>6} "
            + " ".join(f"{requests.get(kind, 0):>{len(kind) - 8}}" for kind in JOURNAL_KINDS)
            + ("" if server_cpu is None else f" {server_cpu:>12.2f}"))


def bucket_lines(result: dict[str, Any]) -> list[str]:
    """--pipeline: each operation's requests to its side's bucket (the S3 server's log), and the journal's per submit."""
    lines = [f"bucket requests ({result['backend']}; journal in {result.get('journal', '?')})",
             f"{'side':<8} {'operation':<16} {'pulumi':>6} " + " ".join(k[8:] for k in JOURNAL_KINDS) + "  server CPU s"]
    for side in ("floor", "vodjobs"):
        for label, op in result[side].items():
            samples = op.get("bucket_samples") or []
            if samples:
                lines += [_bucket_row(side, f"{label} #{i}", s, None) for i, s in enumerate(samples, 1)]
            else:
                lines.append(_bucket_row(side, label, op["bucket"], op["cpu_seconds"].get("s3 server")))
    vod = result["vodjobs"]
    submits = vod["cold up"]["calls"].get("SubmitAIImageJob", 0) or 1
    cold, after = vod["cold up"]["bucket"], first_run(vod["no-op up"])
    per_submit = ", ".join(f"{kind[8:]} {cold.get(kind, 0) / submits:.3f}" for kind in JOURNAL_KINDS)
    lines += [f"journal requests per submit, cold up: {per_submit}",
              "journal requests of the no-op up after it: " + ", ".join(f"{kind[8:]} {after.get(kind, 0)}" for kind in JOURNAL_KINDS),
              ""]
    return lines
