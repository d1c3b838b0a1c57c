"""Reading an open task file into a Task, with one clear error per mistake.

Every error names the file, the line of the offending value and, for an
example, shows the example. The checks, in order: the file's keys and
shapes, the signature (parsed with the DSL's own type syntax), each
example's input names and types (against the signature, or against one
another when types are inferred), then examples with the same input and
different outputs.
"""

from __future__ import annotations

import json
import os
from typing import Any, Hashable, Mapping

from dsl.errors import Pos, UserError, json_repr
from dsl.parse import parse_type
from dsl.types import Type
from dsl.values import Value, from_json, to_json
from tasks.core import Example, Task
from tasks.family import FileHead
from tasks.jsonpos import JsonFile, Path, unknown_key, value_positions, where
from tasks.open.infer import BadValue, Mismatch, check_name, infer_type, is_complete, unify
from tasks.open.spec import OpenSpec

KEYS = ("family", "name", "description", "signature", "constants", "seed", "drawn", "train", "test")
EXAMPLE_KEYS = ("input", "output")
SPLITS = ("train", "test")


def open_task(head: FileHead) -> Task:
    """The Task of an open task file already read by `tasks.family.read_head`."""
    if head.document is None or head.text is None:
        raise UserError("an open task file is one JSON object with a \"train\" list", file=head.path)
    doc = JsonFile.of(head.path, head.text, head.document)
    obj = head.document
    _check_keys(doc)
    name = obj.get("name", os.path.splitext(os.path.basename(head.path))[0])
    if not isinstance(name, str) or not name:
        raise doc.error('"name" must be a non-empty string', ("name",))
    if not name.isprintable():  # a newline or tab in it would break every table that names the task
        raise doc.error(f'"name" must be one line of printable text, not {json_repr(name)}', ("name",))
    constants = _constants(doc)
    items = _examples(doc)
    signature = _signature(doc)
    if signature is None:
        inputs, output = _infer(doc, items)
    else:
        inputs, output = signature
    examples = {split: tuple(_decode(doc, at, inputs, output, signature is not None) for at in ats) for split, ats in items.items()}
    _check_functional(doc, items, examples)
    return Task(
        name=name,
        family="open",
        input_types=inputs,
        output_type=output,
        train=examples["train"],
        test=examples["test"],
        spec=OpenSpec(constants=constants),
    )


def _check_keys(doc: JsonFile) -> None:
    for key in doc.document:
        if key not in KEYS:
            raise doc.error(unknown_key(key, KEYS, "an open task file"), (key,))
    family = doc.document.get("family", "open")
    if family != "open":
        raise doc.error(f'"family" is {json.dumps(family)}, not "open"', ("family",))


def _constants(doc: JsonFile) -> tuple[int, ...]:
    raw = doc.document.get("constants", [])
    if not isinstance(raw, list) or any(isinstance(k, bool) or not isinstance(k, int) for k in raw):
        raise doc.error('"constants" must be a list of integers the problem states, e.g. [3] for "mod 3"', ("constants",))
    return tuple(raw)


def _examples(doc: JsonFile) -> dict[str, list[Path]]:
    """The path of every example, after checking each is {"input": {...}, "output": ...}."""
    out: dict[str, list[Path]] = {}
    for split in SPLITS:
        items = doc.document.get(split, [])
        if not isinstance(items, list):
            raise doc.error(f'"{split}" must be a list of examples {{"input": {{...}}, "output": ...}}', (split,))
        out[split] = [(split, i) for i in range(len(items))]
        for at, item in zip(out[split], items):
            if not isinstance(item, dict):
                raise doc.error(f'{where(at)}: an example is an object {{"input": {{"NAME": VALUE, ...}}, "output": VALUE}}', at)
            missing = [k for k in EXAMPLE_KEYS if k not in item]
            extra = [k for k in item if k not in EXAMPLE_KEYS]
            if missing or extra:
                what = "; ".join(p for p in (
                    "missing " + ", ".join(f'"{k}"' for k in missing) if missing else "",
                    f"unknown key{'s' if len(extra) > 1 else ''} " + ", ".join(f'"{k}"' for k in extra) if extra else "") if p)
                raise doc.error(f'{where(at)}: {what} (an example has "input" and "output")', at)
            if not isinstance(item["input"], dict):
                raise doc.error(f'{where(at)}: "input" must be an object of named inputs, e.g. {{"xs": [1, 2]}}', at + ("input",))
            for input_name in item["input"]:
                try:
                    check_name(input_name, "the input")
                except UserError as err:
                    raise doc.error(f"{where(at)}: {err.message}", at + ("input", input_name)) from None
    if not out["train"]:
        raise doc.error('"train" is empty or missing: give at least one example {"input": {...}, "output": ...}', ("train",))
    return out


