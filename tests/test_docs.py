"""Every CLI command is documented in the README, and so is every ingest option; every option of
every command has help, and docs/cli.md (written from the commands) is current."""

from pathlib import Path

import click
import pytest

from borderwatch.cli import main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


@pytest.mark.parametrize("name", sorted(main.commands))
def test_docs_every_command_is_in_the_readme(name):
    assert f"borderwatch {name}" in README


@pytest.mark.parametrize("opt", [o for p in main.commands["ingest"].params
                                 if isinstance(p, click.Option) for o in p.opts if o.startswith("--")])
def test_docs_every_ingest_option_is_in_the_readme(opt):
    assert f"`{opt}" in README


def test_docs_readme_opens_with_the_two_commands():
    first = README.split("```sh", 1)[1].split("```", 1)[0].strip().splitlines()
    assert [ln.split("#")[0].strip() for ln in first] == ["make demo", "make test"]


def _leaf_commands(cmd, path):
    if isinstance(cmd, click.Group):
        for name, sub in cmd.commands.items():
            yield from _leaf_commands(sub, [*path, name])
    else:
        yield " ".join(path), cmd


LEAVES = sorted(_leaf_commands(main, []), key=lambda pc: pc[0])


@pytest.mark.parametrize("path,cmd", LEAVES, ids=[p for p, _ in LEAVES])
def test_docs_every_option_of_every_command_has_help(path, cmd):
    assert cmd.help, f"borderwatch {path} has no help"
    for p in cmd.params:
        if isinstance(p, click.Option):
            assert p.help and p.help.strip(), f"borderwatch {path} {p.opts[0]} has no help"


def test_docs_the_cli_reference_is_current_and_lists_every_option():
    import importlib.util

    spec = importlib.util.spec_from_file_location("cli_reference", ROOT / "tools" / "cli_reference.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    written = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert written == tool.reference(), "docs/cli.md is out of date: run make cli-docs"
    for path, cmd in LEAVES:
        section = written.split(f"## borderwatch {path}\n", 1)[1].split("\n## ", 1)[0]
        for p in cmd.params:
            if isinstance(p, click.Option):
                assert any(f"`{o}" in section or f", {o}" in section for o in p.opts), (path, p.opts)
    assert "docs/cli.md" in README


def test_no_sql_in_serve():
    """The workbench reads and writes through store/ (issue 10), as the command line does."""
    import re

    serve = ROOT / "src" / "borderwatch" / "serve"
    found = [f"{p.name}:{n}" for p in sorted(serve.glob("*.py"))
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if re.search(r"\.execute(many)?\(|\bSELECT\b.*\bFROM\b|\bINSERT INTO\b|\bDELETE FROM\b", line)]
    assert found == []


def _readme_read_examples() -> list[list[str]]:
    """The README's example commands that only read the store (search, list, show, stats,
    facts), as argument lists: comments and optional [..] parts dropped."""
    import re
    import shlex

    block = README.split("here are the main uses.", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    out = []
    for line in block.splitlines():
        if not line.startswith(".venv/bin/borderwatch "):
            continue
        line = re.sub(r"\s+#\s.*$", "", line)  # a trailing comment
        line = re.sub(r"\[[^\]]*\]", "", line)  # optional parts
        args = shlex.split(line)[1:]
        if args and args[0] in ("search", "list", "show", "stats", "facts"):
            out.append(args)
    return out


@pytest.mark.slow
def test_docs_readme_examples_return_something_on_the_demo_data(tmp_path):
    """A newcomer runs `make demo`, then the README's examples: each one finds something."""
    import re

    from tests.conftest import EXAMPLES, run_bw

    examples = _readme_read_examples()
    assert {a[0] for a in examples} == {"search", "list", "show", "stats", "facts"}
    db = tmp_path / "demo.db"
    assert run_bw("ingest", str(EXAMPLES), "-q", db=db).returncode == 0
    for args in examples:
        p = run_bw(*args, db=db)
        assert p.returncode == 0, (args, p.stderr)
        counted = re.search(r"^(\d+) (?:report|event)\(s\)", p.stdout, re.M)
        if counted:
            assert int(counted.group(1)) > 0, (args, p.stdout[:300])
        elif args[0] == "stats":
            assert re.search(r"^reports: [1-9]", p.stdout, re.M), p.stdout[:300]
        else:  # show: the report itself, with its facts
            assert args[0] == "show" and "Nampo" in p.stdout, (args, p.stdout[:300])
