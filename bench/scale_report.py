"""The targets of bench/scale.py and the table it prints (pure: a result dict in, targets and text out)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

MB = 1024 * 1024
OPERATIONS = ("cold up", "no-op preview", "no-op up", "add one", "refresh", "status")
# What each vodjobs operation is compared with on the engine floor.
FLOOR_OF = {"cold up": "cold up", "no-op preview": "no-op preview", "no-op up": "no-op up",
            "add one": "no-op up", "refresh": "refresh"}
GROWTH_LIMIT = 1.5


TARGET_N = 1000  # the time, memory and state targets are set at N = 1,000; the call counts at any N


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


def targets_for(result: dict[str, Any], baseline: dict[str, Any] | None = None) -> list[Target]:
    """Every target of the issue, measured on `result` (and growth against an N=1,000 `baseline`)."""
    n, vod, floor = result["jobs"], result["vodjobs"], result["floor"]
    calls = {label: op["calls"] for label, op in vod.items()}
    targets = [
        _exactly("every command succeeded", sum(1 for side in (vod, floor) for op in side.values() if op["error"]), 0),
        _at_most("cold up ≤ 1.25 × QPS floor (s)", vod["cold up"]["seconds"], 1.25 * result["qpsFloorSeconds"]),
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
        _at_most("provider peak RSS ≤ 1.2 × floor's (MB)", _peak(vod, "provider") / MB, 1.2 * _peak(floor, "provider") / MB),
    ]
    if n != TARGET_N:
        ratios = [t.name for t in targets if "floor" in t.name]
        targets = [Target(t.name, t.value, t.limit, t.holds, t.name not in ratios) for t in targets]
    if baseline is not None:
        for label in OPERATIONS:
            targets.append(_at_most(f"growth: s/job of {label} at N={n} ÷ at N={baseline['jobs']}",
                                    growth(result, baseline, "vodjobs", label), GROWTH_LIMIT))
    return targets


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
              + ", ".join(f"÷ naive {label} {cold / op['seconds']:.2f}" for label, op in result["naive"].items()), ""]
    lines += [f"{'HOLDS' if t['holds'] else 'FAILS'}  {t['name']}: {t['value']:g} (limit {t['limit']:g})"
              + ("" if t["required"] else f"  [set at N = {TARGET_N}; shown for comparison]") for t in result["targets"]]
    return "\n".join(lines)
