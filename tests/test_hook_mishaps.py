"""The pre-push hook where authors' repositories are untidy: a chained hook git itself would
run, broken posts in a push, odd hook files. Real git, a bare remote beside the site."""

from __future__ import annotations

from pathlib import Path

from tests.hook_repos import add, git, hook_file, invoke, push, remote_sha


def test_a_chained_hook_without_a_shebang_runs_as_git_runs_it(site: Path, tmp_path: Path) -> None:
    """git runs a hook with no `#!` line through sh; chained, it must still run (not block
    every push with an 'Exec format error')."""
    log = tmp_path / "legacy.log"
    foreign = f'echo "$@" > {log}; cat >> {log}; exit "${{LEGACY_EXIT:-0}}"\n'
    hook_file(site).write_text(foreign, encoding="utf-8")
    hook_file(site).chmod(0o755)
    assert invoke("hook", "install", "--chain")[0] == 0
    add(site, "notes.txt", "more notes\n")
    head = git(site, "rev-parse", "HEAD").stdout.strip()
    before = remote_sha(site)

    done = push(site, extra_env={"LEGACY_EXIT": "3"})
    assert done.returncode != 0
    assert done.stderr.startswith("crosspost: the chained hook .git/hooks/pre-push.legacy failed "
                                  "(exit 3); push blocked\n"), done.stderr
    assert remote_sha(site) == before

    done = push(site)
    assert done.returncode == 0, done.stderr
    assert remote_sha(site) == head
    assert log.read_text(encoding="utf-8") == (
        f"origin {site.parent / 'remote.git'}\nrefs/heads/main {head} refs/heads/main {before}\n")
    assert invoke("hook", "uninstall")[0] == 0
    assert hook_file(site).read_text(encoding="utf-8") == foreign
