"""`make demo`'s job, as a new user meets it: the first run submits the example specs, the second nothing; the demo
takes a free port (the stack's endpoint follows it), so two clones run their demos at once."""

from __future__ import annotations

import socket
from pathlib import Path

from tests.support.demo_checkout import DEMO_JOBS, demo_checkout, finish_demo, job_lines, recorded_endpoint, start_demo, user_env


def test_the_demo_submits_the_example_jobs_once(tmp_path: Path) -> None:
    checkout, env = demo_checkout(tmp_path / "clone"), user_env(tmp_path / "pulumi-home")

    first = finish_demo(start_demo(checkout, env))
    second = finish_demo(start_demo(checkout, env))

    assert f"this run submitted {len(DEMO_JOBS)} job(s)" in first
    assert "this run submitted 0 job(s)" in second
    assert sorted(job_lines(first)) == DEMO_JOBS
    assert job_lines(second) == job_lines(first)


def test_the_demo_moves_to_a_free_port_when_its_last_one_is_taken(tmp_path: Path) -> None:
    checkout, env = demo_checkout(tmp_path / "clone"), user_env(tmp_path / "pulumi-home")
    first = finish_demo(start_demo(checkout, env))
    last_endpoint = recorded_endpoint(checkout)

    with socket.socket() as squatter:  # another user's server on the port the demo had
        squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        squatter.bind(("127.0.0.1", int(last_endpoint.rsplit(":", 1)[1])))
        squatter.listen()
        second = finish_demo(start_demo(checkout, env))

    assert recorded_endpoint(checkout) != last_endpoint
    assert "this run submitted 0 job(s)" in second, "a new endpoint replaces no job"
    assert job_lines(second) == job_lines(first)


def test_two_clones_run_their_demos_at_once(tmp_path: Path) -> None:
    clones = [demo_checkout(tmp_path / name) for name in ("alice", "bob")]
    env = user_env(tmp_path / "pulumi-home")

    outputs = [finish_demo(demo) for demo in [start_demo(clone, env) for clone in clones]]

    assert all(f"this run submitted {len(DEMO_JOBS)} job(s)" in output for output in outputs), outputs
    assert recorded_endpoint(clones[0]) != recorded_endpoint(clones[1])
    assert job_lines(outputs[0]) != job_lines(outputs[1]), "each demo's jobs went to its own emulator"
