"""Load YAML and remember the line of every key, so problems can name a line."""

from __future__ import annotations

import yaml

try:  # the C loader is much faster; fall back when libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader

Path = tuple  # a path into the document: ("departments", 3, "id")


def load_with_lines(text: str) -> tuple[object, dict[Path, int]]:
    """Parse YAML text; return the data and a map path → 1-based line number."""
    node = yaml.compose(text, Loader=_Loader)
    if node is None:
        return None, {}
    lines: dict[Path, int] = {}
    _walk(node, (), lines)
    data = yaml.load(text, Loader=_Loader)
    return data, lines


def _walk(node: yaml.Node, path: Path, lines: dict[Path, int]) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            lines[path + (key,)] = key_node.start_mark.line + 1
            _walk(value_node, path + (key,), lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            lines[path + (index,)] = child.start_mark.line + 1
            _walk(child, path + (index,), lines)


def line_of(lines: dict[Path, int], path: Path) -> int | None:
    """The line of the deepest known prefix of path."""
    path = tuple(path)
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return lines.get(())


def yaml_error_line(exc: yaml.YAMLError) -> int | None:
    """1-based line where a YAML syntax error was detected."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return mark.line + 1 if mark is not None else None
