"""Interpreter: every loop form, rules (order, long chains, groups), fuel and runtime errors."""

from __future__ import annotations

import pytest

from dsl.errors import CycleError, DslRuntimeError, DuplicateKey, FuelExhausted, UndefinedKey, UserError
from dsl.groups import get_group, parse_elem
from dsl.interp import compile_program, evaluate, run_program
from dsl.parse import parse_expr, parse_program
from dsl.types import CLAUSE, INT, ListT
from dsl.values import MapValue, Record, from_json

LEGO = parse_program(
    "input clauses: List[{lhs: Sym, op: Elem, rhs: Sym, root: Bool}]\n"
    "forall c in clauses: val[c.lhs] = if c.root then c.op else c.op * val[c.rhs]\n"
)


def ev(text: str, **env):
    types = {k: t for k, (t, _) in env.items()}
    values = {k: v for k, (_, v) in env.items()}
    return evaluate(parse_expr(text), values, types)


def clause(lhs: str, op: str, rhs: str = "_", root: bool = False) -> Record:
    return Record(CLAUSE.names, (lhs, parse_elem(op), rhs, root))


@pytest.mark.parametrize(
    "text,value",
    [
        ("1 + 2 * 3", 7),
        ("7 / 2", 3),
        ("-7 mod 3", 2),
        ("-(3) - -3", 0),
        ("5 xor 3", 6),
        ("true xor true", False),
        ("not (1 < 2) or 2 >= 2", True),
        ("[1, 2] + [3]", (1, 2, 3)),
        ("len([1, 2, 3])", 3),
        ("range(4)", (0, 1, 2, 3)),
        ("[x * x for x in range(4)]", (0, 1, 4, 9)),
        ("[x for x in range(6) if x mod 2 == 0]", (0, 2, 4)),
        ("fold (s, x) -> s + x from 10 over range(4)", 16),
        ("scan (s, x) -> s + x from 10 over range(4)", (10, 11, 13, 16)),
        ("scan (s, x) -> s + x from 10 over range(0)", ()),
        ("let y = 3 in let y = y + 1 in y * y", 16),
        ("{a: 1, b: 'q'}.b", "q"),
        ("[[1], [2, 3]][1][0]", 2),
        ("if 'a' == 'a' then Z5:2 * Z5:4 else Z5:0", parse_elem("Z5:1")),
        ("inv(S3:(012))", parse_elem("S3:(021)")),
        ("identity(D4:r1)", parse_elem("D4:e")),
        ("act(D4:r1, 3)", 0),
        ("Z2:not * Z2:not", parse_elem("Z2:0")),
    ],
)
def test_values(text: str, value) -> None:
    assert evaluate(parse_expr(text), {}, {}) == value


def test_rule_simple_and_nested_map_lookup() -> None:
    out = ev("forall x in xs: sq[x] = x * x", xs=(ListT(INT), (1, 2, 3)))
    assert out == MapValue({1: 1, 2: 4, 3: 9})
    assert ev("(forall x in xs: sq[x] = x * x)[2]", xs=(ListT(INT), (1, 2, 3))) == 4


def test_rule_recursion_any_order_and_any_group() -> None:
    for group, ops in [("Z2", ["Z2:1", "Z2:0", "Z2:1"]), ("S3", ["S3:(01)", "S3:(012)", "S3:(12)"]), ("D4", ["D4:r1", "D4:s0", "D4:r3"])]:
        a, b, c = (parse_elem(o) for o in ops)
        cs = [clause("z", ops[2], "y"), clause("x", ops[0], root=True), clause("y", ops[1], "x")]
        out = run_program(LEGO, {"clauses": tuple(cs)})
        assert out == MapValue({"z": c * (b * a), "x": a, "y": b * a}), group
        assert list(out) == ["z", "x", "y"]  # keys in member order


