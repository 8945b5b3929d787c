"""Write docs/cli.md: every command of `borderwatch`, its arguments and every option with its help,
read from the click commands themselves (`make cli-docs`). tests/test_docs.py checks the file is
what this writes, so the reference cannot drift from the code."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "cli.md"


def commands(cmd: click.Command, path: list[str]) -> Iterator[tuple[list[str], click.Command]]:
    """Every leaf command under `cmd`, with its words after `borderwatch`, in name order."""
    if isinstance(cmd, click.Group):
        for name in sorted(cmd.commands):
            yield from commands(cmd.commands[name], [*path, name])
    else:
        yield path, cmd


def option_row(ctx: click.Context, opt: click.Option) -> str:
    """One table row: the option's spellings with its value, and its help with its default (a
    `|` inside a cell escaped, so the table keeps its columns)."""
    names, text = opt.get_help_record(ctx) or (", ".join(opt.opts), "")
    return f"| `{names.replace('|', chr(92) + '|')}` | {text.replace('|', chr(92) + '|')} |"


def reference() -> str:
    from borderwatch.cli import main

    out = ["# `borderwatch` command reference", "",
           "Written by `tools/cli_reference.py` from the commands themselves (`make cli-docs`);",
           "`tests/test_docs.py` fails when it is out of date. README.md shows the main uses.", ""]
    for path, cmd in commands(main, []):
        ctx = click.Context(cmd, info_name=" ".join(["borderwatch", *path]))
        out += [f"## borderwatch {' '.join(path)}", "", "```", cmd.get_usage(ctx).removeprefix("Usage: "), "```", ""]
        if cmd.help:
            out += [cmd.help.strip(), ""]
        opts = [p for p in cmd.params if isinstance(p, click.Option)]
        if opts:
            out += ["| option | meaning |", "|---|---|", *(option_row(ctx, o) for o in opts), ""]
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":
    OUT.write_text(reference(), encoding="utf-8")
    sys.stdout.write(f"wrote {OUT.relative_to(ROOT)}\n")
