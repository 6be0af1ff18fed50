"""A target is a plugin: packages installed from tests/plugins add targets through the
entry-point group ``crosspost.targets``, and crosspost publishes through them.

The packages are installed as pip installs any package (``pip install --target``, once per
session, into a folder of their own) and the real CLI runs in a subprocess with that folder on
PYTHONPATH, so importlib.metadata sees them exactly as it sees an installed plugin. The
venv the tests run in is never touched. Quill is served by a stateful fake on 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from crosspost.errors import PluginError
from crosspost.platforms import ALIASES, GROUP, TARGETS, Declaration, DeclaredInfo, TargetInfo, refresh
from crosspost.platforms.plugins import load_class
from crosspost.targets import load_adapter
from crosspost.targets.base import Target
from tests.fakes.forummagnum import FakeForum
from tests.fakes.quill import QuillFake
from tests.fakes.server import Fault, Reply, Request
from tests.sites import env_for, make_site, post_text, snapshot

PLUGINS = Path(__file__).resolve().parent / "plugins"
POST = "2024-03-01-field-notes.md"
BROKEN_LINE = ("broken: the entry point broken = crosspost_broken.needs_missing:Broken "
               "(crosspost-broken 0.1.0) cannot be imported: ModuleNotFoundError: No module named "
               "'quill_sdk_not_installed'. fix the package, or uninstall it: "
               "`pip uninstall crosspost-broken`")
NOT_A_TARGET_LINE = ("notatarget: the entry point notatarget = crosspost_broken.plain:NotATarget "
                     "(crosspost-broken 0.1.0) is not a crosspost target: a target is a subclass of "
                     "crosspost.targets.base.Target. fix the package, or uninstall it: "
                     "`pip uninstall crosspost-broken`")


def install_plugins(factory: pytest.TempPathFactory, folder: str, names: tuple[str, ...]) -> Path:
    """The packages ``names`` of tests/plugins, pip-installed offline into a new folder."""
    target = factory.mktemp(folder)
    for name in names:
        # Building writes build/ and *.egg-info beside the sources: build a copy.
        source = factory.mktemp(f"source-{name}") / name
        shutil.copytree(PLUGINS / name, source, ignore=shutil.ignore_patterns("__pycache__"))
        done = subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
             "--no-deps", "--no-build-isolation", "--no-index", "--target", str(target), str(source)],
            capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
    return target


@pytest.fixture(scope="session")
def plugin_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/plugins/quill and tests/plugins/broken, installed into a folder of their own."""
    target = install_plugins(tmp_path_factory, "installed-plugins", ("quill", "broken"))
    assert sorted(p.name for p in target.glob("*.dist-info")) == [
        "crosspost_broken-0.1.0.dist-info", "crosspost_quill-0.2.0.dist-info"]
    return target


@pytest.fixture
def quill() -> Iterator[QuillFake]:
    fake = QuillFake().start()
    yield fake
    fake.stop()


def run(plugin_path: Path, *args: str, cwd: Path, env: dict[str, str] | None = None,
        python: str = "") -> subprocess.CompletedProcess[str]:
    """``crosspost ARGS`` (or the program ``python``) with the plugins installed."""
    environ = {**os.environ, "PYTHONPATH": str(plugin_path), **(env or {})}
    argv = [sys.executable, "-c", python] if python else [sys.executable, "-m", "crosspost", *args]
    return subprocess.run(argv, cwd=cwd, env=environ, capture_output=True, text=True, check=False)


def front_matter_record(path: Path, target: str) -> dict[str, object]:
    """The post's record for ``target``, read as YAML (this process has no plugin installed)."""
    import yaml

    record: dict[str, object] = yaml.safe_load(path.read_text().split("---\n")[1])["crosspost"][target]
    return record


def site_with(tmp_path: Path, crosspost: str, body: str = "Notes from the field.\n") -> Path:
    root = make_site(tmp_path / "site", {POST: post_text("Field notes", body, crosspost=crosspost)})
    return root / "_posts" / POST


# -- publishing through the engine ----------------------------------------------------------------


