"""Every YAML data file parses, and to the same values under the C and pure-Python parsers
(datafiles.py uses the C loader when present; a file only one of them reads is a trap)."""

from importlib import resources

import pytest
import yaml

from borderwatch.datafiles import DataError, read_csv

DATA = resources.files("borderwatch") / "data"


def _yaml_files():
    stack, out = [DATA], []
    while stack:
        node = stack.pop()
        for child in node.iterdir():
            if child.is_dir():
                stack.append(child)
            elif child.name.endswith(".yaml"):
                out.append(child)
    return sorted(out, key=str)


@pytest.mark.parametrize("node", _yaml_files(), ids=lambda n: n.name)
def test_datafiles_yaml_parses_the_same_with_both_parsers(node):
    text = node.read_text(encoding="utf-8")
    pure = yaml.load(text, Loader=yaml.SafeLoader)
    assert pure
    if hasattr(yaml, "CSafeLoader"):
        assert yaml.load(text, Loader=yaml.CSafeLoader) == pure


def test_datafiles_missing_file_is_a_loud_error():
    with pytest.raises(DataError):
        read_csv("no/such/file.csv")
