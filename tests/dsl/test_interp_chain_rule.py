"""A one-hint rule over a chain is walked down from its top with a plain dict as its map; results and errors stay the general algorithm's."""

from __future__ import annotations

import numpy as np
import pytest

from dsl.errors import CycleError, DslRuntimeError, DuplicateKey, UndefinedKey
from dsl.groups import get_group
from dsl.interp import compile_program
from dsl.parse import parse_program
from dsl.types import CLAUSE
from dsl.values import Record

Z2 = get_group("Z2")
BODIES = [
    "c.op * (if c.root then Z2:0 else val[c.rhs])",  # what the search finds for LEGO (the lookup inlined in the if)
    "if c.root then c.op else c.op * val[c.rhs]",  # examples/lego.dsl (the lookup inlined in the product)
    "if c.root then c.op else val[c.lhs]",  # its own key: a cycle
    "if c.root then c.op else c.op * val[c.rhs] * val[c.rhs]",
]


def _clause(lhs: str, op: int, rhs: str | None) -> Record:
    return Record(CLAUSE.names, (lhs, Z2.elements[op], "_" if rhs is None else rhs, rhs is None))


def _cases(rng: np.random.Generator):
    """Shuffled chains, and chains broken every way a chain walk must notice."""
    for _ in range(400):
        n = int(rng.integers(1, 30))
        names = [f"v{i}" for i in rng.permutation(40)[:n]]
        ops = rng.integers(0, 2, n)
        clauses = [_clause(names[0], int(ops[0]), None)] + [_clause(names[i], int(ops[i]), names[i - 1]) for i in range(1, n)]
        how = rng.integers(0, 6)
        if how == 1 and n > 2:  # a cycle beside the chain
            clauses += [_clause("p", 0, "q"), _clause("q", 1, "p")]
        elif how == 2:  # a second root
            clauses.append(_clause("r2", 1, None))
        elif how == 3 and n > 1:  # an undefined operand
            clauses[-1] = _clause(names[-1], 0, "nowhere")
        elif how == 4 and n > 1:  # a key twice
            clauses.append(_clause(names[0], 1, names[-1]))
        order = rng.permutation(len(clauses))
        yield tuple(clauses[int(i)] for i in order)


@pytest.mark.parametrize("body", BODIES)
def test_chain_walk_gives_the_general_algorithms_results_and_errors(body: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import dsl.interp as interp

    program = parse_program(f"input clauses: List[{{lhs: Sym, op: Elem, rhs: Sym, root: Bool}}]\nforall c in clauses: val[c.lhs] = {body}\n")
    hinted = compile_program(program)
    monkeypatch.setattr(interp, "_dependency_keys", lambda e: [])
    general = compile_program(program)

    def outcome(run, clauses):
        try:
            out = run({"clauses": clauses}, fuel=10_000)
            return list(out.items_.items())  # the order of the keys too
        except (CycleError, DuplicateKey, UndefinedKey, DslRuntimeError) as err:
            return type(err).__name__, str(err)

    for clauses in _cases(np.random.default_rng(11)):
        assert outcome(hinted, clauses) == outcome(general, clauses)


@pytest.mark.parametrize("group_name", ["Z2", "Z5", "S3", "D4"])
@pytest.mark.parametrize("then", ["Z2:0", "c.op", "Z3:1", "identity(c.op)"])
def test_the_fused_product_of_a_field_and_an_if_lookup_is_the_unfused_one(group_name: str, then: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """`c.op * (if c.root then X else val[c.rhs])` as one closure: the same values and errors as the three closures."""
    import dsl.interp as interp

    group = get_group(group_name)
    program = parse_program(
        "input clauses: List[{lhs: Sym, op: Elem, rhs: Sym, root: Bool}]\n"
        f"forall c in clauses: val[c.lhs] = c.op * (if c.root then {then} else val[c.rhs])\n"
    )
    fused = compile_program(program)
    monkeypatch.setattr(interp._Compiler, "_prim_field_if_lookup", lambda *args: None)
    plain = compile_program(program)

    def outcome(run, clauses):
        try:
            return list(run({"clauses": clauses}, fuel=10_000).items_.items())
        except (CycleError, DuplicateKey, UndefinedKey, DslRuntimeError) as err:
            return type(err).__name__, str(err)

    rng = np.random.default_rng(5)
    for clauses in _cases(rng):
        ops = rng.integers(0, len(group), len(clauses))
        clauses = tuple(Record(c.names, (c.values[0], group.elements[int(k)], *c.values[2:])) for c, k in zip(clauses, ops))
        assert outcome(fused, clauses) == outcome(plain, clauses)