def test_a_plugin_publishes_through_the_engine(plugin_path: Path, quill: QuillFake,
                                               tmp_path: Path) -> None:
    path = site_with(tmp_path, "crosspost:\n  quill:\n")
    site = path.parent.parent
    env = quill.env()

    # A dry run plans and diffs, sends nothing and writes nothing.
    before = snapshot(site)
    done = run(plugin_path, "publish", str(path), "--dry-run", cwd=site, env=env)
    assert done.returncode == 0, done.stderr
    assert f"{path}: quill: create\n" in done.stdout
    assert "+*Originally published at [Jane's notes](https://janedoe.net/blog/" in done.stdout
    assert "dry run: 1 to create; nothing was sent or written" in done.stdout
    assert quill.server.requests == []
    assert snapshot(site) == before

    # The create is journaled before it is sent, then recorded, then the journal cleared.
    journal = site / ".crosspost" / "journal"
    seen: list[list[dict[str, object]]] = []

    def look_at_the_journal(request: Request) -> None:
        seen.append([json.loads(p.read_text()) for p in sorted(journal.glob("*-quill.json"))])

    quill.before_write = look_at_the_journal
    done = run(plugin_path, "publish", str(path), "--yes", cwd=site, env=env)
    assert done.returncode == 0, done.stderr
    [post] = quill.posts.values()
    assert done.stdout.startswith(f"{path}: quill: created {post['url']}\n")
    assert [[(e["target"], e["action"], e["state"], e["title"]) for e in entries]
            for entries in seen] == [[("quill", "create", "sending", "Field notes")]]
    assert list(journal.glob("*.json")) == []
    record = front_matter_record(path, "quill")
    assert (record["id"], record["url"]) == (post["id"], f"https://quill.example/p/{post['id']}")
    assert post["body"].startswith("*Originally published at [Jane's notes](https://janedoe.net/blog/")
    assert post["draft"] is False
    assert post["canonical_url"] == "https://janedoe.net/blog/2024/field-notes/"

    # Unchanged: up to date, without a request. Changed: an update of the same post.
    requests = len(quill.server.requests)
    done = run(plugin_path, "publish", str(path), cwd=site, env=env)
    assert (done.returncode, done.stdout) == (0, f"{path}: quill: up to date {post['url']}\n1 up to date\n")
    assert len(quill.server.requests) == requests
    path.write_text(path.read_text() + "\nOne more finding.\n")
    done = run(plugin_path, "publish", str(path), "--yes", cwd=site, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"{path}: quill: updated {post['url']}\n")
    assert list(quill.posts) == [post["id"]]
    assert post["body"].endswith("One more finding.\n")
    assert "draft" not in quill.writes()[-1].json()  # an update keeps the copy's state
    done = run(plugin_path, "status", str(path), cwd=site)
    assert done.stdout.splitlines()[1].split("  ") == [f"_posts/{POST}", "up to date"]


def test_a_lost_reply_is_looked_for_never_sent_twice(plugin_path: Path, quill: QuillFake,
                                                     tmp_path: Path) -> None:
    path = site_with(tmp_path, "crosspost:\n  quill:\n")
    quill.server.inject(Fault.drop_after(lambda r: r.method == "POST"))
    done = run(plugin_path, "publish", str(path), "--yes", cwd=path.parent.parent, env=quill.env())
    assert done.returncode == 0, done.stderr
    [post] = quill.posts.values()
    assert [r.method for r in quill.writes()] == ["POST"]
    assert done.stdout.startswith(f"{path}: quill: created {post['url']}\n")
    assert front_matter_record(path, "quill")["id"] == post["id"]


BAD_GATEWAY = Reply.raw(b"<html>502 Bad Gateway</html>", 502, content_type="application/json")
JSON_BUG = "crosspost-quill raised JSONDecodeError: Expecting value: line 1 column 1 (char 0)"