def test_rule_chain_of_a_million_without_recursion() -> None:
    # keys listed from the far end: every first attempt needs a key not computed yet
    prog = compile_program(parse_program(
        "input n: Int\n"
        "let m = forall x in [n - 1 - i for i in range(n)]: f[x] = if x == 0 then 0 else f[x - 1] + 1 in m[n - 1]"
    ))
    assert prog({"n": 1_000_000}) == 999_999


def test_lego_long_reversed_chain() -> None:
    z2 = get_group("Z2")
    n = 100_000
    cs = [clause("v0", "Z2:1", root=True)] + [
        Record(CLAUSE.names, (f"v{i}", z2.elements[1], f"v{i - 1}", False)) for i in range(1, n)
    ]
    cs.reverse()
    out = compile_program(LEGO)({"clauses": tuple(cs)})
    assert out[f"v{n - 1}"] == z2.elements[n % 2]
    assert len(out) == n


def test_rule_body_with_scan_and_inner_rule() -> None:
    # an inner rule whose body reads the outer map: the outer's pending keys must pass through
    text = (
        "forall x in xs: f[x] = if x == 0 then 1 else "
        "(forall y in [x]: g[y] = f[y - 1] * 2)[x]"
    )
    assert ev(text, xs=(ListT(INT), (3, 1, 2, 0))) == MapValue({3: 8, 1: 2, 2: 4, 0: 1})


def test_cycle_names_the_variables() -> None:
    cs = (clause("a", "Z2:1", "b"), clause("b", "Z2:0", "c"), clause("c", "Z2:1", "a"))
    with pytest.raises(CycleError) as info:
        run_program(LEGO, {"clauses": cs})
    assert str(info.value) == "cycle in rule val: 'a' -> 'b' -> 'c' -> 'a'"
    with pytest.raises(CycleError, match="'a' -> 'a'"):
        run_program(LEGO, {"clauses": (clause("a", "Z2:1", "a"),)})


def test_undefined_key() -> None:
    cs = (clause("a", "Z2:1", "q"),)
    with pytest.raises(UndefinedKey, match="undefined key 'q': no member defines val\\['q'\\]"):
        run_program(LEGO, {"clauses": cs})
    with pytest.raises(UndefinedKey, match="undefined key 5 in m"):
        ev("let m = forall x in xs: f[x] = x in m[5]", xs=(ListT(INT), (1,)))


def test_duplicate_key() -> None:
    cs = (clause("a", "Z2:1", root=True), clause("b", "Z2:1", "a"), clause("a", "Z2:0", "b"))
    with pytest.raises(DuplicateKey, match=r"duplicate key 'a' in rule val: clauses\[0\] and clauses\[2\]"):
        run_program(LEGO, {"clauses": cs})


def test_index_out_of_range_and_division_by_zero() -> None:
    with pytest.raises(DslRuntimeError, match="index 3 out of range for a list of length 3"):
        ev("xs[3]", xs=(ListT(INT), (1, 2, 3)))
    with pytest.raises(DslRuntimeError, match="index -1 out of range"):
        ev("xs[-1]", xs=(ListT(INT), (1, 2, 3)))
    with pytest.raises(DslRuntimeError, match="division by zero"):
        ev("n / 0", n=(INT, 1))
    with pytest.raises(DslRuntimeError, match="mod by zero"):
        ev("n mod 0", n=(INT, 1))


def test_group_mismatch_and_act_range() -> None:
    with pytest.raises(DslRuntimeError, match="different groups"):
        ev("Z2:1 * Z5:1")
    with pytest.raises(DslRuntimeError, match="acts on points"):
        ev("act(Z2:1, 5)")


def test_fuel() -> None:
    prog = compile_program(parse_program("input n: Int\nfold (s, x) -> s + x from 0 over range(n)"))
    assert prog({"n": 100}, fuel=1000) == 4950
    with pytest.raises(FuelExhausted, match="out of fuel: evaluation needs more than 1,000 steps"):
        prog({"n": 10_000}, fuel=1000)
    # list concatenation pays for what it builds, so doubling cannot run away
    doubling = compile_program(parse_program("input n: Int\nlen(fold (s, x) -> s + s from [1] over range(n))"))
    assert doubling({"n": 5}) == 32
    with pytest.raises(FuelExhausted):
        doubling({"n": 200}, fuel=10**6)


