"""crosspost's performance figures, each as a ratio against a baseline measured in the same run.

    python3 benchmarks/bench.py            # everything (about a minute)
    python3 benchmarks/bench.py --quick    # fewer repetitions
    python3 benchmarks/bench.py --json     # machine-readable
    python3 benchmarks/bench.py --only startup --only hook

Run it with the Python of the environment the README sets up (inside the venv, or
``.venv/bin/python benchmarks/bench.py``); it measures that environment's ``crosspost``.

What it measures:

1. start-up: ``crosspost --help`` against ``python -c "import click"`` (goal: within 1.25x);
2. rendering: milliseconds per post per target over the bundled examples (goal: well under 10);
3. status: ``crosspost status`` on a generated site of 1,000 posts, seconds per 100 posts
   (goal: well under 1), against the time to merely read those files;
4. concurrency: publishing to three targets whose fake servers add 300 ms to every request,
   against publishing to one (goal: about 1x, not 3x), with the requests each publish sends;
5. the git hook's no-op path: a push that touches no opted-in post, against
   ``python -c "import click"`` (goal: near-instant).

Medians of repeated runs (start-up and hook: baseline and subject alternated, the median of the
per-pair ratios); the fake servers are the tests' own, on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PY = sys.executable


def timed(fn: Callable[[], object], runs: int) -> float:
    """Median seconds of ``runs`` calls (after one warm-up)."""
    fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def run_quiet(argv: Sequence[str], **kwargs: Any) -> None:
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, **kwargs)


def env_clean(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CROSSPOST_")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # let .pyc files be used, as on a user's machine
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    env.update(extra)
    return env


def crosspost_argv() -> list[str]:
    """The ``crosspost`` of the environment running this script, never one found on PATH.

    A ``crosspost`` elsewhere on PATH (a system-wide install, another venv) would measure
    some other copy of the code.
    """
    script = Path(PY).parent / "crosspost"
    return [str(script)] if script.is_file() else [PY, "-m", "crosspost"]


def require_environment() -> None:
    """Fail loudly, in one line, when this interpreter is not the one the README sets up."""
    try:
        import click  # noqa: F401
        import httpx  # noqa: F401

        import crosspost  # noqa: F401
    except ImportError as exc:
        sys.exit(f"bench.py: {PY} cannot import {exc.name}: run it with the Python of the environment "
                 "the README sets up (python3 -m pip install -e '.[test]'), e.g. .venv/bin/python")


# -- 1. start-up --------------------------------------------------------------------------


def paired(baseline: Callable[[], object], subject: Callable[[], object],
           runs: int) -> tuple[float, float, float]:
    """Median seconds of each, and the median of the per-pair ratios.

    The two are run alternately, so a busy machine slows both alike and the ratio holds
    where separate medians would drift apart.
    """
    baseline()
    subject()
    base_times, subject_times, ratios = [], [], []
    for _ in range(runs):
        start = time.perf_counter()
        baseline()
        middle = time.perf_counter()
        subject()
        end = time.perf_counter()
        base_times.append(middle - start)
        subject_times.append(end - middle)
        ratios.append((end - middle) / (middle - start))
    return statistics.median(base_times), statistics.median(subject_times), statistics.median(ratios)


def bench_startup(runs: int) -> dict[str, float]:
    env = env_clean()
    bare = timed(lambda: run_quiet([PY, "-c", "pass"], env=env), runs)
    baseline, helped, ratio = paired(lambda: run_quiet([PY, "-c", "import click"], env=env),
                                     lambda: run_quiet([*crosspost_argv(), "--help"], env=env), runs * 2)
    return {"python_ms": bare * 1000, "click_ms": baseline * 1000, "help_ms": helped * 1000,
            "ratio": ratio}


# -- 2. rendering -------------------------------------------------------------------------


def example_posts() -> list[Path]:
    from crosspost.sites import Site

    posts: list[Path] = []
    for site_dir in sorted((ROOT / "examples").iterdir()):
        if site_dir.is_dir():
            site = Site.discover(site_dir)
            posts.extend(site.post_paths())
    return posts


def bench_render(runs: int) -> dict[str, Any]:
    from crosspost.platforms import TARGETS
    from crosspost.post import Post
    from crosspost.render import render_post
    from crosspost.sites import Site

    posts = [(Post.from_path(p), Site.discover(p)) for p in example_posts()]
    per_target: dict[str, float] = {}
    for target in TARGETS:
        def render_all(target: str = target) -> None:
            for post, site in posts:
                render_post(post, site, target)

        seconds = timed(render_all, runs)
        per_target[target] = seconds / len(posts) * 1000
    return {"posts": len(posts), "ms_per_post": per_target,
            "posts_per_second": {t: 1000 / ms for t, ms in per_target.items()}}


# -- 3. status on a big site --------------------------------------------------------------


def make_big_site(root: Path, count: int) -> Path:
    """A Jekyll site of ``count`` posts; a third published (with records), a third not."""
    from crosspost.post import Post
    from crosspost.render import render_post
    from crosspost.sites import Site

    template = (ROOT / "examples/jekyll-site/_posts/2023-11-02-six-months-of-forecasting.md").read_text()
    body = template.partition("\n---\n")[2]
    body = body.replace("{% post_url 2023-06-12-calibration-training-notes %}", "/about/")
    (root / "_posts").mkdir(parents=True)
    (root / "_config.yml").write_text("title: Big\nurl: https://big-blog.net\npermalink: /:year/:title/\n")
    first = root / "_posts" / "2020-01-01-post-0.md"
    first.write_text(f"---\ntitle: Post 0\ncrosspost:\n  lesswrong:\n---\n{body}")
    sample = render_post(Post.from_path(first), Site.discover(first), "lesswrong")
    for n in range(count):
        day = f"2020-{1 + n % 12:02d}-{1 + n % 28:02d}"
        kind = n % 3
        block = ("crosspost:\n  lesswrong:\n    id: Hv7pLc2RtYs9WqMbD\n"
                 f"    url: https://www.lesswrong.com/posts/Hv7pLc2RtYs9WqMbD/p{n}\n"
                 f"    hash: {sample.hash}\n") if kind == 0 else (
            "crosspost:\n  lesswrong:\n" if kind == 1 else "")
        (root / "_posts" / f"{day}-post-{n}.md").write_text(f"---\ntitle: Post {n}\n{block}---\n{body}")
    return root


def bench_status(count: int, runs: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        site = make_big_site(Path(tmp) / "big", count)
        env = env_clean()
        files = sorted((site / "_posts").glob("*.md"))
        read = timed(lambda: [p.read_bytes() for p in files], runs)
        status = timed(lambda: run_quiet([*crosspost_argv(), "status"], cwd=site, env=env), runs)
    return {"posts": count, "seconds": status, "seconds_per_100_posts": status / count * 100,
            "read_files_seconds": read}


# -- 4. concurrency against slow servers --------------------------------------------------


def bench_concurrency(latency: float, runs: int) -> dict[str, Any]:
    from crosspost.engine import PublishOptions, publish
    from crosspost.http import HttpSettings
    from tests.fakes.forummagnum import FakeForum
    from tests.fakes.medium import MediumFake
    from tests.sites import env_for, make_site, post_text

    http = HttpSettings(timeout=30, retries=0, backoff=0)
    timings: dict[str, list[float]] = {"one": [], "three": []}
    requests: dict[str, int] = {}
    for attempt in range(runs):
        lw, ea, medium = FakeForum("lesswrong", rate_limits=()).start(), \
            FakeForum("eaforum", rate_limits=()).start(), MediumFake().start()
        try:
            with tempfile.TemporaryDirectory() as tmp:
                site = make_site(Path(tmp) / "site", {})
                env = env_for(forum=lw, ea=ea, medium=medium)
                for server in (lw.server, ea.server, medium.server):
                    server.latency = latency
                for label, targets in (("one", ("lesswrong",)),
                                       ("three", ("lesswrong", "eaforum", "medium"))):
                    path = site / "_posts" / f"2024-01-0{len(targets)}-{label}-{attempt}.md"
                    path.write_text(post_text(f"Timing {label} {attempt}", "A body.\n",
                                              crosspost="crosspost:\n  lesswrong:\n"))
                    before = {n: len(s.requests) for n, s in
                              (("lesswrong", lw), ("eaforum", ea), ("medium", medium))}
                    start = time.perf_counter()
                    report = publish([path], PublishOptions(targets=targets, environ=env, http=http))
                    timings[label].append(time.perf_counter() - start)
                    assert report.exit_code == 0, [(r.target, r.message) for r in report.results]
                    if label == "three" and attempt == 0:
                        for n, s in (("lesswrong", lw), ("eaforum", ea), ("medium", medium)):
                            requests[f"create {n}"] = len(s.requests) - before[n]
                        # An update of all three (Medium cannot update: it costs nothing).
                        path.write_text(path.read_text() + "\nMore.\n")
                        before = {n: len(s.requests) for n, s in
                                  (("lesswrong", lw), ("eaforum", ea), ("medium", medium))}
                        publish([path], PublishOptions(targets=targets, environ=env, http=http))
                        for n, s in (("lesswrong", lw), ("eaforum", ea), ("medium", medium)):
                            requests[f"update {n}"] = len(s.requests) - before[n]
        finally:
            for fake in (lw, ea, medium):
                fake.stop()
    one, three = statistics.median(timings["one"]), statistics.median(timings["three"])
    return {"latency_ms": latency * 1000, "one_target_s": one, "three_targets_s": three,
            "ratio": three / one, "requests": requests}


# -- 5. the hook's no-op path -------------------------------------------------------------


def bench_hook(runs: int) -> dict[str, float]:
    env = env_clean(GIT_CONFIG_NOSYSTEM="1", HOME=tempfile.mkdtemp())
    with tempfile.TemporaryDirectory() as tmp:
        work, remote = Path(tmp) / "work", Path(tmp) / "remote.git"
        git = ["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.invalid"]
        run_quiet(["git", "init", "-q", "--bare", str(remote)], env=env)
        run_quiet(["git", "init", "-q", "-b", "main", str(work)], env=env)
        shutil.copytree(ROOT / "examples/jekyll-site", work / "site")
        run_quiet([*git, "add", "-A"], cwd=work, env=env)
        run_quiet([*git, "commit", "-qm", "site"], cwd=work, env=env)
        run_quiet(["git", "remote", "add", "origin", str(remote)], cwd=work, env=env)
        run_quiet(["git", "push", "-q", "origin", "main"], cwd=work, env=env)
        (work / "notes.txt").write_text("not a post\n")
        run_quiet([*git, "add", "notes.txt"], cwd=work, env=env)
        run_quiet([*git, "commit", "-qm", "notes"], cwd=work, env=env)
        run_quiet([*crosspost_argv(), "hook", "install"], cwd=work, env=env)
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=work, env=env, check=True,
                              capture_output=True, text=True).stdout.strip()
        remote_head = subprocess.run(["git", "rev-parse", "origin/main"], cwd=work, env=env,
                                     check=True, capture_output=True, text=True).stdout.strip()
        push_input = f"refs/heads/main {head} refs/heads/main {remote_head}\n".encode()
        hook = work / ".git" / "hooks" / "pre-push"

        def run_hook() -> None:
            subprocess.run([str(hook), "origin", str(remote)], input=push_input, cwd=work, env=env,
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        baseline, noop, ratio = paired(lambda: run_quiet([PY, "-c", "import click"], env=env),
                                       run_hook, runs)
    return {"click_ms": baseline * 1000, "hook_ms": noop * 1000, "ratio": ratio}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--posts", type=int, default=1000, help="posts in the status benchmark")
    parser.add_argument("--only", action="append", choices=SECTIONS,
                        help="run only this section (repeatable)")
    args = parser.parse_args(argv)
    require_environment()
    runs = 5 if args.quick else 15
    wanted = args.only or list(SECTIONS)

    results: dict[str, Any] = {}
    if "startup" in wanted:
        results["startup"] = bench_startup(runs)
    if "render" in wanted:
        results["render"] = bench_render(max(3, runs // 3))
    if "status" in wanted:
        results["status"] = bench_status(args.posts, 3 if args.quick else 5)
    if "concurrency" in wanted:
        results["concurrency"] = bench_concurrency(0.3, 1 if args.quick else 3)
    if "hook" in wanted:
        results["hook"] = bench_hook(runs)

    if args.json:
        print(json.dumps(results, indent=2))
        return
    if "startup" in results:
        s = results["startup"]
        print(f"start-up     crosspost --help {s['help_ms']:.0f} ms vs import click {s['click_ms']:.0f} ms"
              f" (python alone {s['python_ms']:.0f} ms): {s['ratio']:.2f}x  [goal <= 1.25x]")
    if "render" in results:
        r = results["render"]
        for target, ms in r["ms_per_post"].items():
            print(f"render       {target:<15} {ms:6.2f} ms/post  ({r['posts_per_second'][target]:.0f}"
                  f" posts/s over {r['posts']} example posts)  [goal < 10 ms]")
    if "status" in results:
        st = results["status"]
        print(f"status       {st['posts']} posts in {st['seconds']:.2f} s: "
              f"{st['seconds_per_100_posts']:.3f} s per 100 posts (reading the files alone: "
              f"{st['read_files_seconds'] * 1000:.0f} ms)  [goal well under 1 s]")
    if "concurrency" in results:
        c = results["concurrency"]
        print(f"concurrency  3 targets {c['three_targets_s']:.2f} s vs 1 target {c['one_target_s']:.2f} s"
              f" at {c['latency_ms']:.0f} ms/request: {c['ratio']:.2f}x  [goal about 1x, not 3x]")
        for what, count in c["requests"].items():
            print(f"requests     {what:<18} {count}")
    if "hook" in results:
        h = results["hook"]
        print(f"hook no-op   {h['hook_ms']:.0f} ms vs import click {h['click_ms']:.0f} ms: "
              f"{h['ratio']:.2f}x")


SECTIONS = ("startup", "render", "status", "concurrency", "hook")


if __name__ == "__main__":
    main()