def test_a_bug_in_a_plugin_s_create_fails_its_target_only_and_never_resends_blindly(
        plugin_path: Path, quill: QuillFake, forum: FakeForum, tmp_path: Path) -> None:
    """Quill's error path reads a 502's HTML body as JSON (Content-Type says JSON): the
    plugin raises JSONDecodeError, no CrosspostError, after its create was sent."""
    path = site_with(tmp_path, "crosspost: [quill, lesswrong]\n")
    site = path.parent.parent
    env = {**quill.env(), **env_for(forum=forum)}

    # The post was not made: that target fails in one line, LessWrong's copy is made.
    quill.server.inject(Fault.respond(BAD_GATEWAY, match=lambda r: r.method == "POST"))
    done = run(plugin_path, "publish", str(path), "--yes", cwd=site, env=env)
    assert done.returncode == 3, done.stderr  # partial success, not an internal error
    assert done.stdout.startswith(f"{path}: lesswrong: created ")
    assert done.stderr == (f"{path}: quill: failed: {JSON_BUG}; the post may have been created; "
                           "no copy was found yet. run the same command again: it checks for the "
                           "post before creating anything\n")
    assert quill.posts == {}
    # Like a lost reply: the journal keeps the create, and the next run looks before sending.
    assert len(list((site / ".crosspost" / "journal").glob("*-quill.json"))) == 1
    before = len(quill.server.requests)
    done = run(plugin_path, "publish", str(path), "--yes", cwd=site, env=env)
    assert done.returncode == 0, done.stderr
    asked = [(r.method, r.path) for r in quill.server.requests[before:]]
    assert asked.index(("GET", "/v1/posts")) < asked.index(("POST", "/v1/posts"))
    [post] = quill.posts.values()
    assert front_matter_record(path, "quill")["id"] == post["id"]

    # The post was made and the plugin failed reading the answer: found, recorded, made once.
    other = site_with(tmp_path / "other", "crosspost: [quill]\n", body="Second notes.\n")

    def made_then_bad_gateway(request: Request) -> Reply:
        quill.server.app = quill.app  # once
        quill.app(request)
        return BAD_GATEWAY

    quill.server.app = made_then_bad_gateway
    done = run(plugin_path, "--debug", "publish", str(other), "--yes", cwd=other.parent.parent,
               env=env)
    assert done.returncode == 0, done.stderr
    assert len(quill.posts) == 2
    assert [r.method for r in quill.writes()] == ["POST", "POST", "POST"]
    assert front_matter_record(other, "quill")["id"] == list(quill.posts)[-1]

    # What a plugin reports itself (a CrosspostError) stays what it is: not a bug, not a maybe.
    third = site_with(tmp_path / "third", "crosspost: [quill]\n", body="Third notes.\n")
    quill.server.inject(Fault.respond(Reply.json({"error": "too long"}, 422),
                                      match=lambda r: r.method == "POST"))
    done = run(plugin_path, "publish", str(third), "--yes", cwd=third.parent.parent, env=env)
    assert (done.returncode, done.stderr) == (1, f"{third}: quill: failed: Quill refused the post: "
                                                 "too long\n")
    assert list((third.parent.parent / ".crosspost" / "journal").glob("*.json")) == []


def test_a_bug_in_a_plugin_s_read_or_update_is_one_line(plugin_path: Path, quill: QuillFake,
                                              tmp_path: Path) -> None:
    path = site_with(tmp_path, "crosspost: [quill]\n")
    site = path.parent.parent
    env = {**quill.env(), "CROSSPOST_RETRIES": "0"}
    assert run(plugin_path, "publish", str(path), "--yes", cwd=site, env=env).returncode == 0
    path.write_text(path.read_text() + "\nMore.\n")

    def reads_fail() -> None:
        quill.server.faults.clear()
        quill.server.inject(Fault.respond(BAD_GATEWAY, match=lambda r: r.method == "GET"))

    reads_fail()
    done = run(plugin_path, "publish", str(path), "--dry-run", cwd=site, env=env)
    assert done.returncode == 0, done.stderr
    assert f"(could not read the remote copy: quill: {JSON_BUG}. a bug there" in done.stdout
    reads_fail()
    done = run(plugin_path, "status", "--remote", str(path), cwd=site, env=env)
    assert done.returncode == 1
    assert done.stdout.splitlines()[1].split()[:3] == [f"_posts/{POST}", "quill", "error"]
    assert done.stderr == (f"_posts/{POST}: quill: {JSON_BUG}. a bug there: run again with "
                           "--debug for the traceback, and please report it\n")
    reads_fail()
    done = run(plugin_path, "pull", str(path), cwd=site, env=env)
    assert done.returncode == 1
    assert done.stderr.startswith(f"crosspost: error: quill: {JSON_BUG}. a bug there: run again "
                                  "with --debug for the traceback, and please report it\n")
    reads_fail()
    done = run(plugin_path, "--debug", "publish", str(path), "--yes", cwd=site, env=env)
    assert done.returncode == 1
    first, *traceback = done.stderr.splitlines()
    assert first == f"{path}: quill: failed: {JSON_BUG}. a bug there: run again with --debug for " \
        "the traceback, and please report it"
    assert traceback[:2] == [f"{path}: quill: traceback:", "Traceback (most recent call last):"]
    assert traceback[-1] == "json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)"

    # An update that raised leaves nothing to settle: it is simply sent again.
    quill.server.faults.clear()
    quill.server.inject(Fault.respond(BAD_GATEWAY, match=lambda r: r.method == "PUT"))
    done = run(plugin_path, "publish", str(path), "--yes", cwd=site, env=env)
    assert (done.returncode, done.stderr.startswith(f"{path}: quill: failed: {JSON_BUG}")) == (1, True)
    assert list((site / ".crosspost" / "journal").glob("*.json")) == []
    done = run(plugin_path, "publish", str(path), "--yes", cwd=site, env=env)
    assert done.stdout.startswith(f"{path}: quill: updated "), done.stderr


