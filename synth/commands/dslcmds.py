"""`synth run` and `synth check`: run or type-check a DSL program file."""

from __future__ import annotations

import json
import sys

import click

from dsl.ast import Program
from dsl.check import check_program
from dsl.errors import DslRuntimeError, FuelExhausted, MemoryExhausted, UserError, json_repr
from dsl.files import loads_json, read_stream_text, read_text
from dsl.interp import DEFAULT_FUEL, DEFAULT_MEMORY, compile_program
from dsl.parse import load_program
from dsl.values import JsonValueError, from_json, to_json
from synth.commands.params import INPUT_FILE
from tasks.filekinds import DATABASE, INPUT, LEGO_DATA, NAMES, kind_of_bytes, kind_of_name, starts_as_lego
from tasks.jsonpos import JsonFile, value_positions


def _load(file: str) -> Program:
    """The program in `file`; an input file, a results database or LEGO data given instead is named as such."""
    kind = kind_of_bytes(file) or kind_of_name(file)  # a database by its header, whatever its name
    if kind in (INPUT, DATABASE):
        raise UserError(f"not a DSL program: {NAMES[kind]}", file=file)
    try:
        return load_program(file)
    except UserError:
        if starts_as_lego(file):
            raise UserError(LEGO_DATA, file=file) from None
        raise  # the program reader's message (for arrays or a binary file: what it is, not a first line of text)


def _read_input(input_json: str | None, input_file: str | None) -> tuple[str, str]:
    """The input text and a name for it in messages."""
    if input_json is not None and input_file is not None:
        raise UserError("give the input either with --input or with --input-file, not both")
    if input_json is not None:
        return input_json, "--input"
    if input_file is not None:
        return read_text(input_file), input_file
    if hasattr(sys.stdin, "buffer"):
        return read_stream_text(sys.stdin.buffer, "standard input"), "standard input"
    return sys.stdin.read(), "standard input"  # a text stream (a test's, an embedding's): already decoded


def _decode_inputs(text: str, where: str, program, program_file: str) -> dict:
    if not text.strip():
        raise UserError(_empty_input(where, program.input_types()))
    try:
        obj = loads_json(text, file=where)
    except UserError as err:
        if "more text after the JSON value ends" in err.message:  # records, one a line: eval runs a program on each
            err.message += f"; synth run takes one input, synth eval {program_file} DATA runs the program on every record of a file"
        raise
    if not isinstance(obj, dict):
        raise UserError(f"{where}: the input must be a JSON object with one field per input, got {json_repr(obj)}")
    types = program.input_types()
    document = obj  # the whole text's value, for the position of a bad one
    inside: tuple[str, ...] = ()  # where the inputs object is in it
    if "input" not in types and isinstance(obj.get("input"), dict) and set(obj) <= {"input", "output"}:
        obj, inside = obj["input"], ("input",)  # one example of a task file: {"input": {...}, "output": ...}
    missing = [n for n in types if n not in obj]
    extra = [k for k in obj if k not in types]
    if extra and isinstance(obj.get("train"), list) and "train" not in types:
        raise UserError(f"{where} is a task file, not one input: `synth eval {program_file} {where}` runs the program on every "
                        "example of it; `synth run` takes one object of inputs, or one example {\"input\": ..., \"output\": ...}")
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"missing input{'s' if len(missing) > 1 else ''} " + ", ".join(missing))
        if extra:
            parts.append(f"unknown input{'s' if len(extra) > 1 else ''} " + ", ".join(extra) + " (the program declares " + (", ".join(types) or "none") + ")")
        raise UserError(f"{where}: " + "; ".join(parts))
    values = {}
    for name, t in types.items():
        try:
            values[name] = from_json(obj[name], t, where=f"input {name}")
        except JsonValueError as err:  # named at its line: an input file may be long (a sentence's clauses, pretty-printed)
            at = (*inside, name, *err.at)
            raise UserError(err.message, file=where, pos=JsonFile(where, text, document, value_positions(text, depth=len(at))).pos(at)) from None
    return values


def _empty_input(where: str, types: dict) -> str:
    """An empty input (`synth run p.dsl < /dev/null`) said as such, with the object the program expects, not as broken JSON."""
    given = "(no --input or --input-file given)" if where == "standard input" else ""
    fields = ", ".join(f'"{name}": <{typ}>' for name, typ in types.items())
    return f"{where} is empty {given}".rstrip() + f": expected the program's inputs as one JSON object, {{{fields}}}"


def _budget(flag: str, default: int, help: str):
    return click.option(flag, type=click.IntRange(min=1), default=default, show_default=True, help=help)


@click.command("run")
@click.argument("file", type=INPUT_FILE)
@click.option("--input", "input_json", metavar="JSON", help="The inputs as one JSON object, e.g. '{\"xs\": [1, 0, 1]}'.")
@click.option("--input-file", type=INPUT_FILE, help="Read the JSON inputs from this file.")
@_budget("--fuel", DEFAULT_FUEL, "Step budget: evaluation stops with an error after this many steps.")
@_budget("--memory", DEFAULT_MEMORY, "Memory budget: evaluation stops with an error after allocating this many list/record elements.")
def run_command(file: str, input_json: str | None, input_file: str | None, fuel: int, memory: int) -> None:
    """Run the DSL program FILE on JSON inputs and print its output as JSON.

    The inputs are one JSON object with a field per `input` line of the
    program, read from --input, from --input-file, or else from standard
    input; an example copied from a task file, {"input": {...}, "output": ...},
    is run on its input. Group elements are written as strings such as "Z2:1"
    or "S3:(012)".

    \b
    Example:
      synth run examples/parity.dsl --input '{"xs": [1, 0, 1, 1]}'
      synth run examples/lego.dsl --input-file examples/lego.input.json
    """
    program = _load(file)
    try:
        compiled = compile_program(program, locate=True)
    except UserError as err:
        raise err.located(file) from None
    if not program.input_types() and input_json is None and input_file is None:
        inputs: dict = {}  # a program of no inputs: nothing to wait for on standard input
    else:
        text, where = _read_input(input_json, input_file)
        inputs = _decode_inputs(text, where, program, file)
    try:
        value = compiled(inputs, fuel=fuel, memory=memory)
    except FuelExhausted as err:
        raise UserError(f"runtime error: {err.message} (raise the budget with --fuel)", file=file) from None
    except MemoryExhausted as err:
        raise UserError(f"runtime error: {err.message} (raise the budget with --memory)", file=file) from None
    except UserError as err:
        if err.file is None and (err.pos is None or isinstance(err, DslRuntimeError)):
            err.message = "runtime error: " + err.message
        raise err.located(file) from None
    click.echo(json.dumps(to_json(value)))


@click.command("check")
@click.argument("file", type=INPUT_FILE)
def check_command(file: str) -> None:
    """Parse and type-check the DSL program FILE; print its input and output types.

    \b
    Example:
      synth check examples/lego.dsl
    """
    program = _load(file)
    try:
        out = check_program(program)
    except UserError as err:
        raise err.located(file) from None
    for param in program.inputs:
        click.echo(f"input {param.name}: {param.type}")
    click.echo(f"output: {out}")


COMMANDS = [run_command, check_command]
