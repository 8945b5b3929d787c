"""Every CLI command is documented in the README, and so is every ingest option."""

from pathlib import Path

import click
import pytest

from borderwatch.cli import main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


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