def test_a_broken_plugin_fails_in_one_line_and_the_other_targets_go(
        plugin_path: Path, quill: QuillFake, tmp_path: Path) -> None:
    path = site_with(tmp_path, "crosspost: [quill, broken, notatarget]\n")
    site = path.parent.parent
    done = run(plugin_path, "publish", str(path), "--yes", cwd=site, env=quill.env())
    assert done.returncode == 3, done.stderr  # partial success
    [post] = quill.posts.values()
    assert done.stdout == f"{path}: quill: created {post['url']}\n2 failed, 1 created\n"
    assert sorted(done.stderr.splitlines()) == [  # targets run at once: in any order
        f"{path}: broken: failed: {BROKEN_LINE.split(': ', 1)[1]}",
        f"{path}: notatarget: failed: {NOT_A_TARGET_LINE.split(': ', 1)[1]}"]
    assert front_matter_record(path, "quill")["id"] == post["id"]

    # Alone, it is a failure; a dry run says the same.
    for extra in ((), ("--dry-run",)):
        done = run(plugin_path, "publish", str(path), "--to", "broken", "--yes", *extra, cwd=site)
        assert done.returncode == 1, done.stderr
        assert done.stderr.splitlines() == [f"{path}: broken: failed: {BROKEN_LINE.split(': ', 1)[1]}"]
    done = run(plugin_path, "render", str(path), "--to", "notatarget", cwd=site)
    assert (done.returncode, done.stdout, done.stderr) == (1, "", f"crosspost: error: {NOT_A_TARGET_LINE}\n")


