# LEGO: resolve every variable of a sentence of clauses.
#
# Each clause `lhs = op rhs` defines its left variable from its right operand:
# val(lhs) = op * val(rhs), where op is a group element (Z2 for the paper's
# val/not sentences, or any other group: Z5, S3, D4). A root clause carries its
# own value (root = true, op = the value). The rule is stated once for every
# clause, so it works for any clause order, any length and any group.
type Clause = {lhs: Sym, op: Elem, rhs: Sym, root: Bool}
input clauses: List[Clause]
forall c in clauses: val[c.lhs] = if c.root then c.op else c.op * val[c.rhs]
