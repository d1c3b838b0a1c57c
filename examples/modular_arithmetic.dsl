# Modular arithmetic, simple variant (tasks/regular/modular_arithmetic.py):
# numbers 0..4 at even positions, operators at odd ones (5 '+', 6 '-', 7 '*'),
# value mod 5 with '*' binding tighter than '+' and '-'.
#
# One left-to-right fold. The state holds the sum of the finished terms, the
# current term (already signed) and the last operator. A number either
# multiplies into the current term (after '*') or closes it and opens a new
# one, negated after '-'. Everything stays mod 5, so integers stay small.
input xs: List[Int]
let st =
  fold (s, x) ->
    if x >= 5 then {sum: s.sum, term: s.term, op: x}
    else if s.op == 7 then {sum: s.sum, term: (s.term * x) mod 5, op: s.op}
    else {sum: (s.sum + s.term) mod 5, term: (if s.op == 6 then 5 - x else x) mod 5, op: s.op}
  from {sum: 0, term: 0, op: 5} over xs in
(st.sum + st.term) mod 5
