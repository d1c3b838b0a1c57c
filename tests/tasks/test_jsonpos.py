"""value_positions: every recorded position is where its value starts in the text."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from tasks.jsonpos import value_positions

scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=5)
documents = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4),
                         max_leaves=20)


def _at(value, path):
    for key in path:
        value = value[key]
    return value


@settings(max_examples=300, deadline=None)
@given(documents, st.sampled_from([None, 0, 2, "\t"]), st.booleans())
def test_each_position_starts_its_value(doc, indent, ascii_only):
    text = json.dumps(doc, indent=indent, ensure_ascii=ascii_only)
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    positions = value_positions(text, depth=3)
    assert positions[()].line == 1
    for path, pos in positions.items():
        start = offsets[pos.line - 1] + pos.column - 1
        value, _ = json.JSONDecoder().raw_decode(text, start)
        assert value == _at(doc, path)
    if isinstance(doc, list):
        assert all((i,) in positions for i in range(len(doc)))