def test_a_target_whose_package_is_gone_is_an_unknown_target_that_says_so(tmp_path: Path) -> None:
    path = site_with(tmp_path, "crosspost:\n  quill:\n")
    done = subprocess.run([sys.executable, "-m", "crosspost", "status", str(path)], cwd=path.parent,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 4
    assert "unknown target 'quill' in `crosspost`" in done.stderr
    assert "a target added by a package needs that package installed" in done.stderr


# -- imported only when used ----------------------------------------------------------------------


@pytest.fixture
def in_this_process(plugin_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The plugins installed for this test's process too; forgotten afterwards."""
    monkeypatch.syspath_prepend(str(plugin_path))
    refresh()
    yield
    refresh()
    for name in [m for m in sys.modules if m.startswith(("crosspost_quill", "crosspost_broken"))]:
        del sys.modules[name]


@pytest.mark.usefixtures("in_this_process")
def test_a_package_target_is_imported_when_used_and_recognises_its_links(tmp_path: Path) -> None:
    from crosspost.post import Post
    from crosspost.render import render_post
    from crosspost.sites import Site

    infos = list(TARGETS.values())
    assert [i.name for i in infos][5:] == ["broken", "notatarget", "quill"]
    assert [(i.database, i.aliases) for i in infos][7] == ("quill", ())
    assert (ALIASES["quill"], "Not-A-Name" in ALIASES, ALIASES["lw"]) == ("quill", False, "lesswrong")
    assert "crosspost_quill" not in sys.modules

    # Rendering for LessWrong looks at every target's database, and imports no package.
    path = site_with(tmp_path, "crosspost:\n  lesswrong:\n  quill: {id: q0000007, "
                     "url: 'https://quill.example/p/q0000007'}\n",
                     body="Notes.\n\nAlso on [Quill](https://quill.example/p/q0000007/).\n")
    post, site = Post.from_path(path), Site.discover(path)
    assert "Also on [Quill]" in render_post(post, site, "lesswrong").body
    assert "crosspost_quill" not in sys.modules

    # For Quill, the class is imported and its URL shape finds the post's link to itself.
    rendered = render_post(post, site, "quill")
    assert "crosspost_quill" in sys.modules
    assert (rendered.self_ids, "Also on" in rendered.body) == (("q0000007",), False)
    assert TARGETS["quill"].label == "Quill"
    assert load_adapter(TARGETS["quill"]) is sys.modules["crosspost_quill"].Quill

    # A broken one raises the same line on every use; its import was tried once.
    for _ in range(2):
        with pytest.raises(PluginError) as caught:
            _ = TARGETS["broken"].dialect
        assert str(caught.value) == BROKEN_LINE


def _method(self: object, *args: object) -> None:
    raise AssertionError("never called")


def _sample(info: object = None, *, complete: bool = True, **info_changes: object) -> type:
    if info is None:
        facts: dict[str, object] = {
            "name": "sample", "label": "Sample", "dialect": "forum",
            "default_endpoint": "https://api.sample.example", "site_url": "https://sample.example",
            "post_url": re.compile(r"https://sample\.example/(?P<id>\d+)"),
            "token_help": "ask", "can_update": True}
        info = TargetInfo(**{**facts, **info_changes})  # type: ignore[arg-type]
    methods = ("build_payload", "whoami", "fetch", "find_existing", "create", "update")
    namespace = dict.fromkeys(methods if complete else methods[:4], _method)
    return type("Sample", (Target,), {**namespace, "info": info})


class Samples:
    """What entry points in tests.test_plugins point at."""

    good = _sample()
    incomplete = _sample(complete=False)
    no_info = type("NoInfo", (_sample(),), {"info": "sample"})
    wrong_name = _sample(name="other")
    aliased = _sample(aliases=("smp",))
    shared = _sample(database="lesswrong")
    rst = _sample(dialect="rst")
    no_id = _sample(post_url=re.compile(r"https://sample\.example/\d+"))
    function = staticmethod(_method)


@pytest.mark.parametrize(("value", "problem"), [
    ("tests.test_plugins:Samples.incomplete", "is not a complete target: it does not write create, update"),
    ("tests.test_plugins:Samples.no_info",
     "is not a usable target: its `info` is not a crosspost.platforms.TargetInfo"),
    ("tests.test_plugins:Samples.wrong_name",
     "is not a usable target: its info is for 'other', its entry point for 'sample'"),
    ("tests.test_plugins:Samples.aliased",
     "is not a usable target: a package's target has no aliases (only its entry point's name)"),
    ("tests.test_plugins:Samples.shared",
     "is not a usable target: a package's target is its own database (leave `database` out)"),
    ("tests.test_plugins:Samples.rst",
     "is not a usable target: dialect 'rst' is none of forum, devto, medium"),
    ("tests.test_plugins:Samples.no_id", "is not a usable target: its post_url has no (?P<id>…) group"),
    ("tests.test_plugins:Samples.function",
     "is not a crosspost target: a target is a subclass of crosspost.targets.base.Target"),
    ("tests.test_plugins:Samples.missing", "cannot be loaded: tests.test_plugins has no Samples.missing"),
    ("tests.test_plugins", "does not name a class: write `name = \"module:Class\"`"),
])
def test_an_entry_point_that_is_no_usable_target_is_one_line(value: str, problem: str) -> None:
    from importlib.metadata import EntryPoint

    with pytest.raises(PluginError) as caught:
        load_class(Declaration(EntryPoint("sample", value, GROUP)))
    assert str(caught.value) == (f"sample: the entry point sample = {value} (an unnamed package) "
                                 f"{problem}. fix the package that declares it, or uninstall it")
    good = Declaration(EntryPoint("sample", "tests.test_plugins:Samples.good [extra]", GROUP))
    assert load_class(good) is Samples.good


def test_a_name_two_packages_declare_is_used_by_neither() -> None:
    from importlib.metadata import EntryPoint

    info = DeclaredInfo("twice", [Declaration(EntryPoint("twice", value, GROUP))
                                  for value in ("one:Target", "two:Target")])
    assert (info.name, info.database, info.aliases) == ("twice", "twice", ())
    with pytest.raises(PluginError) as caught:
        _ = info.can_update
    assert str(caught.value) == ("twice: is declared by several packages: twice = one:Target (an "
                                 "unnamed package); twice = two:Target (an unnamed package). "
                                 "uninstall all but one of them")


# -- crosspost targets ----------------------------------------------------------------------------

LIST_AND_SHOW_MODULES = (
    "import sys\n"
    "from crosspost.cli import main\n"
    "try:\n    main(sys.argv[1:])\nexcept SystemExit as exc:\n    code = exc.code\n"
    "print('modules:', sorted(m for m in sys.modules if m.startswith(\n"
    "    ('crosspost.targets', 'crosspost_quill', 'crosspost_broken', 'httpx'))), code)\n")


def test_targets_lists_every_target_and_its_package_importing_none(plugin_path: Path,
                                                                  tmp_path: Path) -> None:
    done = run(plugin_path, cwd=tmp_path, python=LIST_AND_SHOW_MODULES.replace(
        "sys.argv[1:]", "['targets']"))
    *table, modules = done.stdout.splitlines()
    assert modules == "modules: [] 1"
    assert [line.split("  ")[0] for line in table[:-1]] == [
        "target", "lesswrong", "eaforum", "alignmentforum", "medium", "devto", "broken",
        "notatarget", "quill", "Not-A-Name", "lw", "medium"]
    rows = {line.split()[0]: " ".join(line.split()) for line in table[6:-1]}
    assert rows["quill"] == "quill ? ? crosspost-quill 0.2.0 (crosspost_quill:Quill)"
    assert table[1] == ("lesswrong       lw       LessWrong        yes      "
                        "crosspost 0.1.0 (built in)")
    assert table[-1].startswith("(? = known once the package's module is imported")
    # What metadata alone shows to be wrong: entry points that are never used.
    assert done.stderr.splitlines() == [
        "crosspost: error: the entry point Not-A-Name = crosspost_broken.plain:NotATarget "
        "(crosspost-broken 0.1.0) is not used: 'Not-A-Name' is not a target name (a lower-case "
        "letter, then lower-case letters, digits or _)",
        "crosspost: error: the entry point lw = crosspost_broken.plain:NotATarget "
        "(crosspost-broken 0.1.0) is not used: 'lw' is an alias of the built-in target 'lesswrong'",
        "crosspost: error: the entry point medium = crosspost_broken.plain:NotATarget "
        "(crosspost-broken 0.1.0) is not used: 'medium' is a built-in target's name"]


def test_targets_check_imports_each_and_names_the_broken_ones(plugin_path: Path,
                                                             tmp_path: Path) -> None:
    done = run(plugin_path, "targets", "--check", "--json", cwd=tmp_path)
    assert done.returncode == 1
    rows = {(row["name"], row["package"]): row for row in json.loads(done.stdout)}
    assert rows["quill", "crosspost-quill"] == {
        "name": "quill", "aliases": [], "label": "Quill", "can_update": True, "builtin": False,
        "package": "crosspost-quill", "version": "0.2.0", "entry_point": "crosspost_quill:Quill",
        "loaded": True, "problem": None}
    assert rows["medium", "crosspost"]["entry_point"] == "crosspost.targets.medium:Medium"
    assert rows["medium", "crosspost"]["can_update"] is False
    assert rows["broken", "crosspost-broken"]["problem"] == BROKEN_LINE
    assert rows["notatarget", "crosspost-broken"]["problem"] == NOT_A_TARGET_LINE
    assert f"crosspost: error: {BROKEN_LINE}" in done.stderr.splitlines()


def test_the_built_in_targets_are_entry_points_like_any_other() -> None:
    """crosspost's own pyproject declares every built-in target, and each class is the one
    the static table describes."""
    import tomllib

    from crosspost.platforms import table, target_class
    from crosspost.platforms.builtin import BUILTIN

    pyproject = tomllib.loads((PLUGINS.parent.parent / "pyproject.toml").read_text())
    declared = pyproject["project"]["entry-points"]["crosspost.targets"]
    assert sorted(declared) == sorted(BUILTIN)
    installed = {name: [d.value for d in ds if d.own] for name, ds in table().declarations.items()}
    for name, value in declared.items():
        assert installed[name] == [value], "reinstall: pip install -e '.[test]'"
        assert target_class(name).info is TARGETS[name] is BUILTIN[name]


def test_an_install_without_crosspost_s_own_entry_points_says_to_reinstall(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """An install made before the targets became entry points (an old editable install)."""
    import crosspost.platforms
    from crosspost.platforms.listing import list_targets

    with monkeypatch.context() as patch:
        patch.setattr(crosspost.platforms, "read_declarations", list)
        refresh()
        try:
            with pytest.raises(PluginError) as caught:
                load_adapter(TARGETS["devto"])
            line = ("devto: crosspost's installed metadata declares no entry point for it in the "
                    "group crosspost.targets. reinstall crosspost (`pip install -e .` in its folder)")
            assert str(caught.value) == line
            assert [row.problem for row in list_targets()][4] == line
        finally:
            refresh()
    assert load_adapter(TARGETS["devto"]).__name__ == "DevTo"


# -- what stays light -----------------------------------------------------------------------------


def test_help_reads_no_entry_point_and_imports_no_target(plugin_path: Path, tmp_path: Path) -> None:
    program = (
        "import contextlib, io, sys\n"
        "from crosspost.cli import COMMANDS, main\n"
        "for args in (['--help'], *([name, '--help'] for name in COMMANDS)):\n"
        "    with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "        main(args)\n"
        "print(sorted(m for m in sys.modules if m.startswith(('crosspost.targets', 'crosspost_',\n"
        "    'importlib.metadata'))))\n")
    done = run(plugin_path, cwd=tmp_path, python=program)
    assert (done.stdout, done.stderr) == ("[]\n", "")


def git(repo: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0 or args[0] == "push", done.stderr
    return done


def test_the_hook_no_op_reads_no_entry_point_and_imports_no_target(plugin_path: Path,
                                                                   tmp_path: Path) -> None:
    """A real push through the installed hook, with Python reporting every import it makes."""
    path = site_with(tmp_path, "crosspost:\n  quill:\n")
    repo = path.parent.parent
    git(tmp_path, "init", "-q", "--bare", "-b", "main", "remote.git")
    git(repo, "init", "-q", "-b", "main")
    for key, value in (("user.name", "Test Writer"), ("user.email", "writer@example.org")):
        git(repo, "config", key, value)
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "site")
    git(repo, "remote", "add", "origin", str(tmp_path / "remote.git"))
    git(repo, "push", "-q", "origin", "main")
    assert run(plugin_path, "hook", "install", cwd=repo).returncode == 0
    env = {**os.environ, "PYTHONPATH": str(plugin_path), "PYTHONPROFILEIMPORTTIME": "1"}

    (repo / "notes.txt").write_text("not a post\n")
    git(repo, "add", "notes.txt")
    git(repo, "commit", "-q", "-m", "notes")
    done = git(repo, "push", "-q", "origin", "main", env=env)
    assert done.returncode == 0, done.stderr
    imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines()
                if line.startswith("import time:")}
    assert "crosspost.errors" in imported  # the hook ran, and reported its imports
    assert not {m for m in imported
                if m.startswith(("crosspost.targets", "crosspost.platforms", "crosspost_",
                                 "importlib.metadata"))}

    # A push of the opted-in post reads the names (front matter) and blocks: not published.
    path.write_text(path.read_text() + "\nMore.\n")
    git(repo, "commit", "-q", "-am", "more")
    done = git(repo, "push", "-q", "origin", "main", env={**env, "PYTHONPROFILEIMPORTTIME": ""})
    assert done.returncode == 1
    assert f"_posts/{POST}: quill: not published" in done.stderr


def test_a_platform_that_never_answers_a_plugin_costs_the_timeout_then_is_asked(
        plugin_path: Path, quill: QuillFake, tmp_path: Path) -> None:
    """A plugin sending through ``Target.request`` gets the seam's timeout: a create the
    platform holds on to is not waited for forever, and is looked for, never sent again."""
    path = site_with(tmp_path, "crosspost: [quill]\n")
    saved, release = threading.Event(), threading.Event()
    quill.server.inject(Fault.hold(saved, release, match=lambda r: r.method == "POST"))
    try:
        done = run(plugin_path, "publish", str(path), "--yes", cwd=path.parent.parent,
                   env={**quill.env(), "CROSSPOST_TIMEOUT": "0.5"})
    finally:
        release.set()
    assert saved.is_set()
    assert done.returncode == 0, done.stderr
    [post] = quill.posts.values()
    assert [r.method for r in quill.writes()] == ["POST"]
    assert front_matter_record(path, "quill")["id"] == post["id"]