def _signature(doc: JsonFile) -> tuple[tuple[tuple[str, Type], ...], Type] | None:
    """The declared input and output types, parsed with the DSL's type syntax."""
    if "signature" not in doc.document:
        return None
    sig = doc.document["signature"]
    shape = 'the signature is {"inputs": {"NAME": "TYPE", ...}, "output": "TYPE"}, e.g. {"inputs": {"xs": "List[Int]"}, "output": "Int"}'
    if not isinstance(sig, dict) or set(sig) != {"inputs", "output"} or not isinstance(sig["inputs"], dict):
        raise doc.error(shape, ("signature",))
    inputs = []
    for name, text in sig["inputs"].items():
        at: Path = ("signature", "inputs", name)
        try:
            check_name(name, "the input")
        except UserError as err:
            raise doc.error(f"signature: {err.message}", at) from None
        inputs.append((name, _type(doc, text, at, f"input {name}")))
    return tuple(inputs), _type(doc, sig["output"], ("signature", "output"), "output")


def _type(doc: JsonFile, text: Any, at: Path, what: str) -> Type:
    if not isinstance(text, str):
        raise doc.error(f'signature: the type of the {what} must be a string such as "List[Int]", not {json.dumps(text)}', at)
    try:
        return parse_type(text)
    except UserError as err:
        error = doc.error(f"signature: the type of the {what}, {json.dumps(text)}, does not parse: {err.message}", at)
        start = error.pos
        if start is not None and err.pos is not None and err.pos.line == 1 and "\\" not in text:
            error.pos = Pos(start.line, start.column + err.pos.column)  # the column inside the quoted type
        raise error from None


def _infer(doc: JsonFile, items: Mapping[str, list[Path]]) -> tuple[tuple[tuple[str, Type], ...], Type]:
    """Input and output types read off the examples, which must agree on names and types."""
    first = items["train"][0]
    names = list(_raw(doc, first)["input"])
    types: dict[str, tuple[Type, Path]] = {}
    for at in items["train"] + items["test"]:
        raw = _raw(doc, at)
        if set(raw["input"]) != set(names):
            raise doc.error(f"{where(at)}: inputs {_names(raw['input'])}, but {where(first)} has {_names(names)}; every example has the same inputs", at + ("input",))
        for key, value, path in [(n, raw["input"][n], at + ("input", n)) for n in names] + [("", raw["output"], at + ("output",))]:
            what = f"input {key}" if key else "output"
            try:
                t = infer_type(value)
            except BadValue as err:  # a value inside: its own line and column
                inner = path + err.at
                deeper = JsonFile(doc.path, doc.text, doc.document, value_positions(doc.text, depth=len(inner)))
                raise deeper.error(f"{where(at)}: {what}: {err.message}", inner) from None
            except UserError as err:
                raise doc.error(f"{where(at)}: {what}: {err.message}", path) from None
            if key in types:
                seen, origin = types[key]
                try:
                    t = unify(seen, t)
                except Mismatch:
                    raise doc.error(f"{where(at)}: {what} is {t}, but {where(origin)} gives {seen}; an input or output has one type in every example", path) from None
            types[key] = (t, types[key][1] if key in types else at)
    for key, (t, origin) in types.items():
        if not is_complete(t):
            what = f"input {key}" if key else "output"
            raise doc.error(f"the {what} is {t} in every example: an always-empty list has no item type; give a \"signature\"", origin)
    return tuple((n, types[n][0]) for n in names), types[""][0]


def _decode(doc: JsonFile, at: Path, inputs: tuple[tuple[str, Type], ...], output: Type, declared: bool) -> Example:
    raw = _raw(doc, at)
    if declared and set(raw["input"]) != {n for n, _ in inputs}:
        raise doc.error(f"{where(at)}: inputs {_names(raw['input'])}, but the signature declares {_names([n for n, _ in inputs])}", at + ("input",))
    said = " (the signature says {})" if declared else ""
    values: dict[str, Value] = {}
    for name, t in inputs:
        values[name] = _value(doc, raw["input"][name], t, at + ("input", name), f"{where(at)}: input {name}", said.format(t))
    return Example(values, _value(doc, raw["output"], output, at + ("output",), f"{where(at)}: output", said.format(output)))


def _value(doc: JsonFile, raw: Any, t: Type, at: Path, what: str, said: str) -> Value:
    try:
        return from_json(raw, t, what)
    except UserError as err:
        raise doc.error(err.message + said, at) from None


def _check_functional(doc: JsonFile, items: Mapping[str, list[Path]], examples: Mapping[str, tuple[Example, ...]]) -> None:
    """Two examples with the same input must have the same output."""
    first: dict[Hashable, tuple[Path, Value]] = {}
    for split in SPLITS:
        for at, ex in zip(items[split], examples[split]):
            key = tuple(ex.inputs.values())
            if key in first and first[key][1] != ex.output:
                origin, out = first[key]
                line = doc.positions[origin].line
                raise doc.error(
                    f"{where(at)} has the same input as {where(origin)} (line {line}) "
                    f"but output {json.dumps(to_json(ex.output))}, not {json.dumps(to_json(out))}",
                    at,
                )
            first.setdefault(key, (at, ex.output))


def _raw(doc: JsonFile, at: Path) -> dict:
    return doc.document[str(at[0])][int(at[1])]


def _names(names: Any) -> str:
    return ", ".join(names) or "none"