def test_integers_are_bounded() -> None:
    with pytest.raises(DslRuntimeError, match="integer overflow"):
        ev("fold (s, x) -> s * s from 3 over range(n)", n=(INT, 100))


def test_compile_once_run_many() -> None:
    prog = compile_program(parse_program("input xs: List[Int]\nfold (s, x) -> s xor x from 0 over xs"))
    assert [prog({"xs": xs}) for xs in [(1,), (1, 1), (), (1, 0, 1, 1)]] == [1, 0, 0, 1]


def test_json_decoding_of_clauses() -> None:
    obj = [{"lhs": "b", "op": "Z2:not", "rhs": "a", "root": False}, {"lhs": "a", "op": "Z2:val", "rhs": "_", "root": True}]
    cs = from_json(obj, ListT(CLAUSE))
    out = run_program(LEGO, {"clauses": cs})
    assert out == MapValue({"b": parse_elem("Z2:1"), "a": parse_elem("Z2:0")})


@pytest.mark.parametrize(
    "body",
    [
        "if c.root then c.op else c.op * val[c.rhs]",
        "if c.root then c.op else (if c.lhs == 'a' then val[c.rhs] else c.op * val[c.rhs])",
        "if c.root or c.lhs == 'b' then c.op else (if val[c.rhs] == c.op then c.op else val[c.lhs])",  # hints that name a cycle
        "let k = c.rhs in if c.root then c.op else val[k]",  # no hint: the key is a let
    ],
)
def test_hinted_order_gives_the_general_algorithms_results_and_errors(body: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rules evaluate in an order hinted by their own lookups (dsl.interp._dependency_keys); only speed may differ."""
    import numpy as np

    import dsl.interp as interp

    program = parse_program(f"input clauses: List[{{lhs: Sym, op: Elem, rhs: Sym, root: Bool}}]\nforall c in clauses: val[c.lhs] = {body}\n")
    hinted = compile_program(program)
    monkeypatch.setattr(interp, "_dependency_keys", lambda e: [])
    general = compile_program(program)
    rng = np.random.default_rng(7)
    names = "abcdefg"

    def outcome(run, clauses):  # type: ignore[no-untyped-def]
        try:
            return run({"clauses": clauses}).items_
        except (CycleError, DuplicateKey, UndefinedKey, DslRuntimeError) as err:
            return type(err).__name__, str(err)

    for _ in range(3000):
        n = int(rng.integers(1, 8))
        clauses = tuple(
            clause(names[int(rng.integers(len(names)))], "Z2:" + str(int(rng.integers(2))),
                   ("_" + names)[int(rng.integers(len(names) + 1))], bool(rng.random() < 0.3))
            for _ in range(n)
        )
        assert outcome(hinted, clauses) == outcome(general, clauses)


def test_only_a_located_compile_places_runtime_errors() -> None:
    """The search's compile stays without the per-node try blocks; `locate=True` places the error."""
    from dsl.errors import DslRuntimeError
    from dsl.interp import compile_program
    from dsl.parse import parse_program

    program = parse_program("input n: Int\n1 + 10 / n\n")
    with pytest.raises(DslRuntimeError) as plain:
        compile_program(program)({"n": 0})
    assert plain.value.pos is None
    with pytest.raises(DslRuntimeError) as located:
        compile_program(program, locate=True)({"n": 0})
    assert located.value.pos is not None and (located.value.pos.line, located.value.pos.column) == (2, 8)  # the `/`; before: the `10`
    assert compile_program(program, locate=True)({"n": 5}) == 3


@pytest.mark.parametrize("body", [
    "if c.root then c.op else c.op * val[c.rhs]",
    "c.op * (if c.root then c.op else val[c.rhs])",
    "if c.root then c.op else val[c.rhs]",
])
def test_a_located_error_in_the_lego_rule_names_the_failing_lookup(body) -> None:
    """DSL audit: the fused fast paths (the lookup inline in `*` or `if`) made the `*` or the `if` take the blame
    for an undefined key; a located compile keeps every node its own."""
    from dsl.errors import DslRuntimeError
    from dsl.interp import compile_program
    from dsl.parse import parse_program
    from dsl.values import from_python

    head = "type Clause = {lhs: Sym, op: Elem, rhs: Sym, root: Bool}\ninput clauses: List[Clause]\n"
    line = f"forall c in clauses: val[c.lhs] = {body}"
    program = parse_program(head + line + "\n")
    clauses = [{"lhs": "a", "op": "Z2:1", "rhs": "_", "root": True}, {"lhs": "b", "op": "Z2:1", "rhs": "zz", "root": False}]
    inputs = {"clauses": from_python(clauses, program.inputs[0].type)}
    with pytest.raises(DslRuntimeError, match="undefined key 'zz'") as located:
        compile_program(program, locate=True)(inputs)
    assert (located.value.pos.line, located.value.pos.column) == (3, line.index("val[c.rhs]") + 1)
    fast = compile_program(program)
    with pytest.raises(DslRuntimeError, match="undefined key 'zz'"):
        fast(inputs)  # the same error unlocated, fused


class _TooMany(BaseException):
    """Escapes the rules' `except Exception`, so a runaway test stops at once."""


@pytest.mark.parametrize("innermost, expected", [("1 / 0", "division by zero"), ("0", None)])
def test_nested_rules_run_in_time_linear_in_their_depth(innermost: str, expected: str | None, monkeypatch: pytest.MonkeyPatch) -> None:
    """DSL audit: a rule whose hinted order fails runs again from the start with its fuel given back, and so did every
    rule nested in it, so an error under 19 nested rules took 79 s (2**depth runs) whatever the fuel."""
    import dsl.interp as interp

    body = innermost
    for i in range(40):
        body = f"(forall d{i} in xs: g{i}[d{i}.k] = if d{i}.k == 0 then {body} else g{i}[d{i}.p] + 1)[0]"
    program = parse_program("input xs: List[{k: Int, p: Int}]\n" + body + "\n")
    runs = 0
    make_rule = interp._rule_fn

    def counted_rule_fn(*args, **kwargs):  # type: ignore[no-untyped-def]
        rule = make_rule(*args, **kwargs)

        def run(r):  # type: ignore[no-untyped-def]
            nonlocal runs
            runs += 1
            if runs > 10_000:
                raise _TooMany
            return rule(r)
        return run

    monkeypatch.setattr(interp, "_rule_fn", counted_rule_fn)
    run = compile_program(program)
    xs = tuple(Record(("k", "p"), (k, 0)) for k in range(2))
    if expected is None:
        assert run({"xs": xs}) == 0
    else:
        with pytest.raises(DslRuntimeError, match=expected):
            run({"xs": xs})


def test_run_program_takes_a_scripts_plain_values_and_names_a_wrong_one() -> None:
    """Audit: run_program(P, {"xs": [3, 1, 2]}) (a list, as a script holds it) was a raw TypeError inside `pad`,
    and `take` gave a list back where a List is a tuple."""
    pad = parse_program("input xs: List[Int]\npad(xs, 5, 0)")
    assert run_program(pad, {"xs": [3, 1, 2]}) == (3, 1, 2, 0, 0)
    assert run_program(parse_program("input xs: List[Int]\ntake(xs, 2)"), {"xs": [3, 1, 2]}) == (3, 1)
    with pytest.raises(UserError, match="input xs"):
        run_program(pad, {"xs": [3, "a"]})
    with pytest.raises(UserError, match="missing input 'xs'"):
        run_program(pad, {})
